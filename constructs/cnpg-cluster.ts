/**
 * The CloudNativePG Postgres cluster for Dagster: the `Cluster` (postgresql.cnpg.io/v1), its
 * `ScheduledBackup`, the Secrets Manager password and the `ExternalSecret` that turns it into
 * the Kubernetes Secret CloudNativePG bootstraps the database owner from, plus (with
 * monitoring) a `PodMonitor` and a `PrometheusRule`. Everything custom is delivered as one
 * {@link ManifestsRelease} after the operator, External Secrets and (optionally) monitoring.
 *
 * References (CloudNativePG 1.30):
 * - Cluster: https://cloudnative-pg.io/documentation/current/cloudnative-pg.v1/#postgresql-cnpg-io-v1-Cluster
 * - Backups to S3 with IAM role credentials: https://cloudnative-pg.io/documentation/current/appendixes/object_stores/#aws-s3
 * - Bootstrap secret: https://cloudnative-pg.io/documentation/current/bootstrap/#bootstrap-an-empty-cluster-initdb
 * - Monitoring: https://cloudnative-pg.io/documentation/current/monitoring/
 */
import { Construct } from 'constructs';
import type { ITerraformDependable } from 'cdktf';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { ADDON_IDENTITIES } from './cluster-addon-identities';
import { ManifestsRelease } from './addons/manifests';
import { externalSecret } from './addons/external-secrets';
import {
  GeneratedPasswordSecret,
  PASSWORD_PROPERTY,
  USERNAME_PROPERTY,
} from './addons/generated-secret';
import { POSTGRES_IMAGE } from './versions';

/** Names fixed by the Pod Identity association of the cluster stack (`cloudnative-pg`). */
export const POSTGRES_NAMESPACE = ADDON_IDENTITIES['cloudnative-pg'].namespace;
/** The `Cluster` name: CloudNativePG names the instances' service account after it. */
export const POSTGRES_CLUSTER_NAME = ADDON_IDENTITIES['cloudnative-pg'].serviceAccounts[0];
/** Kubernetes Secret (basic-auth) with the database owner's credentials. */
export const POSTGRES_APP_SECRET = `${POSTGRES_CLUSTER_NAME}-app`;

/** Props of {@link CnpgPostgres}. */
export interface CnpgPostgresProps {
  /** Instances (primary + replicas). */
  readonly instances: number;
  /** Data volume per instance, GiB. */
  readonly storageGiB: number;
  /** StorageClass of the volumes (the default `gp3`). */
  readonly storageClass: string;
  /** Backup and WAL retention, days. */
  readonly backupRetentionDays: number;
  /** Base backup schedule, six-field cron (seconds first). */
  readonly backupSchedule: string;
  /** S3 bucket name for backups (cluster stack output). */
  readonly backupBucket: string;
  /** Availability zones the cluster spans: instances ≤ zones → one per zone required, else preferred. */
  readonly availabilityZoneCount: number;
  /** Database name. Default `dagster`. */
  readonly database?: string;
  /** Database owner. Default `dagster`. */
  readonly owner?: string;
  /** Full Secrets Manager name of the generated password. */
  readonly passwordSecretName: string;
  /** External Secrets store to read it with. */
  readonly secretStoreName: string;
  /** Monitoring: labels for the `PrometheusRule`; omit to create no PodMonitor/rules. */
  readonly monitoring?: { readonly ruleLabels: Record<string, string> };
  /** Operator release, External Secrets stores, storage class, monitoring release. */
  readonly dependsOn: ITerraformDependable[];
}

/** The `Cluster` object. */
export function postgresCluster(props: CnpgPostgresProps): Record<string, unknown> {
  const database = props.database ?? 'dagster';
  return {
    apiVersion: 'postgresql.cnpg.io/v1',
    kind: 'Cluster',
    metadata: { name: POSTGRES_CLUSTER_NAME, namespace: POSTGRES_NAMESPACE },
    spec: {
      instances: props.instances,
      imageName: POSTGRES_IMAGE,
      primaryUpdateStrategy: 'unsupervised',
      enableSuperuserAccess: false,
      storage: { size: `${props.storageGiB}Gi`, storageClass: props.storageClass },
      affinity: {
        enablePodAntiAffinity: true,
        topologyKey: 'topology.kubernetes.io/zone',
        podAntiAffinityType:
          props.instances <= props.availabilityZoneCount ? 'required' : 'preferred',
      },
      bootstrap: {
        initdb: {
          database,
          owner: props.owner ?? 'dagster',
          secret: { name: POSTGRES_APP_SECRET },
        },
      },
      resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { memory: '1Gi' } },
      backup: {
        retentionPolicy: `${props.backupRetentionDays}d`,
        barmanObjectStore: {
          destinationPath: `s3://${props.backupBucket}/${POSTGRES_CLUSTER_NAME}`,
          // The instance pods' service account has a Pod Identity role (cluster stack).
          s3Credentials: { inheritFromIAMRole: true },
          wal: { compression: 'gzip', encryption: 'AES256' },
          data: { compression: 'gzip', encryption: 'AES256' },
        },
      },
    },
  };
}

