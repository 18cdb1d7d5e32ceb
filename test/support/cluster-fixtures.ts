/**
 * Shared fixtures of the cluster-stack tests (test/stacks/cluster-stack*.test.ts): a stub of the
 * network stack's outputs, a builder for one cluster stack of an environment (default: the
 * example's `main-01`), the example's `main-01` synthesized once per jest worker (jest-light-runner
 * shares the module cache across a worker's files, docs/testing.md "How jest runs"), and readers
 * of the synthesized JSON.
 */
import { Testing, type App } from 'cdktf';
import { ClusterStack } from '../../stacks/cluster-stack';
import type { NetworkOutputs } from '../../constructs/shared/contracts';
import { planStacks } from '../../envs/stack-plan';
import type { Environment } from '../../envs/schema';
import { exampleEnv } from './env';
import { dataOf, resourcesOf } from './synth';

/** Literal network outputs: VPC `vpc-0stub`, 10.0.0.0/16, three private, public and control-plane subnets per cluster, no DNS delegation. */
export const STUB_NETWORK: NetworkOutputs = {
  vpcId: 'vpc-0stub',
  vpcCidr: '10.0.0.0/16',
  natSecurityGroupId: 'sg-0nat',
  clusterSubnets: (name: string) => ({
    privateSubnetIds: ['a', 'b', 'c'].map((az) => `subnet-${name}-private-${az}`),
    publicSubnetIds: ['a', 'b', 'c'].map((az) => `subnet-${name}-public-${az}`),
    controlPlaneSubnetIds: ['a', 'b', 'c'].map((az) => `subnet-${name}-control-plane-${az}`),
    privateSubnetCidrs: ['10.0.0.0/20', '10.0.16.0/20', '10.0.32.0/20'],
    blockCidr: '10.0.0.0/18',
  }),
  dnsDelegation: () => undefined,
};

/** Builds the cluster stack of `key` with the stub network into a fresh test app. */
export function buildClusterStack(
  env: Environment = exampleEnv(),
  key = 'main-01',
  app: App = Testing.app(),
): ClusterStack {
  const spec = planStacks(env).find((s) => s.id === `cluster-${key}`);
  if (!spec) throw new Error(`no cluster stack for ${key}`);
  return new ClusterStack(app, { env, spec, backend: 'local', network: STUB_NETWORK });
}

/** The example's `main-01` cluster stack and its `Testing.synth`, once built. */
let example: { stack: ClusterStack; synth: string } | undefined;

/**
 * The example's cluster stack `main-01` (stub network, {@link buildClusterStack}), built and
 * synthesized once per jest worker; each call gets a fresh parse of the JSON. Read-only: a test
 * that changes the tree builds its own stack.
 * @returns the stack, its synthesized JSON as text (for cdktf's jest matchers) and parsed, and
 *   its IAM policy documents (logical id → arguments)
 */
export function exampleCluster(): {
  stack: ClusterStack;
  synth: string;
  json: Record<string, any>;
  docs: Record<string, any>;
} {
  example ??= (() => {
    const stack = buildClusterStack();
    return { stack, synth: Testing.synth(stack) };
  })();
  const json = JSON.parse(example.synth);
  return { ...example, json, docs: dataOf(json, 'aws_iam_policy_document') };
}

export const values = (o: Record<string, any>) => Object.values(o) as any[];
/** The one value of `o` (asserting there is exactly one). */
export const one = (o: Record<string, any>) => {
  const v = values(o);
  expect(v).toHaveLength(1);
  return v[0];
};
/** `[device, GiB, encrypted]` of each volume of the (single) launch template. */
export const volumesOf = (json: Record<string, any>) =>
  one(resourcesOf(json, 'aws_launch_template')).block_device_mappings.map((b: any) => [
    b.device_name,
    b.ebs.volume_size,
    b.ebs.encrypted,
  ]);
/** The service principals a trust policy document admits. */
export const principalsOf = (doc: any): string[] =>
  doc.statement.flatMap((s: any) => s.principals.flatMap((p: any) => p.identifiers));
/** Every statement of the policy documents `docs` whose logical id contains `fragment`. */
export const statementsIn = (docs: Record<string, any>, fragment: string) =>
  Object.entries(docs)
    .filter(([k]) => k.includes(fragment))
    .flatMap(([, d]: [string, any]) => d.statement);
