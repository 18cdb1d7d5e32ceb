/**
 * Monitoring of the CloudNativePG Postgres cluster: the `PodMonitor`, the alert rules, and the
 * custom exporter queries that turn Dagster's own run status into a metric.
 */
import { stringify as stringifyYaml } from 'yaml';
import { ADDON_IDENTITIES } from '../../eks/addon-identities';

/** Names fixed by the Pod Identity association of the cluster stack (`cloudnative-pg`). */
export const POSTGRES_NAMESPACE = ADDON_IDENTITIES['cloudnative-pg'].namespace;
/** The `Cluster` name: CloudNativePG names the instances' service account after it. */
export const POSTGRES_CLUSTER_NAME = ADDON_IDENTITIES['cloudnative-pg'].serviceAccounts[0];

/** ConfigMap (in the Postgres namespace) with the exporter's Dagster queries, and its key. */
export const DAGSTER_QUERIES_CONFIGMAP = {
  name: `${POSTGRES_CLUSTER_NAME}-dagster-queries`,
  key: 'queries.yaml',
} as const;

/**
 * The metric Dagster's own run status yields, through the instances' exporter:
 * `cnpg_dagster_runs_unrecovered_failures{job}` (CloudNativePG names custom metrics
 * `cnpg_<query>_<column>`, https://cloudnative-pg.io/documentation/current/monitoring/#user-defined-metrics).
 */
export const DAGSTER_FAILED_RUNS_METRIC = 'cnpg_dagster_runs_unrecovered_failures';

/**
 * Custom exporter queries on the `dagster` database (CloudNativePG `spec.monitoring.customQueriesConfigMap`):
 * per Dagster job, the runs that ended in `FAILURE` in the last `quietHours` hours and have no
 * `SUCCESS` run of the same job after them. A failure Dagster records itself (launch errors,
 * run-worker crashes, failed steps), not only a failed Kubernetes Job; and a successful retry
 * (a later run of the same job) clears it. Reads Dagster's run storage table `runs`
 * (`status`, `pipeline_name`, `update_timestamp`: `python_modules/dagster/dagster/_core/storage/runs/schema.py`;
 * status values of `DagsterRunStatus`, `FAILURE` / `SUCCESS`). Until Dagster has created its
 * schema the query fails and yields no series.
 */
export function dagsterRunQueries(database: string, quietHours = 24): string {
  const sql =
    `SELECT f.pipeline_name AS job, count(*) AS unrecovered_failures FROM runs f ` +
    `WHERE f.status = 'FAILURE' AND f.update_timestamp > now() - interval '${quietHours} hours' ` +
    `AND NOT EXISTS (SELECT 1 FROM runs s WHERE s.pipeline_name = f.pipeline_name ` +
    `AND s.status = 'SUCCESS' AND s.update_timestamp > f.update_timestamp) GROUP BY f.pipeline_name`;
  return stringifyYaml({
    dagster_runs: {
      query: sql,
      target_databases: [database],
      metrics: [
        { job: { usage: 'LABEL', description: 'Dagster job name' } },
        {
          unrecovered_failures: {
            usage: 'GAUGE',
            description: 'Failed runs of the job in the quiet window with no later successful run',
          },
        },
      ],
    },
  });
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
