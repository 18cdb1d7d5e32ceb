/**
 * The app's stack list, derived from the environment: the single source of truth for which
 * stacks (and so which Terraform Cloud workspaces) exist and which AWS account each reaches.
 * Adding a cluster to `clusters` adds its `cluster-<name>` and `platform-<name>` stacks here,
 * and everything keyed on this list (workspaces, OIDC trust, run triggers) follows.
 */
import { MANAGEMENT_ACCOUNT } from './schema/organization';

/**
 * What the stack list depends on: the prefix, the network's account and each cluster's
 * account (a structural slice of `Environment`, so this module does not import the schema
 * that validates against it).
 */
export interface StackPlanInput {
  readonly prefix: string;
  readonly network: { readonly account: string };
  readonly clusters: Readonly<Record<string, { readonly account: string }>>;
}

/** What kind of stack a {@link StackSpec} describes. */
export type StackKind = 'tfc' | 'management' | 'network' | 'cluster' | 'platform';

/** One stack of the app = one Terraform state = one TFC workspace. */
export interface StackSpec {
  /** Stack ID, also the folder under `cdktf.out/stacks/`: `management`, `network`, `cluster-main-01`… */
  readonly id: string;
  readonly kind: StackKind;
  /** TFC workspace name: `<prefix>-<id>`. */
  readonly workspace: string;
  /**
   * Account key the stack's AWS provider targets (`management` or a key of
   * `organization.accounts`); undefined for stacks without the AWS provider.
   */
  readonly account?: string;
  /** Cluster key for `cluster` and `platform` stacks. */
  readonly cluster?: string;
}

/** The workspace name for a stack ID. */
export function workspaceName(env: Pick<StackPlanInput, 'prefix'>, stackId: string): string {
  return `${env.prefix}-${stackId}`;
}

/**
 * Every stack the app builds, in bootstrap order: tfc, management, network, then per
 * cluster its cluster stack and its platform stack.
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
    spec('management', 'management', MANAGEMENT_ACCOUNT),
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
