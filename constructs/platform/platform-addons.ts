/**
 * A cluster's platform as a list of add-ons (from `clusters.<name>.platform`), the shared
 * {@link PlatformServices} they offer application add-ons, and the builder that installs a
 * list in dependency order.
 */
import type { Construct } from 'constructs';
import type { ITerraformDependable } from 'cdktf';
import type { PlatformConfig } from '../../envs/schema/platform';
import type { ClusterOutputs } from '../shared/contracts';
import { NODE_POOL_LABEL } from './addons/karpenter-node-pools';
import { POSTGRES_CLUSTER_NAME, POSTGRES_NAMESPACE } from './addons/cnpg-cluster';
import type { ClusterAddOn, PlatformContext, PlatformServices } from './addon';
import { ArgoCdAddOn } from './addons/argo-cd';
import {
  AwsLoadBalancerControllerAddOn,
  ALB_INGRESS_CLASS,
} from './addons/aws-load-balancer-controller';
import { CertManagerAddOn } from './addons/cert-manager';
import { CloudNativePgAddOn, PostgresAddOn } from './addons/cloudnative-pg';
import { ExternalDnsAddOn } from './addons/external-dns';
import { AWS_SECRET_STORE, ExternalSecretsAddOn } from './addons/external-secrets';
import { PASSWORD_PROPERTY } from './generated-secret';
import { KarpenterAddOn } from './addons/karpenter';
import {
  KubePrometheusStackAddOn,
  MONITORING_NAMESPACE,
  monitoringServices,
} from './addons/kube-prometheus-stack';
import { MetricsServerAddOn } from './addons/metrics-server';
import { StorageClassAddOn } from './storage-class';

/** Secrets Manager name (below the cluster prefix) of the Dagster database password. */
export const POSTGRES_PASSWORD_SECRET_NAME = 'postgres/dagster';
/** Database and owner of the Dagster Postgres cluster. */
export const POSTGRES_DATABASE = 'dagster';

/**
 * The facts application add-ons (Dagster) build on.
 * @param config `clusters.<name>.platform`
 * @param secretsPrefix the cluster's Secrets Manager prefix (`<prefix>/<cluster>/`, cluster output)
 */
export function platformServices(config: PlatformConfig, secretsPrefix: string): PlatformServices {
  const batch = config.karpenter.nodePools.batch;
  return {
    secretStoreName: AWS_SECRET_STORE,
    ingressClassName: ALB_INGRESS_CLASS,
    postgres: config.postgres.enabled
      ? {
          host: `${POSTGRES_CLUSTER_NAME}-rw.${POSTGRES_NAMESPACE}.svc.cluster.local`,
          port: 5432,
          database: POSTGRES_DATABASE,
          username: POSTGRES_DATABASE,
          namespace: POSTGRES_NAMESPACE,
          podLabels: { 'cnpg.io/cluster': POSTGRES_CLUSTER_NAME },
          passwordSecret: {
            name: `${secretsPrefix}${POSTGRES_PASSWORD_SECRET_NAME}`,
            property: PASSWORD_PROPERTY,
          },
        }
      : undefined,
    batchNodePool: {
      name: 'batch',
      nodeSelector: { [NODE_POOL_LABEL]: 'batch' },
      tolerations: batch.taints.map((t) => ({
        key: t.key,
        operator: t.value !== undefined ? ('Equal' as const) : ('Exists' as const),
        ...(t.value !== undefined ? { value: t.value } : {}),
        effect: t.effect,
      })),
    },
    monitoring: config.monitoring.enabled ? monitoringServices() : undefined,
  };
}

/** Options of {@link platformAddOns}. */
export interface PlatformAddOnsOptions {
  /** Availability zones the cluster spans (spreads the Postgres instances). */
  readonly availabilityZoneCount: number;
  /**
   * Namespaces of application add-ons that read secrets through the ClusterSecretStores
   * (`dagster` when Dagster is enabled). Default none.
   */
  readonly secretStoreNamespaces?: readonly string[];
}

