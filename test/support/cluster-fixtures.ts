/**
 * Shared fixtures of the cluster-stack tests: a stub of the network stack's outputs and a
 * builder for one cluster stack of an environment (default: the example's `main-01`).
 */
import { Testing, type App } from 'cdktf';
import { ClusterStack } from '../../stacks/cluster-stack';
import type { NetworkOutputs } from '../../constructs/shared/contracts';
import { planStacks } from '../../envs/stack-plan';
import type { Environment } from '../../envs/schema';
import { exampleEnv } from './env';

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
