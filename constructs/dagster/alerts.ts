/**
 * Dagster alerts as a `PrometheusRule` (monitoring.coreos.com/v1,
 * https://prometheus-operator.dev/docs/api-reference/api/#monitoring.coreos.com/v1.PrometheusRule),
 * from kube-state-metrics series (https://github.com/kubernetes/kube-state-metrics/blob/main/docs/metrics/workload/job-metrics.md,
 * deployment-metrics.md). Alertmanager routes them by `severity` through the platform's receivers.
 */
import type { DagsterConfig } from '../../envs/schema/dagster';
import {
  DAEMON_DEPLOYMENT,
  DAGSTER_NAMESPACE,
  RUN_JOB_PREFIX,
  codeLocationDeployment,
} from './names';

type Obj = Record<string, unknown>;

/** Name of the rule object. */
export const DAGSTER_RULE_NAME = 'dagster-alerts';

const ns = `namespace="${DAGSTER_NAMESPACE}"`;
/** Label matchers of the run Jobs (`dagster-run-<run id>`) in the Dagster namespace. */
export const RUN_JOB_MATCHERS = `${ns}, job_name=~"${RUN_JOB_PREFIX}.+"`;

/**
 * `DagsterRunFailed`: the run Job's `Failed` condition is true (kube-state-metrics
 * `kube_job_failed{condition="true"}`, emitted for a Job with a `Failed` condition,
 * https://github.com/kubernetes/kube-state-metrics/blob/main/docs/metrics/workload/job-metrics.md).
 * A state, not a comparison of success and failure timestamps, so it fires for a run whose
 * Job has never succeeded (and for a Job retried under a `backoffLimit` only once it has given
 * up, unlike `kube_job_status_failed`, which counts failed pods). Stays firing until the Job
 * is deleted by its TTL (`jobTtlSeconds`).
 */
export const RUN_FAILED_EXPR = `max by (namespace, job_name) (kube_job_failed{${RUN_JOB_MATCHERS}, condition="true"}) == 1`;

/**
 * The rules:
 * - `DagsterRunFailed`: a run Job failed ({@link RUN_FAILED_EXPR}; the launcher sets
 *   `failPodOnRunFailure`, so a failed run fails its pod and its Job). Fires for a Job that
 *   never succeeded; resolves when the Job is cleaned up (`jobTtlSeconds`).
 * - `DagsterDaemonDown`: no available daemon replica (or no series at all) for 5 minutes.
 * - `DagsterPipelineStale`: no run Job succeeded within `alerts.pipelineStaleSeconds`.
 * - `DagsterCodeLocationUnavailable`: a code location has no available replica for
 *   `alerts.codeLocationUnavailableMinutes`.
 * @param config the validated `clusters.<name>.dagster` (code locations, `alerts`)
 * @param labels labels Prometheus selects rules by (`PlatformServices.monitoring.ruleLabels`,
 *   the kube-prometheus-stack `ruleSelector`)
 * @returns one `PrometheusRule` object named {@link DAGSTER_RULE_NAME} in the Dagster namespace
 */
export function dagsterPrometheusRule(config: DagsterConfig, labels: Record<string, string>): Obj {
  const stale = config.alerts.pipelineStaleSeconds;
  const locations = config.codeLocations.map((l) => codeLocationDeployment(l.name));
  const locationRe = locations.map((d) => d.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
  const daemon = `kube_deployment_status_replicas_available{${ns}, deployment="${DAEMON_DEPLOYMENT}"}`;
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: {
      name: DAGSTER_RULE_NAME,
      namespace: DAGSTER_NAMESPACE,
      labels: { ...labels, 'app.kubernetes.io/part-of': 'dagster' },
    },
    spec: {
      groups: [
        {
          name: 'dagster',
          rules: [
            {
              alert: 'DagsterRunFailed',
              expr: RUN_FAILED_EXPR,
              labels: { severity: 'warning', team: 'data' },
              annotations: {
                summary: 'Dagster run {{ $labels.job_name }} failed',
                description:
                  "Run Job {{ $labels.namespace }}/{{ $labels.job_name }} failed. Open the run in the Dagster UI (the run ID is the Job's dagster/run-id label) for its logs.",
              },
            },
            {
              alert: 'DagsterDaemonDown',
              expr: `(${daemon} < 1) or absent(${daemon})`,
              for: '5m',
              labels: { severity: 'critical', team: 'data' },
              annotations: {
                summary: 'The Dagster daemon is down',
                description:
                  'No dagster-daemon replica has been available for 5 minutes: schedules, sensors, the run queue and run monitoring are stopped.',
              },
            },
            {
              alert: 'DagsterPipelineStale',
              expr: `absent_over_time((kube_job_status_succeeded{${RUN_JOB_MATCHERS}} > 0)[${stale}s:5m])`,
              labels: { severity: 'warning', team: 'data' },
              annotations: {
                summary: 'No Dagster run has succeeded recently',
                description: `No run Job in ${DAGSTER_NAMESPACE} has succeeded in the last ${stale} seconds (alerts.pipelineStaleSeconds).`,
              },
            },
            {
              alert: 'DagsterCodeLocationUnavailable',
              expr: `kube_deployment_status_replicas_available{${ns}, deployment=~"${locationRe}"} < 1`,
              for: `${config.alerts.codeLocationUnavailableMinutes}m`,
              labels: { severity: 'warning', team: 'data' },
              annotations: {
                summary: 'Dagster code location {{ $labels.deployment }} is unavailable',
                description:
                  'The code location server has no available replica: its jobs cannot be launched and its schedules and sensors do not run.',
              },
            },
          ],
        },
      ],
    },
  };
}