/**
 * The platform add-ons a cluster's config enables, in install order: Karpenter, the default
 * storage class, External Secrets, the load balancer controller, external-dns,
 * metrics-server, then (as enabled) kube-prometheus-stack, CloudNativePG and its Postgres
 * cluster, cert-manager and Argo CD.
 */
export function platformAddOns(
  config: PlatformConfig,
  options: PlatformAddOnsOptions,
): ClusterAddOn[] {
  const monitoring = config.monitoring.enabled;
  return [
    new KarpenterAddOn({ nodePools: config.karpenter.nodePools }),
    new StorageClassAddOn(),
    new ExternalSecretsAddOn({
      vault: config.externalSecrets.vault,
      namespaces: [
        ...(config.postgres.enabled ? [POSTGRES_NAMESPACE] : []),
        ...(monitoring ? [MONITORING_NAMESPACE] : []),
        ...(options.secretStoreNamespaces ?? []),
        ...config.externalSecrets.namespaces,
      ],
    }),
    new AwsLoadBalancerControllerAddOn(),
    new ExternalDnsAddOn(),
    new MetricsServerAddOn(),
    ...(monitoring ? [new KubePrometheusStackAddOn({ config: config.monitoring })] : []),
    ...(config.postgres.enabled
      ? [
          new CloudNativePgAddOn({ monitoring }),
          new PostgresAddOn({
            config: config.postgres,
            availabilityZoneCount: options.availabilityZoneCount,
            monitoring,
          }),
        ]
      : []),
    ...(config.certManager.enabled ? [new CertManagerAddOn()] : []),
    ...(config.argoCd.enabled ? [new ArgoCdAddOn()] : []),
  ];
}

/** What {@link installAddOns} needs besides the add-ons. */
export interface InstallContext {
  /** Key of the cluster in `clusters` (`main-01`). */
  readonly clusterKey: string;
  /** AWS region of the cluster. */
  readonly region: string;
  /** The cluster stack's outputs. */
  readonly cluster: ClusterOutputs;
  /** The shared platform facts (from {@link platformServices}). */
  readonly services: PlatformServices;
}

/**
 * Builds `addOns` into `scope` in dependency order (a stable topological sort: list order
 * where dependencies allow).
 * @returns add-on name → what its dependents wait for
 * @throws Error on a duplicate name, a dependency on an add-on not in the list
 *   (`add-on postgres depends on "cloudnative-pg", which is not enabled`), or a cycle
 */
export function installAddOns(
  scope: Construct,
  addOns: readonly ClusterAddOn[],
  base: InstallContext,
): Map<string, ITerraformDependable> {
  const byName = new Map<string, ClusterAddOn>();
  for (const a of addOns) {
    if (byName.has(a.name)) throw new Error(`add-on "${a.name}" is listed twice`);
    byName.set(a.name, a);
  }
  for (const a of addOns) {
    for (const d of a.dependsOn) {
      if (!byName.has(d))
        throw new Error(`add-on ${a.name} depends on "${d}", which is not enabled`);
    }
  }
  const built = new Map<string, ITerraformDependable>();
  const ctx: PlatformContext = {
    ...base,
    dependency(name: string): ITerraformDependable {
      const d = built.get(name);
      if (!d)
        throw new Error(
          `add-on "${name}" is not enabled or not built yet (declare it in dependsOn)`,
        );
      return d;
    },
  };
  const pending = [...addOns];
  while (pending.length > 0) {
    const i = pending.findIndex((a) => a.dependsOn.every((d) => built.has(d)));
    if (i < 0)
      throw new Error(`add-on dependency cycle among: ${pending.map((a) => a.name).join(', ')}`);
    const [next] = pending.splice(i, 1);
    built.set(next.name, next.build(scope, ctx));
  }
  return built;
}
