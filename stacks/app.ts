/**
 * Builds every stack of the landing zone from a validated environment.
 */
import type { App, TerraformStack } from 'cdktf';
import type { Environment } from '../envs/schema';
import type { BackendMode } from './base-stack';
import { planStacks, type StackSpec } from '../envs/stack-plan';
import { OrganizationStack } from './organization-stack';
import { SecurityStack } from './security-stack';
import { AccountStack } from './account-stack';
import { NetworkStack } from './network-stack';
import { ClusterStack } from './cluster-stack';
import { PlatformStack } from './platform-stack';
import { addGuardrails } from '../constructs/guardrails/check';
import { TfcStack } from './tfc-stack';

export interface BuildOptions {
  /** State backend for every stack (default `cloud`). */
  readonly backend?: BackendMode;
}

/** The stacks of one landing zone, by role. */
export interface LandingZone {
  /** `planStacks(env)`: every stack the app builds, in bootstrap order. */
  readonly specs: StackSpec[];
  /** Organizations, Identity Center, StackSets and the management account's TFC roles. */
  readonly organization: OrganizationStack;
  /** The organization security services (security account, delegated administrator). */
  readonly security: SecurityStack;
  /** One account stack per account (`management` included), by account key. */
  readonly accounts: Record<string, AccountStack>;
  /** The shared VPC of the workload account (address plan, fck-nat, endpoints, flow logs). */
  readonly network: NetworkStack;
  /** One cluster stack per `clusters.<key>` (EKS, Karpenter's AWS side, DNS, add-on identities), by key. */
  readonly clusters: Record<string, ClusterStack>;
  /** One platform stack per `clusters.<key>` (Helm releases and cluster resources of its add-ons), by key. */
  readonly platforms: Record<string, PlatformStack>;
  /** The TFC bootstrap stack: workspaces, variable sets and wiring of every other stack. */
  readonly tfc: TfcStack;
  /** Every stack built, in bootstrap order. */
  readonly stacks: TerraformStack[];
}

/**
 * Builds the stacks `planStacks(env)` lists into `app`.
 * @param app the cdktf app (or `Testing.app()`)
 * @param env a validated environment (see `envs/load.ts`)
 */
export function buildLandingZone(
  app: App,
  env: Environment,
  options: BuildOptions = {},
): LandingZone {
  const specs = planStacks(env);
  const spec = (id: string): StackSpec => {
    const s = specs.find((x) => x.id === id);
    if (!s) throw new Error(`no stack "${id}" in the plan`);
    return s;
  };
  const common = { env, backend: options.backend };
  const stacks: TerraformStack[] = [];

  const organization = new OrganizationStack(app, { ...common, spec: spec('organization') });
  stacks.push(organization);
  const security = new SecurityStack(app, { ...common, spec: spec('security'), organization });
  stacks.push(security);

  // ---- account stacks, one per account ----
  const accounts: Record<string, AccountStack> = {};
  for (const s of specs.filter((x) => x.kind === 'account')) {
    accounts[s.account!] = new AccountStack(app, { ...common, spec: s, organization, security });
    stacks.push(accounts[s.account!]);
  }

  // Migration from the former management stack: forget what moved (docs/organization.md).
  organization.retireMovedResources([security, ...Object.values(accounts)]);

  // ---- network stack ----
  const network = new NetworkStack(app, {
    ...common,
    spec: spec('network'),
    // RAM shares name the cluster accounts by ID: a reference to the organization stack's accounts.
    accountId: (key) => organization.accountId(key),
  });
  stacks.push(network);

  // ---- cluster stacks, one per cluster ----
  const clusters: Record<string, ClusterStack> = {};
  for (const s of specs.filter((x) => x.kind === 'cluster')) {
    clusters[s.cluster!] = new ClusterStack(app, { ...common, spec: s, network });
    stacks.push(clusters[s.cluster!]);
  }

  // ---- platform stacks, one per cluster ----
  const platforms: Record<string, PlatformStack> = {};
  for (const s of specs.filter((x) => x.kind === 'platform')) {
    platforms[s.cluster!] = new PlatformStack(app, {
      ...common,
      spec: s,
      cluster: clusters[s.cluster!],
    });
    stacks.push(platforms[s.cluster!]);
  }

  // ---- TFC bootstrap stack, built last from the stacks above ----
  // One workspace per stack built above; cross-stack edges are read when the app synthesizes.
  const tfc = new TfcStack(app, { ...common, spec: spec('tfc'), stacks: [...stacks] });
  stacks.unshift(tfc); // bootstrap order: tfc runs first

  // ---- guardrail aspects over every stack ----
  // Every synth of every stack runs the rules of constructs/guardrails (docs/security.md);
  // main.ts defers them and checks the synthesized JSON before publishing it.
  addGuardrails(stacks, env.guardrails);

  return { specs, organization, security, accounts, network, clusters, platforms, tfc, stacks };
}
