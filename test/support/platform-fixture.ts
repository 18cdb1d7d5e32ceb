/**
 * Test fixture for the platform stack: a stub of the cluster stack's outputs and of the
 * platform services (literal values, so no cluster stack is needed), a stub
 * `PlatformContext` for building one add-on alone, a platform stack built from the example
 * environment (optionally edited), and readers for its synthesized Helm releases.
 * Custom resources are checked with `validateCustomResource` of `../support/conformance`.
 */
import { Testing, TerraformLocal, type ITerraformDependable, type TerraformStack } from 'cdktf';
import { parse } from 'yaml';
import type { ClusterOutputs } from '../../constructs/shared/contracts';
import { PlatformStack } from '../../stacks/platform-stack';
import { planStacks } from '../../envs/stack-plan';
import type {
  ChartRef,
  ClusterAddOn,
  PlatformContext,
  PlatformServices,
} from '../../constructs/platform/addon';
import { exampleEnv } from './env';

/** Literal cluster outputs for `acme-main-01`. */
export const STUB_CLUSTER: ClusterOutputs = {
  clusterName: 'acme-main-01',
  clusterEndpoint: 'https://ABCDEF0123456789.gr7.eu-central-1.eks.amazonaws.com',
  clusterCertificateAuthority: 'LS0tLS1CRUdJTi0tLS0t',
  oidcIssuerUrl: 'https://oidc.eks.eu-central-1.amazonaws.com/id/ABCDEF0123456789',
  clusterSecurityGroupId: 'sg-0123456789abcdef0',
  vpcId: 'vpc-0123456789abcdef0',
  privateSubnetIds: ['subnet-0a', 'subnet-0b', 'subnet-0c'],
  maxPods: 110,
  karpenter: {
    nodeRoleName: 'acme-main-01-karpenter-node',
    interruptionQueueName: 'acme-main-01-karpenter',
    controllerRoleArn: 'arn:aws:iam::111111111111:role/acme-main-01-karpenter',
  },
  addonRoleArns: { dagster: 'arn:aws:iam::111111111111:role/acme-main-01-dagster' },
  zone: { id: 'Z0123456789ABCDEFGHIJ', name: 'main-01.acme.example' },
  certificateArn:
    'arn:aws:acm:eu-central-1:111111111111:certificate/00000000-0000-0000-0000-000000000000',
  buckets: {
    postgresBackups: 'acme-main-01-postgres-backups',
    dagsterComputeLogs: 'acme-main-01-dagster-logs',
  },
  secretsPrefix: 'acme/main-01/',
};

/**
 * Literal `PlatformServices` of `main-01` with every platform add-on enabled: what the
 * platform stack publishes for the example (asserted in platform-stack.test.ts) and what an
 * application add-on test builds against ({@link stubPlatformContext}).
 */
export const STUB_SERVICES: PlatformServices = {
  secretStoreName: 'aws-secrets-manager',
  ingressClassName: 'alb',
  postgres: {
    host: 'dagster-pg-rw.postgres.svc.cluster.local',
    port: 5432,
    database: 'dagster',
    username: 'dagster',
    namespace: 'postgres',
    podLabels: { 'cnpg.io/cluster': 'dagster-pg' },
    passwordSecret: { name: 'acme/main-01/postgres/dagster', property: 'password' },
  },
  batchNodePool: {
    name: 'batch',
    nodeSelector: { 'karpenter.sh/nodepool': 'batch' },
    tolerations: [
      { key: 'workload-class', operator: 'Equal', value: 'batch', effect: 'NoSchedule' },
    ],
  },
  monitoring: {
    namespace: 'monitoring',
    ruleLabels: { release: 'kube-prometheus-stack' },
    dashboardLabel: { key: 'grafana_dashboard', value: '1' },
  },
};

/**
 * A `PlatformContext` for building one add-on into `scope` without the platform: the stub
 * cluster outputs and services; `dependency(name)` returns a stand-in `TerraformLocal`
 * `dep-<name>` (so `depends_on` reads `local.dep-<name>`).
 */
export function stubPlatformContext(
  scope: TerraformStack,
  services: PlatformServices = STUB_SERVICES,
): PlatformContext {
  const deps = new Map<string, ITerraformDependable>();
  return {
    clusterKey: 'main-01',
    region: 'eu-central-1',
    cluster: STUB_CLUSTER,
    services,
    dependency(name) {
      let d = deps.get(name);
      if (!d) {
        d = new TerraformLocal(scope, `dep-${name}`, name);
        deps.set(name, d);
      }
      return d;
    },
  };
}

/** A platform stack for `main-01` of the example (edited by `edit`), local backend. */
export function buildPlatform(
  edit?: (raw: Record<string, any>) => void,
  applicationAddOns: ClusterAddOn[] = [],
): PlatformStack {
  const env = exampleEnv(edit);
  const spec = planStacks(env).find((s) => s.id === 'platform-main-01');
  if (!spec) throw new Error('no platform-main-01 stack');
  return new PlatformStack(Testing.app(), {
    env,
    spec,
    backend: 'local',
    cluster: STUB_CLUSTER,
    applicationAddOns,
  });
}

/** The parsed synthesized JSON of a platform stack. */
export function synthPlatform(stack: PlatformStack): Record<string, any> {
  return JSON.parse(Testing.synth(stack));
}

/**
 * Builds and synthesizes the platform of `main-01` (edited by `edit`) once.
 * @returns the stack, its parsed JSON and its Helm releases by name ({@link releases})
 */
export function platformReleases(
  edit?: (raw: Record<string, any>) => void,
  applicationAddOns: ClusterAddOn[] = [],
): { stack: PlatformStack; json: Record<string, any>; rel: Record<string, any> } {
  const stack = buildPlatform(edit, applicationAddOns);
  const json = synthPlatform(stack);
  return { stack, json, rel: releases(json) };
}

/** Every `helm_release` of a synthesized stack, by its release `name`. */
export function releases(json: Record<string, any>): Record<string, any> {
  const out: Record<string, any> = {};
  for (const [logical, r] of Object.entries<any>(json.resource?.helm_release ?? {})) {
    out[r.name] = { ...r, logicalId: logical };
  }
  return out;
}

/** A release's values (its first `values` document), parsed. */
export function valuesOf(release: any): Record<string, any> {
  return parse(release.values[0]) ?? {};
}

/** The objects of a manifests release. */
export function manifestsOf(release: any): Record<string, any>[] {
  return valuesOf(release).manifests;
}

/**
 * Asserts that a synthesized release installs `chart` (name, repository, exact pinned
 * version) into `namespace`, atomically and waiting.
 */
export function expectChart(release: any, chart: ChartRef, namespace: string): void {
  expect(release).toMatchObject({
    chart: chart.chart,
    repository: chart.repository,
    version: chart.version,
    namespace,
    atomic: true,
    wait: true,
  });
}

/** The objects of a manifests release of `kind`, by `metadata.name`. */
export function objectsOfKind(release: any, kind: string): Record<string, any> {
  return Object.fromEntries(
    manifestsOf(release)
      .filter((o) => o.kind === kind)
      .map((o) => [o.metadata.name, o]),
  );
}
