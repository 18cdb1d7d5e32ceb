/**
 * CloudNativePG: the operator (chart `cnpg/cloudnative-pg`, add-on `cloudnative-pg`) and the
 * Postgres cluster for Dagster (add-on `postgres`, {@link CnpgPostgres}).
 *
 * Chart values: https://github.com/cloudnative-pg/charts/blob/main/charts/cloudnative-pg/values.yaml
 * (validated in the tests against the chart's `values.schema.json`, defaults merged).
 */
import { Construct } from 'constructs';
import type { ITerraformDependable } from 'cdktf';
import type { PlatformConfig } from '../../../envs/schema/platform';
import { CNPG_OPERATOR_NAMESPACE, CnpgPostgres } from './cnpg-cluster';
import { PLATFORM_CHARTS } from '../../../envs/versions';
import type { ClusterAddOn, PlatformContext } from '../addon';
import { HelmAddOn, KARPENTER_ADDON } from '../helm-addon';
import { DEFAULT_STORAGE_CLASS } from '../storage-class';
import { systemTolerations } from '../scheduling';

/** Props of {@link CloudNativePgAddOn}. */
export interface CloudNativePgAddOnProps {
  /** Create the operator's PodMonitor and Grafana dashboard (needs kube-prometheus-stack). */
  readonly monitoring: boolean;
}

/** Add-on `cloudnative-pg`: the operator, cluster-wide, CRDs included. */
export class CloudNativePgAddOn extends HelmAddOn {
  private readonly monitoring: boolean;

  constructor(props: CloudNativePgAddOnProps) {
    super({
      name: 'cloudnative-pg',
      chart: PLATFORM_CHARTS.cloudnativePg,
      namespace: CNPG_OPERATOR_NAMESPACE,
      podSecurity: 'restricted',
      dependsOn: [KARPENTER_ADDON, ...(props.monitoring ? ['kube-prometheus-stack'] : [])],
    });
    this.monitoring = props.monitoring;
  }

  protected values(ctx: PlatformContext): Record<string, unknown> {
    const dashboard = ctx.services.monitoring?.dashboardLabel;
    return {
      crds: { create: true },
      config: { clusterWide: true },
      replicaCount: 1,
      tolerations: systemTolerations(),
      resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '256Mi' } },
      monitoring: {
        podMonitorEnabled: this.monitoring,
        grafanaDashboard: {
          create: this.monitoring && dashboard !== undefined,
          ...(dashboard ? { labels: { [dashboard.key]: dashboard.value } } : {}),
        },
      },
    };
  }
}

/** Props of {@link PostgresAddOn}. */
export interface PostgresAddOnProps {
  /** `clusters.<name>.platform.postgres`. */
  readonly config: PlatformConfig['postgres'];
  /** Availability zones of the cluster's subnets (`network.availabilityZones.length`). */
  readonly availabilityZoneCount: number;
  /** Add PodMonitor and PrometheusRule (kube-prometheus-stack enabled). */
  readonly monitoring: boolean;
  /**
   * Namespaces allowed to connect to Postgres on 5432 (NetworkPolicy). Default `['dagster']`
   * (`DEFAULT_POSTGRES_CLIENT_NAMESPACES` of `constructs/platform/addons/cnpg-cluster.ts`).
   */
  readonly clientNamespaces?: readonly string[];
}

/**
 * Add-on `postgres`: the Dagster database. Reads its names from `ctx.services.postgres`
 * (so Dagster and the database agree); throws if that is unset.
 */
export class PostgresAddOn implements ClusterAddOn {
  readonly name = 'postgres';
  readonly dependsOn: readonly string[];
  private readonly props: PostgresAddOnProps;

  constructor(props: PostgresAddOnProps) {
    this.props = props;
    this.dependsOn = [
      'cloudnative-pg',
      'external-secrets',
      'storage-class',
      ...(props.monitoring ? ['kube-prometheus-stack'] : []),
    ];
  }

  build(scope: Construct, ctx: PlatformContext): ITerraformDependable {
    const pg = ctx.services.postgres;
    if (!pg) throw new Error('add-on postgres: PlatformServices.postgres is not set');
    const own = new Construct(scope, this.name);
    const c = this.props.config;
    return new CnpgPostgres(own, 'cluster', {
      instances: c.instances,
      storageGiB: c.storageGiB,
      storageClass: DEFAULT_STORAGE_CLASS,
      backupRetentionDays: c.backupRetentionDays,
      backupSchedule: c.backupSchedule,
      backupBucket: ctx.cluster.buckets.postgresBackups,
      availabilityZoneCount: this.props.availabilityZoneCount,
      database: pg.database,
      owner: pg.username,
      passwordSecretName: pg.passwordSecret.name,
      secretStoreName: ctx.services.secretStoreName,
      monitoring:
        this.props.monitoring && ctx.services.monitoring
          ? {
              ruleLabels: ctx.services.monitoring.ruleLabels,
              namespace: ctx.services.monitoring.namespace,
            }
          : undefined,
      clientNamespaces: this.props.clientNamespaces,
      dependsOn: this.dependsOn.map((d) => ctx.dependency(d)),
    }).release;
  }
}
