/**
 * The two-account variant of the example, synthesized through a real app (so cross-stack
 * references become `terraform_remote_state` reads), for the offline Terraform tier: `c-02` runs
 * in the new member account `wl-001` on subnets the network stack shares through AWS RAM, and
 * its parent zone lives in the network account.
 */
import { App } from 'cdktf';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnvironment } from '../../envs/load';
import type { Environment } from '../../envs/schema';
import type { Construct } from 'constructs';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { LandingZoneStack, type LandingZoneStackProps } from '../../stacks/base-stack';
import { NetworkStack } from '../../stacks/network-stack';
import { ClusterStack } from '../../stacks/cluster-stack';
import { planStacks } from '../../envs/stack-plan';
import { scaledRaw } from './scale';

/** The variant's environment (see the module doc). */
export function twoAccountEnv(): Environment {
  const raw = scaledRaw({ accounts: 1, clusters: 2, clusterAccounts: 'spread' });
  raw.clusters['c-02'].dns.parent = { account: 'production' };
  return parseEnvironment(raw, 'two-accounts');
}

/**
 * A stand-in for the organization stack: one `aws_caller_identity` per account key, whose
 * `account_id` the network stack reads through remote state, as it reads the real organization's
 * account IDs.
 */
class StubAccountsStack extends LandingZoneStack {
  private readonly ids = new Map<string, string>();

  constructor(scope: Construct, props: LandingZoneStackProps) {
    super(scope, props);
    this.awsProvider('aws');
  }

  accountId(key: string): string {
    if (!this.ids.has(key))
      this.ids.set(key, new DataAwsCallerIdentity(this, `id-${key}`).accountId);
    return this.ids.get(key)!;
  }
}

/** The worker's {@link synthTwoAccounts} reader, once synthesized. */
let twoAccounts: ((stackId: string) => Record<string, any>) | undefined;

/**
 * Synthesizes the variant's network stack and the cluster stack of `c-02` through a real app,
 * with {@link StubAccountsStack} as `organization` (the full app takes seconds more), once per
 * worker (the network and cluster suites of the offline tier both read it).
 * @returns a reader of a stack's JSON by stack ID (`network`, `cluster-c-02`, `organization`),
 *   a fresh parsed copy per call
 */
export function synthTwoAccounts(): (stackId: string) => Record<string, any> {
  twoAccounts ??= synthTwoAccountsOnce();
  return twoAccounts;
}

/** {@link synthTwoAccounts} itself: one synth, into a folder of the run's temporary folder. */
function synthTwoAccountsOnce(): (stackId: string) => Record<string, any> {
  const env = twoAccountEnv();
  const specs = planStacks(env);
  const spec = (id: string) => specs.find((s) => s.id === id)!;
  const outdir = mkdtempSync(join(tmpdir(), 'lz-two-accounts-'));
  const app = new App({ outdir });
  const accounts = new StubAccountsStack(app, {
    env,
    spec: spec('organization'),
    backend: 'local',
  });
  const network = new NetworkStack(app, {
    env,
    spec: spec('network'),
    backend: 'local',
    accountId: (k) => accounts.accountId(k),
  });
  new ClusterStack(app, { env, spec: spec('cluster-c-02'), backend: 'local', network });
  app.synth();
  return (id) => JSON.parse(readFileSync(join(outdir, 'stacks', id, 'cdk.tf.json'), 'utf8'));
}

/**
 * An `override_data` block for a stack's remote-state read of `producer`: every output the
 * producer declares, with the value `valueOf(expression)` gives its Terraform expression.
 * @param consumer the consuming stack's JSON
 * @param producer the producing stack's JSON
 * @param valueOf HCL literal for an output's value expression (e.g. `"vpc-0abc"`)
 */
export function overrideRemoteState(
  consumer: Record<string, any>,
  producer: Record<string, any>,
  producerId: string,
  valueOf: (expression: string) => string,
): string {
  const reads = Object.entries(consumer.data?.terraform_remote_state ?? {}) as [string, any][];
  const read = reads.find(([, r]) =>
    String(r.config?.path ?? r.config?.workspaces?.name ?? '').includes(producerId),
  );
  if (!read) throw new Error(`no remote-state read of ${producerId}`);
  const outputs = Object.entries(producer.output as Record<string, { value: unknown }>).map(
    ([k, o]) => `      "${k}" = ${valueOf(JSON.stringify(o.value))}`,
  );
  return `  override_data {
    target = data.terraform_remote_state.${read[0]}
    values = {
      outputs = {
${outputs.join('\n')}
      }
    }
  }`;
}
