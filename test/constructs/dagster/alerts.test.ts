/**
 * Dagster alerts: the exact PromQL of every rule, the rules evaluated on sample
 * kube-state-metrics series (a run Job that never succeeded must fire), CRD conformance, the
 * labels the monitoring stack selects rules by, and the dashboard.
 */
import { dagsterPrometheusRule, RUN_FAILED_EXPR } from '../../../constructs/dagster/alerts';
import { dagsterDashboard, DASHBOARD_PANELS } from '../../../constructs/dagster/dashboard';
import { STUB_SERVICES } from '../../support/platform-fixture';
import { dagster } from '../../support/dagster-fixtures';
import { evaluate, sample, type Sample } from '../../support/promql';
import { dagsterRunQueries } from '../../../constructs/platform/addons/cnpg-monitoring';
import { parse } from 'yaml';
import { describeReference, validateCustomResource } from '../../support/conformance';

const CRD = 'prometheus-operator/crd-prometheusrules.yaml';
const ruleLabels = STUB_SERVICES.monitoring!.ruleLabels;
const rule = dagsterPrometheusRule(dagster(), ruleLabels) as any;
const rules: Record<string, any> = Object.fromEntries(
  rule.spec.groups[0].rules.map((r: any) => [r.alert, r]),
);

/** kube-state-metrics series of one Job (https://github.com/kubernetes/kube-state-metrics/blob/main/docs/metrics/workload/job-metrics.md). */
function job(
  name: string,
  state: { failedPods?: number; succeededPods?: number; failed?: boolean; complete?: boolean },
  namespace = 'dagster',
): Sample[] {
  const l = { namespace, job_name: name };
  const out = [
    sample('kube_job_status_failed', l, state.failedPods ?? 0),
    sample('kube_job_status_succeeded', l, state.succeededPods ?? 0),
  ];
  // A condition's series exist only once the Job has that condition (true/false/unknown).
  if (state.failed !== undefined)
    for (const c of ['true', 'false', 'unknown'])
      out.push(
        sample('kube_job_failed', { ...l, condition: c }, Number(String(state.failed) === c)),
      );
  if (state.complete)
    for (const c of ['true', 'false', 'unknown'])
      out.push(sample('kube_job_complete', { ...l, condition: c }, Number(c === 'true')));
  return out;
}

const deployment = (name: string, available: number): Sample =>
  sample(
    'kube_deployment_status_replicas_available',
    { namespace: 'dagster', deployment: name },
    available,
  );

/** The Postgres exporter's Dagster series (cnpg-monitoring.ts: `cnpg_<query>_<column>`). */
const unrecovered = (jobName: string, value: number): Sample =>
  sample(
    'cnpg_dagster_runs_unrecovered_failures',
    { namespace: 'postgres', pod: 'dagster-pg-1', job: jobName },
    value,
  );

describe('DagsterRunFailed (Dagster’s own run status)', () => {
  const fire = (data: Sample[]) => evaluate(rules.DagsterRunFailed.expr, data);

  it('reads the failed-and-not-retried count Dagster’s run storage yields', () => {
    expect(rules.DagsterRunFailed.expr).toBe(
      'max by (job) (cnpg_dagster_runs_unrecovered_failures{namespace="postgres"}) > 0',
    );
    expect(rules.DagsterRunFailed.expr).toBe(RUN_FAILED_EXPR);
    expect(rules.DagsterRunFailed.for).toBeUndefined(); // a failure is final: fire at once
  });

  it('fires per job with an unrecovered failure (also launch errors: no Kubernetes Job needed)', () => {
    expect(fire([unrecovered('etl', 2), unrecovered('ml', 0)])).toEqual([
      { labels: { job: 'etl' }, value: 2 },
    ]);
  });

  it('is silent for 24 h after a successful retry: the query counts no failure followed by a success', () => {
    // After the retry succeeded the exporter reports 0 for the job (NOT EXISTS a later SUCCESS),
    // and after 24 h the failure leaves the window: no series at all.
    expect(fire([unrecovered('etl', 0)])).toEqual([]);
    expect(fire([])).toEqual([]);
    const sql = (parse(dagsterRunQueries('dagster')) as any).dagster_runs.query as string;
    expect(sql).toContain("f.status = 'FAILURE'");
    expect(sql).toContain("interval '24 hours'");
    expect(sql).toMatch(
      /NOT EXISTS \(SELECT 1 FROM runs s WHERE s\.pipeline_name = f\.pipeline_name AND s\.status = 'SUCCESS' AND s\.update_timestamp > f\.update_timestamp\)/,
    );
  });
});

