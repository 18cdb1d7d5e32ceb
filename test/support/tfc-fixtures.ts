/**
 * Shared fixtures of the TFC stack tests (test/stacks/tfc-stack*.test.ts): builds of the app with
 * the cloud backend, the example and VCS variants built once per jest worker (jest-light-runner
 * shares the module cache across a worker's files, docs/testing.md "How jest runs"), readers of
 * the synthesized TFC stack, and small synthetic producer and consumer stacks.
 */
import { Testing, type App, type TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { SsmParameter } from '@cdktf/provider-aws/lib/ssm-parameter';
import { buildLandingZone, type LandingZone } from '../../stacks/app';
import { LandingZoneStack, type LandingZoneStackProps } from '../../stacks/base-stack';
import type { StackSpec } from '../../envs/stack-plan';
import type { Environment } from '../../envs/schema';
import { parseEnvironment } from '../../envs/load';
import { exampleEnv } from './env';
import { scaledRaw, type ScaleOptions } from './scale';
import { readStacks, resourcesOf, synthValidated, testApp } from './synth';

/** {@link scaledEnv} with a further edit of the raw data. */
export function scaledEnvWith(
  options: ScaleOptions,
  edit: (raw: Record<string, any>) => void,
): Environment {
  const raw = scaledRaw(options);
  edit(raw);
  return parseEnvironment(raw, 'scaled');
}

/** A synthesized stack's JSON (untyped by nature). */
export type Json = Record<string, any>;

/**
 * Synthesizes a built `app` the way `cdktf synth` does and reads every stack's JSON by stack ID
 * (test/support/synth.ts's `synthApp` builds the app from an environment first).
 */
export function synthBuiltApp(app: App): Record<string, Json> {
  synthValidated(app);
  return readStacks(app.outdir, { metadata: false });
}

/** Builds and synthesizes the whole app with the cloud backend (as deployed: one workspace per stack). */
export function build(env: Environment): { app: App; lz: LandingZone; out: Record<string, Json> } {
  const app = testApp();
  const lz = buildLandingZone(app, env, { backend: 'cloud' });
  return { app, lz, out: synthBuiltApp(app) };
}

/**
 * Builds the whole app but synthesizes only the TFC stack (its preparation derives the edges
 * from every other stack): a fraction of the cost of {@link build}, for tests that read `tfc` only.
 */
export function buildTfc(env: Environment): { lz: LandingZone; tfc: Json } {
  const app = testApp();
  const lz = buildLandingZone(app, env, { backend: 'cloud' });
  lz.tfc.prepareStack();
  return { lz, tfc: JSON.parse(Testing.synth(lz.tfc)) };
}

/**
 * The cross-stack edges (`producer->consumer`) of the example environment, sorted: the cluster
 * reads the VPC and subnets; the platform reads the cluster (endpoint, roles) and the VPC;
 * security reads the organization and account IDs; account-management reads the account IDs its
 * budgets filter on; the account stacks' AWS Config recorders deliver to the security stack's
 * log archive.
 */
export const EXAMPLE_EDGES: readonly string[] = [
  'cluster-main-01->platform-main-01',
  'network->cluster-main-01',
  'network->platform-main-01',
  'organization->account-management',
  'organization->security',
  'security->account-management',
  'security->account-production',
  'security->account-security',
];

let exampleBuild: ReturnType<typeof build> | undefined;
/** The example environment (phase complete), synthesized once per worker. */
export const example = () => (exampleBuild ??= build(exampleEnv()));

/** The resources of one type in a stack's JSON, by name (`{}` when none): {@link resourcesOf}. */
export const res = resourcesOf;
/** The `${type.name.id}` reference Terraform JSON uses for a resource's ID. */
export const ref = (type: string, name: string) => `\${${type}.${name}.id}`;

/** Workspace logical name by workspace ID reference, and back. */
export function workspaceRefs(tfc: Json): Record<string, string> {
  return Object.fromEntries(
    Object.entries(res(tfc, 'tfe_workspace')).map(([name]) => [ref('tfe_workspace', name), name]),
  );
}

/** tfe_variable entries attached directly to workspaces: workspace logical name → key → variable. */
export function workspaceVariables(tfc: Json): Record<string, Record<string, Json>> {
  const refs = workspaceRefs(tfc);
  const out: Record<string, Record<string, Json>> = {};
  for (const v of Object.values(res(tfc, 'tfe_variable'))) {
    if (!v.workspace_id) continue;
    const ws = refs[v.workspace_id];
    (out[ws] ??= {})[v.key] = v;
  }
  return out;
}

/** Cross-stack edges cdktf recorded, as `producer->consumer` stack IDs (after synth). */
export function recordedEdges(stacks: readonly TerraformStack[]): string[] {
  return stacks.flatMap((c) => c.dependencies.map((p) => `${p.node.id}->${c.node.id}`)).sort();
}

/**
 * Cross-stack edges read from the synthesized stacks alone, independent of cdktf's bookkeeping:
 * every `terraform_remote_state` a stack reads (backend `remote`, a workspace of this
 * organization) is an edge from the stack owning that workspace, as `producer->consumer`.
 */
export function remoteStateEdges(out: Record<string, Json>): string[] {
  const byWorkspace = Object.fromEntries(
    Object.entries(out)
      .filter(([, json]) => json.terraform.cloud)
      .map(([id, json]) => [json.terraform.cloud.workspaces.name, id]),
  );
  return Object.entries(out)
    .flatMap(([consumer, json]) =>
      Object.values((json.data?.terraform_remote_state ?? {}) as Record<string, Json>).map((r) => {
        expect(r.backend).toBe('remote');
        const producer = byWorkspace[r.config.workspaces.name];
        if (!producer)
          throw new Error(`${consumer} reads unknown workspace ${r.config.workspaces.name}`);
        return `${producer}->${consumer}`;
      }),
    )
    .sort();
}

/** Sharing and run triggers in a synthesized TFC stack, as `producer->consumer` stack IDs. */
export function wiredEdges(tfc: Json): {
  sharing: string[];
  triggers: string[];
  globalSharing: boolean[];
} {
  const refs = workspaceRefs(tfc);
  const settings = Object.values(res(tfc, 'tfe_workspace_settings'));
  return {
    sharing: settings
      .flatMap((s) =>
        (s.remote_state_consumer_ids as string[]).map((c) => `${refs[s.workspace_id]}->${refs[c]}`),
      )
      .sort(),
    triggers: Object.values(res(tfc, 'tfe_run_trigger'))
      .map((t) => `${refs[t.sourceable_id]}->${refs[t.workspace_id]}`)
      .sort(),
    globalSharing: settings.map((s) => s.global_remote_state),
  };
}

/**
 * The example with VCS runs, settings, notifications, team access and no CI teams
 * (`terraformCloud.ciTeams: false`), built once per worker for the tests that read it.
 */
let vcsBuild: ReturnType<typeof buildTfc> | undefined;
export const vcsExample = () =>
  (vcsBuild ??= buildTfc(
    exampleEnv((raw) => {
      // no agent pool: the cluster API is allow-listed instead of private-only
      delete raw.terraformCloud.agentPool;
      raw.clusters['main-01'].endpoint = { publicAccessCidrs: ['198.51.100.0/24'] };
      Object.assign(raw.terraformCloud, {
        runStyle: 'vcs',
        vcs: { repository: 'acme/landing-zone', githubApp: { name: 'acme' } },
        ciTeams: false,
        tags: { team: 'platform' },
        workspaces: {
          organization: {
            autoApply: true,
            description: 'The org',
            tags: { tier: 'core' },
            triggerPatterns: ['cdktf.out/stacks/organization/*.json'],
          },
        },
        notifications: {
          'ops-email': {
            destinationType: 'email',
            emailUsers: ['jane.doe@acme.example'],
            workspaces: ['organization'],
          },
          'ops-teams': { destinationType: 'microsoft-teams', triggers: ['run:errored'] },
          unsigned: { destinationType: 'generic', signed: false },
        },
        teamAccess: {
          'platform-admins': { access: 'admin' },
          auditors: { access: 'read', workspaces: ['organization'] },
        },
      });
    }),
  ));

/** The example environment, for the synthetic stacks. */
export const env = exampleEnv();
/** A stack spec of kind network named `id`, in `account` if given. */
export const specOf = (id: string, account?: string): StackSpec => ({
  id,
  kind: 'network',
  workspace: `${env.prefix}-${id}`,
  account,
});
/** The TFC stack's spec. */
export const tfcSpec: StackSpec = { id: 'tfc', kind: 'tfc', workspace: `${env.prefix}-tfc` };

/** A stack with one data source whose attribute other stacks read. */
export class Producer extends LandingZoneStack {
  readonly caller: DataAwsCallerIdentity;
  constructor(scope: Construct, props: LandingZoneStackProps) {
    super(scope, props);
    this.awsProvider('aws');
    this.caller = new DataAwsCallerIdentity(this, 'caller');
  }
}

/** A stack that reads a {@link Producer}'s account ID into an SSM parameter per producer. */
export class Consumer extends LandingZoneStack {
  /** A second account reached with tagged dynamic credentials. */
  readonly tfcAdditionalAwsAccounts = { SECURITY: 'security' };
  constructor(scope: Construct, props: LandingZoneStackProps & { from: Producer[] }) {
    super(scope, props);
    this.awsProvider('aws');
    props.from.forEach(
      (p, i) =>
        new SsmParameter(this, `p${i}`, {
          name: `/x/${i}`,
          type: 'String',
          value: p.caller.accountId,
        }),
    );
  }
}
