/**
 * Grafana dashboard for Dagster runs (counts, failures, durations, component availability),
 * from kube-state-metrics Job and Deployment series. Delivered as a ConfigMap the Grafana
 * dashboard sidecar of kube-prometheus-stack loads
 * (https://github.com/grafana/helm-charts/tree/main/charts/grafana#sidecar-for-dashboards).
 */
import { DAEMON_DEPLOYMENT, DAGSTER_NAMESPACE } from './names';
import { RUN_JOB_MATCHERS as runs } from './alerts';

const ns = `namespace="${DAGSTER_NAMESPACE}"`;

type Panel = {
  title: string;
  type: 'timeseries' | 'stat';
  expr: string;
  legend?: string;
  unit?: string;
};

/** The panels (title, type, PromQL). */
export const DASHBOARD_PANELS: readonly Panel[] = [
  {
    title: 'Runs in progress',
    type: 'stat',
    expr: `sum(kube_job_status_active{${runs}}) or vector(0)`,
  },
  {
    title: 'Failed runs (Jobs kept)',
    type: 'stat',
    expr: `count(kube_job_failed{${runs}, condition="true"} == 1) or vector(0)`,
  },
  {
    title: 'Succeeded runs (Jobs kept)',
    type: 'stat',
    expr: `count(kube_job_status_succeeded{${runs}} > 0) or vector(0)`,
  },
  {
    title: 'Daemon available',
    type: 'stat',
    expr: `sum(kube_deployment_status_replicas_available{${ns}, deployment="${DAEMON_DEPLOYMENT}"})`,
  },
  {
    title: 'Runs started in the last hour',
    type: 'timeseries',
    expr: `count(kube_job_created{${runs}} > (time() - 3600)) or vector(0)`,
    legend: 'started',
  },
  {
    title: 'Run failures',
    type: 'timeseries',
    expr: `count(kube_job_failed{${runs}, condition="true"} == 1) or vector(0)`,
    legend: 'failed',
  },
  {
    title: 'Run duration',
    type: 'timeseries',
    expr: `max by (job_name) (kube_job_status_completion_time{${runs}} - kube_job_status_start_time{${runs}})`,
    legend: '{{job_name}}',
    unit: 's',
  },
  {
    title: 'Available replicas by component',
    type: 'timeseries',
    expr: `sum by (deployment) (kube_deployment_status_replicas_available{${ns}})`,
    legend: '{{deployment}}',
  },
];

/** The dashboard JSON model (https://grafana.com/docs/grafana/latest/dashboards/build-dashboards/view-dashboard-json-model/). */
export function dagsterDashboard(): Record<string, unknown> {
  return {
    uid: 'dagster-runs',
    title: 'Dagster runs',
    tags: ['dagster'],
    timezone: 'browser',
    schemaVersion: 39,
    refresh: '1m',
    time: { from: 'now-24h', to: 'now' },
    templating: { list: [] },
    panels: DASHBOARD_PANELS.map((p, i) => ({
      id: i + 1,
      title: p.title,
      type: p.type,
      datasource: { type: 'prometheus', uid: 'prometheus' },
      gridPos:
        p.type === 'stat'
          ? { x: (i % 4) * 6, y: 0, w: 6, h: 4 }
          : { x: ((i - 4) % 2) * 12, y: 4 + Math.floor((i - 4) / 2) * 8, w: 12, h: 8 },
      fieldConfig: { defaults: p.unit ? { unit: p.unit } : {}, overrides: [] },
      targets: [{ refId: 'A', expr: p.expr, ...(p.legend ? { legendFormat: p.legend } : {}) }],
    })),
  };
}