/** kube-state-metrics v2.20.0 pod series (`internal/store/pod.go`). */
const waiting = (pod: string, reason: string, namespace = 'dagster'): Sample =>
  sample(
    'kube_pod_container_status_waiting_reason',
    { namespace, pod, container: 'dagster', reason, uid: `uid-${pod}` },
    1,
  );

describe('runs that never start', () => {
  it.each(['CreateContainerConfigError', 'ImagePullBackOff', 'ErrImagePull'])(
    'DagsterPodNotStarting fires for a run pod waiting with %s',
    (reason) => {
      const r = rules.DagsterPodNotStarting;
      expect(r.for).toBe('10m');
      expect(evaluate(r.expr, [waiting('dagster-run-0a1b-xyz', reason)])).toEqual([
        {
          labels: {
            namespace: 'dagster',
            pod: 'dagster-run-0a1b-xyz',
            container: 'dagster',
            reason,
          },
          value: 1,
        },
      ]);
    },
  );

  it('DagsterPodNotStarting ignores transient reasons and other namespaces', () => {
    const r = rules.DagsterPodNotStarting;
    expect(evaluate(r.expr, [waiting('dagster-run-1', 'ContainerCreating')])).toEqual([]);
    expect(evaluate(r.expr, [waiting('x', 'ImagePullBackOff', 'other')])).toEqual([]);
  });

  it('DagsterPodUnschedulable fires for a pending pod no node fits', () => {
    const r = rules.DagsterPodUnschedulable;
    const s = (ns: string, v: number) =>
      sample('kube_pod_status_unschedulable', { namespace: ns, pod: 'dagster-run-2', uid: 'u' }, v);
    expect(evaluate(r.expr, [s('dagster', 1)])).toEqual([
      { labels: { namespace: 'dagster', pod: 'dagster-run-2' }, value: 1 },
    ]);
    expect(evaluate(r.expr, [s('other', 1)])).toEqual([]);
    expect(r.for).toBe('10m');
    const r5 = dagsterPrometheusRule(
      dagster((d) => (d.alerts = { runNotStartedMinutes: 5 })),
      {},
    ) as any;
    expect(
      r5.spec.groups[0].rules.find((x: any) => x.alert === 'DagsterPodUnschedulable').for,
    ).toBe('5m');
  });
});

