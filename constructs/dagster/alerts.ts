/**
 * Dagster alerts as a `PrometheusRule` (monitoring.coreos.com/v1,
 * https://prometheus-operator.dev/docs/api-reference/api/#monitoring.coreos.com/v1.PrometheusRule),
 * from kube-state-metrics series (kubernetes/kube-state-metrics v2.20.0, the app of the
 * kube-state-metrics chart 8.4.0 that kube-prometheus-stack 88.5.3 bundles:
 * `docs/metrics/workload/job-metrics.md`, `pod-metrics.md`, `deployment-metrics.md`) and from
 * Dagster's own run status (the Postgres exporter's Dagster query, `cnpg-monitoring.ts`).
 * Alertmanager routes them by `severity` through the platform's receivers.
 */
import type { DagsterConfig } from '../../envs/schema/dagster';
import { DAGSTER_FAILED_RUNS_METRIC, POSTGRES_NAMESPACE } from '../platform/addons/cnpg-monitoring';
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
 * `DagsterRunFailed`: Dagster recorded a failed run of a job in the last 24 hours and no later
 * run of that job succeeded ({@link DAGSTER_FAILED_RUNS_METRIC}, from Dagster's run storage).
 * Covers what never becomes a failed Kubernetes Job (launch errors, runs failed by run
 * monitoring while their pod waited) and resolves as soon as a retry succeeds.
 */
export const RUN_FAILED_EXPR = `max by (job) (${DAGSTER_FAILED_RUNS_METRIC}{namespace="${POSTGRES_NAMESPACE}"}) > 0`;

/**
 * Waiting reasons of a container that will not start without a change: a missing ConfigMap or
 * Secret (`CreateContainerConfigError`), a bad container spec (`CreateContainerError`), an image
 * that cannot be pulled (`ErrImagePull`, `ImagePullBackOff`, `InvalidImageName`). The kubelet
 * reports them in `containerStatuses[].state.waiting.reason`; kube-state-metrics exports them as
 * `kube_pod_container_status_waiting_reason{reason}` = 1 (`internal/store/pod.go` at v2.20.0).
 */
export const STUCK_WAITING_REASONS = [
  'CreateContainerConfigError',
  'CreateContainerError',
  'ErrImagePull',
  'ImagePullBackOff',
  'InvalidImageName',
] as const;

/** `DagsterPodNotStarting`: a Dagster pod (run, step, server) waits for one of {@link STUCK_WAITING_REASONS}. */
export const POD_NOT_STARTING_EXPR = `max by (namespace, pod, container, reason) (kube_pod_container_status_waiting_reason{${ns}, reason=~"${STUCK_WAITING_REASONS.join('|')}"}) > 0`;

/**
 * `DagsterPodUnschedulable`: a Dagster pod has `PodScheduled=False` (kube-state-metrics
 * `kube_pod_status_unschedulable`, `internal/store/pod.go` at v2.20.0: 1 "if c.Type ==
 * v1.PodScheduled && c.Status == v1.ConditionFalse").
 */
export const POD_UNSCHEDULABLE_EXPR = `max by (namespace, pod) (kube_pod_status_unschedulable{${ns}}) > 0`;

/**
 * The rules:
 * - `DagsterRunFailed`: Dagster failed a run and no retry has succeeded ({@link RUN_FAILED_EXPR}).
 * - `DagsterPodNotStarting`: a pod waits on a config, spec or image error for
 *   `alerts.runNotStartedMinutes` ({@link POD_NOT_STARTING_EXPR}).
 * - `DagsterPodUnschedulable`: a pod cannot be scheduled for `alerts.runNotStartedMinutes`.
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
                summary: 'Dagster job {{ $labels.job }} has failed runs',
                description:
                  '{{ $value }} run(s) of job {{ $labels.job }} failed in the last 24 hours and no later run succeeded. Open the job in the Dagster UI for the run logs; the alert resolves when a run succeeds.',
              },
            },
            {
              alert: 'DagsterPodNotStarting',
              expr: POD_NOT_STARTING_EXPR,
              for: `${config.alerts.runNotStartedMinutes}m`,
              labels: { severity: 'warning', team: 'data' },
              annotations: {
                summary: 'Dagster pod {{ $labels.pod }} cannot start ({{ $labels.reason }})',
                description:
                  'Container {{ $labels.container }} of {{ $labels.namespace }}/{{ $labels.pod }} has been waiting with {{ $labels.reason }}: a missing ConfigMap or Secret, or an image that cannot be pulled. Run monitoring will fail the run after its start timeout.',
              },
            },
            {
              alert: 'DagsterPodUnschedulable',
              expr: POD_UNSCHEDULABLE_EXPR,
              for: `${config.alerts.runNotStartedMinutes}m`,
              labels: { severity: 'warning', team: 'data' },
              annotations: {
                summary: 'Dagster pod {{ $labels.pod }} cannot be scheduled',
                description:
                  'No node fits {{ $labels.namespace }}/{{ $labels.pod }}: check the node pools (limits, architectures, capacity types) and the pod requests.',
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
