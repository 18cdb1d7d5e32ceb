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
