/**
 * EKS access entries (authentication mode `API`): fixed IAM roles (the Terraform Cloud roles)
 * and IAM Identity Center permission-set roles, each with one EKS access policy.
 *
 * Identity Center roles are named `AWSReservedSSO_<permission set>_<16 hex>` under the path
 * `/aws-reserved/sso.amazonaws.com/[<region>/]`; the suffix is random and the role exists only
 * once the permission set is assigned to the account. So they are looked up with
 * `data "aws_iam_roles"` (name regex + path prefix) and the entries are created `for_each`
 * role found: on a fresh account zero roles means zero entries (the plan succeeds), and the
 * next run after the assignment creates them. A re-assignment (new suffix) replaces them.
 *
 * Sources: https://docs.aws.amazon.com/eks/latest/userguide/access-entries.html,
 * https://docs.aws.amazon.com/singlesignon/latest/userguide/referencingpermissionsets.html
 */
import { Construct } from 'constructs';
import { TerraformIterator, type TerraformProvider } from 'cdktf';
import { EksAccessEntry } from '@cdktf/provider-aws/lib/eks-access-entry';
import { EksAccessPolicyAssociation } from '@cdktf/provider-aws/lib/eks-access-policy-association';
import { DataAwsIamRoles } from '@cdktf/provider-aws/lib/data-aws-iam-roles';

/** One access policy grant: an EKS access policy name, cluster-wide or in some namespaces. */
export interface AccessGrant {
  /** EKS access policy name, e.g. `AmazonEKSClusterAdminPolicy`. */
  readonly policy: string;
  /** Namespaces; omitted = cluster scope. */
  readonly namespaces?: readonly string[];
}

/** An access entry for a known IAM principal. */
export interface PrincipalAccess extends AccessGrant {
  /** Full IAM role ARN, path included. */
  readonly principalArn: string;
}

export interface ClusterAccessProps {
  /** The cluster's name (use the cluster resource's `name`). */
  readonly clusterName: string;
  /** Fixed principals by a construct-id-safe key (e.g. `tfc-apply`). */
  readonly principals?: Record<string, PrincipalAccess>;
  /** Identity Center permission set name → grant for its role in this account. */
  readonly permissionSets?: Record<string, AccessGrant>;
  /** ARN partition (default `aws`). */
  readonly partition?: string;
  /** Provider (account/region) to create the access entries with. */
  readonly provider?: TerraformProvider;
}

/**
 * The ARN of an EKS access policy (`arn:<partition>:eks::aws:cluster-access-policy/<name>`).
 * Source: https://docs.aws.amazon.com/eks/latest/userguide/access-policy-permissions.html
 */
export function accessPolicyArn(policy: string, partition = 'aws'): string {
  return `arn:${partition}:eks::aws:cluster-access-policy/${policy}`;
}

/**
 * Regex of the Identity Center role name of a permission set,
 * `^AWSReservedSSO_<name>_[0-9a-f]{16}$` (`.` and `+` in the name escaped).
 * Source: https://docs.aws.amazon.com/singlesignon/latest/userguide/referencingpermissionsets.html
 */
export function ssoRoleNameRegex(permissionSet: string): string {
  return `^AWSReservedSSO_${permissionSet.replace(/[.+]/g, (c) => `\\${c}`)}_[0-9a-f]{16}$`;
}

/** Path prefix of every Identity Center role. */
export const SSO_ROLE_PATH_PREFIX = '/aws-reserved/sso.amazonaws.com/';

/**
 * Access entries and policy associations of one cluster. Identity Center entries are created
 * `for_each` role found, so zero roles (a fresh account) plan and apply cleanly.
 */
export class ClusterAccess extends Construct {
  /** Role lookups by permission set name. */
  readonly ssoRoles: Record<string, DataAwsIamRoles> = {};

  constructor(scope: Construct, id: string, props: ClusterAccessProps) {
    super(scope, id);
    const provider = props.provider;
    const partition = props.partition ?? 'aws';
    const scopeOf = (g: AccessGrant) =>
      g.namespaces && g.namespaces.length > 0
        ? { type: 'namespace', namespaces: [...g.namespaces] }
        : { type: 'cluster' };

    for (const [key, p] of Object.entries(props.principals ?? {})) {
      const entry = new EksAccessEntry(this, `${key}-entry`, {
        provider,
        clusterName: props.clusterName,
        principalArn: p.principalArn,
        type: 'STANDARD',
      });
      new EksAccessPolicyAssociation(this, `${key}-policy`, {
        provider,
        clusterName: props.clusterName,
        principalArn: entry.principalArn,
        policyArn: accessPolicyArn(p.policy, partition),
        accessScope: scopeOf(p),
      });
    }

    for (const [ps, grant] of Object.entries(props.permissionSets ?? {})) {
      const key = ps.toLowerCase().replace(/[^a-z0-9-]/g, '-');
      const roles = new DataAwsIamRoles(this, `sso-${key}-roles`, {
        provider,
        nameRegex: ssoRoleNameRegex(ps),
        pathPrefix: SSO_ROLE_PATH_PREFIX,
      });
      this.ssoRoles[ps] = roles;
      const each = TerraformIterator.fromList(roles.arns);
      const entry = new EksAccessEntry(this, `sso-${key}-entry`, {
        provider,
        forEach: each,
        clusterName: props.clusterName,
        principalArn: each.value,
        type: 'STANDARD',
      });
      const assoc = TerraformIterator.fromList(roles.arns);
      new EksAccessPolicyAssociation(this, `sso-${key}-policy`, {
        provider,
        forEach: assoc,
        clusterName: props.clusterName,
        principalArn: assoc.value,
        policyArn: accessPolicyArn(grant.policy, partition),
        accessScope: scopeOf(grant),
        dependsOn: [entry],
      });
    }
  }
}