describe('other rules', () => {
  it('DagsterDaemonDown: no available replica for 5 minutes, also when the series is absent', () => {
    const r = rules.DagsterDaemonDown;
    const daemon =
      'kube_deployment_status_replicas_available{namespace="dagster", deployment="dagster-daemon"}';
    expect(r.expr).toBe(`(${daemon} < 1) or absent(${daemon})`);
    expect(r.for).toBe('5m');
    expect(evaluate(r.expr, [deployment('dagster-daemon', 0)])).toHaveLength(1);
    expect(evaluate(r.expr, [])).toEqual([
      { labels: { namespace: 'dagster', deployment: 'dagster-daemon' }, value: 1 },
    ]);
    expect(evaluate(r.expr, [deployment('dagster-daemon', 1)])).toEqual([]);
  });

  it('DagsterPipelineStale: no run Job succeeded within alerts.pipelineStaleSeconds', () => {
    expect(rules.DagsterPipelineStale.expr).toBe(
      'absent_over_time((kube_job_status_succeeded{namespace="dagster", job_name=~"dagster-run-.+"} > 0)[86400s:5m])',
    );
    const r = dagsterPrometheusRule(
      dagster((d) => (d.alerts = { pipelineStaleSeconds: 7200 })),
      {},
    ) as any;
    expect(
      r.spec.groups[0].rules.find((x: any) => x.alert === 'DagsterPipelineStale').expr,
    ).toContain('[7200s:5m]');
  });

  it('DagsterCodeLocationUnavailable: every code location, for the configured minutes', () => {
    const two = dagster((d) =>
      d.codeLocations.push({
        name: 'etl',
        image: { repository: 'registry.example/etl', tag: '1.0.0' },
        module: 'etl.defs',
      }),
    );
    const r = (dagsterPrometheusRule(two, {}) as any).spec.groups[0].rules.find(
      (x: any) => x.alert === 'DagsterCodeLocationUnavailable',
    );
    expect(r.expr).toBe(
      'kube_deployment_status_replicas_available{namespace="dagster", deployment=~"dagster-dagster-user-deployments-example|dagster-dagster-user-deployments-etl"} < 1',
    );
    expect(r.for).toBe('10m');
    const firing = evaluate(r.expr, [
      deployment('dagster-dagster-user-deployments-example', 1),
      deployment('dagster-dagster-user-deployments-etl', 0),
      deployment('dagster-daemon', 0),
    ]);
    expect(firing.map((s) => s.labels.deployment)).toEqual([
      'dagster-dagster-user-deployments-etl',
    ]);
  });

  it('every rule carries a severity Alertmanager routes on, and the team label', () => {
    for (const r of Object.values(rules)) {
      expect(['warning', 'critical']).toContain(r.labels.severity);
      expect(r.labels.team).toBe('data');
    }
    expect(Object.keys(rules)).toEqual([
      'DagsterRunFailed',
      'DagsterPodNotStarting',
      'DagsterPodUnschedulable',
      'DagsterDaemonDown',
      'DagsterPipelineStale',
      'DagsterCodeLocationUnavailable',
    ]);
  });
});

describe('the PrometheusRule object', () => {
  it('carries the labels the monitoring stack selects rules by', () => {
    expect(rule.metadata).toMatchObject({
      name: 'dagster-alerts',
      namespace: 'dagster',
      labels: { ...ruleLabels, 'app.kubernetes.io/part-of': 'dagster' },
    });
  });

  describeReference('PrometheusRule CRD', () => {
    it('validates against the CRD, which does reject a bad duration', () => {
      expect(validateCustomResource(rule, CRD)).toEqual([]);
      const bad = {
        ...rule,
        spec: { groups: [{ name: 'x', rules: [{ alert: 'A', for: 'soon', expr: 'up' }] }] },
      };
      expect(validateCustomResource(bad, CRD)).not.toEqual([]);
    });
  });
});

describe('dashboard', () => {
  it('covers runs, failures and durations; failures counted from failed run Jobs', () => {
    const panels = dagsterDashboard().panels as any[];
    expect(panels.map((p) => p.title)).toEqual(
      expect.arrayContaining(['Runs in progress', 'Run failures', 'Run duration']),
    );
    const failures = DASHBOARD_PANELS.find((p) => p.title === 'Run failures')!;
    expect(failures.expr).toContain('kube_job_failed{');
    expect(failures.expr).toContain('condition="true"');
    // evaluates on the same samples: two failed runs counted
    const data = [
      ...job('dagster-run-a', { failedPods: 1, failed: true }),
      ...job('dagster-run-b', { failedPods: 1, failed: true }),
      ...job('dagster-run-c', { succeededPods: 1, complete: true }),
    ];
    const countExpr = failures.expr.replace(/^count\((.*)\) or vector\(0\)$/, 'count by () ($1)');
    expect(evaluate(countExpr, data)).toEqual([{ labels: {}, value: 2 }]);
    expect(panels.every((p) => p.targets[0].expr.length > 0)).toBe(true);
  });
});