/** The `ScheduledBackup` object (first backup immediately). */
export function postgresScheduledBackup(schedule: string): Record<string, unknown> {
  return {
    apiVersion: 'postgresql.cnpg.io/v1',
    kind: 'ScheduledBackup',
    metadata: { name: `${POSTGRES_CLUSTER_NAME}-daily`, namespace: POSTGRES_NAMESPACE },
    spec: {
      schedule,
      immediate: true,
      backupOwnerReference: 'self',
      method: 'barmanObjectStore',
      cluster: { name: POSTGRES_CLUSTER_NAME },
    },
  };
}

/** A `PodMonitor` scraping the instances' `metrics` port (9187). */
export function postgresPodMonitor(): Record<string, unknown> {
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PodMonitor',
    metadata: { name: POSTGRES_CLUSTER_NAME, namespace: POSTGRES_NAMESPACE },
    spec: {
      selector: {
        matchLabels: { 'cnpg.io/cluster': POSTGRES_CLUSTER_NAME, 'cnpg.io/podRole': 'instance' },
      },
      podMetricsEndpoints: [{ port: 'metrics' }],
    },
  };
}

/** A `PrometheusRule` with the basic alerts: instance down, replication lag, stale backup. */
export function postgresRules(labels: Record<string, string>): Record<string, unknown> {
  const sel = `namespace="${POSTGRES_NAMESPACE}",pod=~"${POSTGRES_CLUSTER_NAME}-[0-9]+"`;
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: { name: `${POSTGRES_CLUSTER_NAME}-alerts`, namespace: POSTGRES_NAMESPACE, labels },
    spec: {
      groups: [
        {
          name: 'postgres',
          rules: [
            {
              alert: 'PostgresInstanceDown',
              expr: `cnpg_collector_up{${sel}} == 0`,
              for: '5m',
              labels: { severity: 'critical' },
              annotations: { summary: 'Postgres instance {{ $labels.pod }} is down' },
            },
            {
              alert: 'PostgresReplicationLag',
              expr: `max by (pod) (cnpg_pg_replication_lag{${sel}}) > 300`,
              for: '10m',
              labels: { severity: 'warning' },
              annotations: { summary: 'Replica {{ $labels.pod }} lags more than 5 minutes' },
            },
            {
              alert: 'PostgresBackupTooOld',
              expr: `time() - max(cnpg_collector_last_available_backup_timestamp{${sel}}) > 129600`,
              for: '30m',
              labels: { severity: 'warning' },
              annotations: { summary: 'No Postgres base backup in the last 36 hours' },
            },
          ],
        },
      ],
    },
  };
}

/**
 * The Postgres cluster, its password, secrets and backups.
 * @throws Error if `instances` < 1 or `availabilityZoneCount` < 1.
 */
export class CnpgPostgres extends Construct {
  readonly namespace: NamespaceV1;
  readonly password: GeneratedPasswordSecret;
  readonly release: ManifestsRelease['release'];
  readonly manifests: Record<string, unknown>[];

  constructor(scope: Construct, id: string, props: CnpgPostgresProps) {
    super(scope, id);
    if (props.instances < 1) throw new Error('CnpgPostgres: instances must be at least 1');
    if (props.availabilityZoneCount < 1)
      throw new Error('CnpgPostgres: availabilityZoneCount must be at least 1');
    this.namespace = new NamespaceV1(this, 'namespace', {
      metadata: {
        name: POSTGRES_NAMESPACE,
        labels: {
          'app.kubernetes.io/managed-by': 'terraform',
          'pod-security.kubernetes.io/enforce': 'restricted',
          'pod-security.kubernetes.io/warn': 'restricted',
          'pod-security.kubernetes.io/audit': 'restricted',
        },
      },
    });
    this.password = new GeneratedPasswordSecret(this, 'password', {
      secretName: props.passwordSecretName,
      description: `Password of the Postgres owner of database ${props.database ?? 'dagster'} (CloudNativePG cluster ${POSTGRES_CLUSTER_NAME})`,
      username: props.owner ?? 'dagster',
    });
    this.manifests = [
      externalSecret({
        name: POSTGRES_APP_SECRET,
        namespace: POSTGRES_NAMESPACE,
        type: 'kubernetes.io/basic-auth',
        store: props.secretStoreName,
        data: {
          username: { key: this.password.secretName, property: USERNAME_PROPERTY },
          password: { key: this.password.secretName, property: PASSWORD_PROPERTY },
        },
      }),
      postgresCluster(props),
      postgresScheduledBackup(props.backupSchedule),
      ...(props.monitoring
        ? [postgresPodMonitor(), postgresRules(props.monitoring.ruleLabels)]
        : []),
    ];
    this.release = new ManifestsRelease(this, 'manifests', {
      name: 'postgres-dagster',
      namespace: POSTGRES_NAMESPACE,
      manifests: this.manifests,
      dependsOn: [...props.dependsOn, this.namespace, this.password.version],
      stateful: true,
    }).release;
  }
}
