/**
 * First apply of a fresh cluster: no release creates an object that an admission webhook with
 * `failurePolicy: Fail` intercepts before that webhook's release has finished (`wait: true`: its
 * pods, hence the webhook's endpoints, are ready). Otherwise the API server rejects the object
 * ("no endpoints available for service …", kubernetes-sigs/aws-load-balancer-controller#4140)
 * and the release fails.
 *
 * The webhooks with `failurePolicy: Fail` of the AWS Load Balancer Controller chart 3.5.0
 * (`helm/aws-load-balancer-controller/templates/webhook.yaml` at tag v3.5.0):
 * - `mservice.elbv2.k8s.aws`: CREATE of every `Service` (rendered only
 *   `{{- if .Values.enableServiceMutatorWebhook }}`, default true; objectSelector excludes only
 *   the controller's own pods' label);
 * - `vingress.elbv2.k8s.aws`: `Ingress` (`webhookConfig.ingressValdationFailurePolicy`, Fail);
 * - `vingressclassparams`, `vtargetgroupbinding`, `mtargetgroupbinding`: the controller's own kinds.
 * The Service mutator is what every chart release would hit, since every chart creates Services.
 */
import { parse } from 'yaml';
import { platformReleases, valuesOf } from '../support/platform-fixture';

type Intercepts = (kind: string, apiGroup: string) => boolean;

/** Fail webhooks of a release's values: what they intercept. */
function failWebhooks(release: any): Intercepts[] {
  if (release.chart !== 'aws-load-balancer-controller') return [];
  const v = valuesOf(release);
  const out: Intercepts[] = [
    (kind, group) => kind === 'Ingress' && group === 'networking.k8s.io',
    (kind, group) =>
      group === 'elbv2.k8s.aws' && /IngressClassParams|TargetGroupBinding/.test(kind),
  ];
  // values.yaml default: enableServiceMutatorWebhook: true, serviceMutatorWebhookConfig.failurePolicy: Fail
  const mutator = v.enableServiceMutatorWebhook ?? true;
  const policy = v.serviceMutatorWebhookConfig?.failurePolicy ?? 'Fail';
  if (mutator && policy === 'Fail') out.push((kind, group) => kind === 'Service' && group === '');
  return out;
}

/**
 * The kinds a release creates: a chart release creates Services (every chart here has at least
 * one: the controller's webhook Service, metrics Services, …); a manifests release creates its
 * objects.
 */
function createdKinds(release: any): [string, string][] {
  if (String(release.chart).includes('assets'))
    return (parse(release.values[0]).manifests as any[]).map((o) => {
      const [group, version] = String(o.apiVersion).includes('/')
        ? String(o.apiVersion).split('/')
        : ['', o.apiVersion];
      void version;
      return [o.kind, group];
    });
  return [['Service', '']];
}

function check(rel: Record<string, any>, json: Record<string, any>): string[] {
  const closure = (logical: string): Set<string> => {
    const seen = new Set<string>();
    const walk = (t: string, n: string) => {
      for (const d of json.resource[t]?.[n]?.depends_on ?? []) {
        if (seen.has(d)) continue;
        seen.add(d);
        const [dt, dn] = d.split('.');
        walk(dt, dn);
      }
    };
    walk('helm_release', logical);
    return seen;
  };
  const problems: string[] = [];
  for (const w of Object.values<any>(rel)) {
    const hooks = failWebhooks(w);
    if (hooks.length === 0) continue;
    for (const r of Object.values<any>(rel)) {
      if (r === w) continue;
      const hit = createdKinds(r).filter(([k, g]) => hooks.some((h) => h(k, g)));
      if (hit.length > 0 && !closure(r.logicalId).has(`helm_release.${w.logicalId}`))
        problems.push(
          `${r.name} creates ${hit[0][0]} while ${w.name}'s webhook may have no endpoints`,
        );
    }
  }
  return problems;
}

describe('admission webhooks on the first apply', () => {
  const withDagster = platformReleases();

  it('the load balancer controller’s Service mutator is off (nothing here uses type LoadBalancer)', () => {
    const v = valuesOf(withDagster.rel['aws-load-balancer-controller']);
    expect(v.enableServiceMutatorWebhook).toBe(false);
    for (const r of Object.values<any>(withDagster.rel))
      if (String(r.chart).includes('assets'))
        for (const o of parse(r.values[0]).manifests as any[])
          if (o.kind === 'Service') expect(o.spec.type ?? 'ClusterIP').not.toBe('LoadBalancer');
  });

  it('no release creates what a Fail webhook intercepts before the webhook’s release (depends_on closure)', () => {
    expect(check(withDagster.rel, withDagster.json)).toEqual([]);
  });

  it('the check has teeth: with the Service mutator on, the parallel chart releases are caught', () => {
    const rel = structuredClone(withDagster.rel);
    const lbc = rel['aws-load-balancer-controller'];
    lbc.values = [
      lbc.values[0].replace(
        'enableServiceMutatorWebhook: false',
        'enableServiceMutatorWebhook: true',
      ),
    ];
    const problems = check(rel, withDagster.json);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^external-secrets creates Service/),
        expect.stringMatching(/^metrics-server creates Service/),
        expect.stringMatching(/^kube-prometheus-stack creates Service/),
        expect.stringMatching(/^cloudnative-pg creates Service/),
      ]),
    );
  });
});
