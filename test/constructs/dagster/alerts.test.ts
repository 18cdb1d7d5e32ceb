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

describe('DagsterRunFailed', () => {
  const fire = (data: Sample[]) => evaluate(rules.DagsterRunFailed.expr, data);

  it('is the Job Failed condition from kube-state-metrics (exact expression, no timestamps)', () => {
    expect(rules.DagsterRunFailed.expr).toBe(
      'max by (namespace, job_name) (kube_job_failed{namespace="dagster", job_name=~"dagster-run-.+", condition="true"}) == 1',
    );
    expect(rules.DagsterRunFailed.expr).toBe(RUN_FAILED_EXPR);
    expect(rules.DagsterRunFailed.expr).not.toMatch(/time|timestamp/);
    expect(rules.DagsterRunFailed.for).toBeUndefined(); // a failure is final: fire at once
  });

  it('fires for a run Job that never succeeded', () => {
    expect(fire(job('dagster-run-0a1b', { failedPods: 1, failed: true }))).toEqual([
      { labels: { namespace: 'dagster', job_name: 'dagster-run-0a1b' }, value: 1 },
    ]);
  });

  it('fires once per failed run, beside succeeded and running ones', () => {
    const data = [
      ...job('dagster-run-ok', { succeededPods: 1, complete: true }),
      ...job('dagster-run-running', {}),
      ...job('dagster-run-bad1', { failedPods: 1, failed: true }),
      ...job('dagster-run-bad2', { failedPods: 1, failed: true }),
    ];
    expect(fire(data).map((s) => s.labels.job_name)).toEqual([
      'dagster-run-bad1',
      'dagster-run-bad2',
    ]);
  });

  it('stays quiet for succeeded runs, retries not yet given up, other Jobs and namespaces', () => {
    expect(fire(job('dagster-run-ok', { succeededPods: 1, complete: true }))).toEqual([]);
    // a failed pod under a backoffLimit, the Job still active: not (yet) a failed run
    expect(fire(job('dagster-run-retrying', { failedPods: 1 }))).toEqual([]);
    expect(fire(job('dagster-instance-migrate', { failedPods: 1, failed: true }))).toEqual([]);
    expect(fire(job('dagster-run-x', { failedPods: 1, failed: true }, 'other'))).toEqual([]);
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
  it('covers runs, failures and durations, failures counted like the alert', () => {
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
