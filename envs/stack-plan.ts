/**
 * The app's stack list, derived from the environment: the single source of truth for which
 * stacks (and so which Terraform Cloud workspaces) exist and which AWS account each reaches.
 * Adding an account to `organization.accounts` adds its `account-<key>` stack; adding a cluster
 * to `clusters` adds its `cluster-<name>` and `platform-<name>` stacks; everything keyed on this
 * list (workspaces, their role pairs, run triggers) follows.
 */
import { MANAGEMENT_ACCOUNT } from './schema/organization';

/**
 * What the stack list depends on: the prefix, the member accounts, the security account, the
 * network's account and each cluster's account (a structural slice of `Environment`, so this
 * module does not import the schema that validates against it).
 */
export interface StackPlanInput {
  readonly prefix: string;
  readonly organization: { readonly accounts: Readonly<Record<string, unknown>> };
  readonly security: { readonly securityAccount: string };
  readonly network: { readonly account: string };
  readonly clusters: Readonly<Record<string, { readonly account: string }>>;
}

/** What kind of stack a {@link StackSpec} describes. */
export type StackKind =
  'tfc' | 'organization' | 'security' | 'account' | 'network' | 'cluster' | 'platform';

/** One stack of the app = one Terraform state = one TFC workspace. */
export interface StackSpec {
  /** Stack ID, also the folder under `cdktf.out/stacks/`: `organization`, `account-security`, `network`… */
  readonly id: string;
  readonly kind: StackKind;
  /** TFC workspace name: `<prefix>-<id>`. */
  readonly workspace: string;
  /**
   * Account key the stack's AWS provider targets (`management` or a key of
   * `organization.accounts`), where its workspace's role pair lives; undefined for stacks
   * without the AWS provider (`tfc`).
   */
  readonly account?: string;
  /** Cluster key for `cluster` and `platform` stacks. */
  readonly cluster?: string;
}

/** The workspace name for a stack ID. */
export function workspaceName(env: Pick<StackPlanInput, 'prefix'>, stackId: string): string {
  return `${env.prefix}-${stackId}`;
}

/** The ID of the account stack of account `key` (`management` included): `account-<key>`. */
export function accountStackId(key: string): string {
  return `account-${key}`;
}

/** The run phases a TFC workload identity token names in its `sub` claim. */
export type RunPhase = 'plan' | 'apply';

/**
 * IAM's role-name limit, characters.
 * Source: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
 * ("Role name | 64 characters")
 */
export const ROLE_NAME_MAX = 64;

/**
 * The name of the role a stack's workspace assumes in `phase`: `<prefix>-<stackId>-plan|apply`,
 * in the account the stack deploys to. One pair per workspace keeps every trust policy to one
 * subject.
 * @throws Error if the name exceeds {@link ROLE_NAME_MAX} (prefix ≤ 16 and keys ≤ 32
 *   characters, as the schema allows, stay within it: `platform-` + 32 + `-apply` + 17 = 64)
 */
export function tfcRoleName(
  env: Pick<StackPlanInput, 'prefix'>,
  stackId: string,
  phase: RunPhase,
): string {
  const name = `${env.prefix}-${stackId}-${phase}`;
  if (name.length > ROLE_NAME_MAX)
    throw new Error(`role name "${name}" exceeds IAM's ${ROLE_NAME_MAX} characters`);
  return name;
}

/**
 * Every stack the app builds, in bootstrap order: tfc, organization, security, the account
 * stacks (`account-management` first, then every member account), network, then per cluster its
 * cluster stack and its platform stack. Security precedes the account stacks because their
 * AWS Config recorders (when `security.config.enabled`) deliver to its log archive.
 */
export function planStacks(env: StackPlanInput): StackSpec[] {
  const spec = (id: string, kind: StackKind, account?: string, cluster?: string): StackSpec => ({
    id,
    kind,
    workspace: workspaceName(env, id),
    account,
    cluster,
  });
  return [
    spec('tfc', 'tfc'),
    spec('organization', 'organization', MANAGEMENT_ACCOUNT),
    spec('security', 'security', env.security.securityAccount),
    ...[MANAGEMENT_ACCOUNT, ...Object.keys(env.organization.accounts)].map((key) =>
      spec(accountStackId(key), 'account', key),
    ),
    spec('network', 'network', env.network.account),
    ...Object.entries(env.clusters).flatMap(([name, c]) => [
      spec(`cluster-${name}`, 'cluster', c.account, name),
      spec(`platform-${name}`, 'platform', c.account, name),
    ]),
  ];
}

/** The EKS cluster name of cluster `key`: `<prefix>-<key>` (also its Karpenter discovery tag value). */
export function eksClusterName(env: Pick<StackPlanInput, 'prefix'>, key: string): string {
  return `${env.prefix}-${key}`;
}
