/**
 * Markers code sets on constructs to tell a guardrail that an exception is intended by
 * design (as opposed to a suppression in the environment, which is an operator's choice).
 */
import type { IConstruct } from 'constructs';

const PUBLIC_LB = Symbol.for('landing-zone/guardrails/public-load-balancer');

/**
 * Marks `scope` (a security group, a security-group rule, or a construct that contains
 * them) as the security group of an internet-facing load balancer: rule `LZ-SG-001` then
 * allows ingress from `0.0.0.0/0` and `::/0` on it and everything under it.
 * @param scope the construct to mark
 * @param reason why the load balancer is public (at least 20 characters; shown in docs and reviews)
 * @throws Error if the reason is shorter than 20 characters
 */
export function markPublicLoadBalancer(scope: IConstruct, reason: string): void {
  if (reason.trim().length < 20)
    throw new Error(
      `markPublicLoadBalancer(${scope.node.path}): the reason needs at least 20 characters`,
    );
  Object.defineProperty(scope, PUBLIC_LB, { value: reason, enumerable: false, configurable: true });
}

/** The reason `scope` or one of its ancestors was marked a public load balancer, if any. */
export function publicLoadBalancerReason(scope: IConstruct): string | undefined {
  for (const c of scope.node.scopes.slice().reverse()) {
    const reason = (c as unknown as Record<symbol, string | undefined>)[PUBLIC_LB];
    if (reason) return reason;
  }
  return undefined;
}

const LOG_ARCHIVE = Symbol.for('landing-zone/guardrails/log-archive');
const SCP_EXCEPTIONS = Symbol.for('landing-zone/guardrails/scp-exceptions');

/**
 * Marks `bucket` (an `aws_s3_bucket`) as the organization's log archive: rule `LZ-S3-003`
 * then requires Object Lock or a deny-delete bucket policy on it. `LogArchive` marks its bucket.
 */
export function markLogArchive(bucket: IConstruct): void {
  Object.defineProperty(bucket, LOG_ARCHIVE, {
    value: true,
    enumerable: false,
    configurable: true,
  });
}

/** Whether `scope` was marked with {@link markLogArchive}. */
export function isLogArchive(scope: IConstruct): boolean {
  return (scope as unknown as Record<symbol, boolean | undefined>)[LOG_ARCHIVE] === true;
}

/**
 * Marks an SCP (`aws_organizations_policy`) as deliberately attached to OUs instead of the root,
 * with the reasons from the environment (`organization.serviceControlPolicies.<name>.exceptions`):
 * rule `LZ-SCP-001` accepts it.
 * @param reason the exceptions, e.g. `sandbox: <why>` (at least 20 characters)
 * @throws Error if the reason is shorter than 20 characters
 */
export function markScpExceptions(policy: IConstruct, reason: string): void {
  if (reason.trim().length < 20)
    throw new Error(
      `markScpExceptions(${policy.node.path}): the reason needs at least 20 characters`,
    );
  Object.defineProperty(policy, SCP_EXCEPTIONS, {
    value: reason,
    enumerable: false,
    configurable: true,
  });
}

/** The reason `policy` was marked with {@link markScpExceptions}, if any. */
export function scpExceptionReason(policy: IConstruct): string | undefined {
  return (policy as unknown as Record<symbol, string | undefined>)[SCP_EXCEPTIONS];
}
