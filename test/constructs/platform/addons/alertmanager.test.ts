/**
 * Alertmanager routing with two receivers: every alert reaches the default receiver, critical
 * alerts also reach the other one, `Watchdog` reaches nobody.
 *
 * The route tree is evaluated with a transcription of `Route.Match` from prometheus/alertmanager
 * `dispatch/route.go` at tag v0.34.0 (the Alertmanager of kube-prometheus-stack 88.5.3):
 * ```go
 * func (r *Route) Match(lset model.LabelSet) []*Route {
 *   if !r.Matchers.Matches(lset) { return nil }
 *   var all []*Route
 *   for _, cr := range r.Routes {
 *     matches := cr.Match(lset)
 *     all = append(all, matches...)
 *     if matches != nil && !cr.Continue { break }
 *   }
 *   // If no child nodes were matches, the current node itself is a match.
 *   if len(all) == 0 { all = append(all, r) }
 *   return all
 * }
 * ```
 * and `config/config.go`: "cannot have continue in root route".
 */
import { alertmanagerConfig } from '../../../../constructs/platform/addons/alertmanager';
import { platformSchema } from '../../../../envs/schema/platform';

interface Route {
  receiver?: string;
  matchers?: string[];
  continue?: boolean;
  routes?: Route[];
}

/** `name = "v"` matchers only (what the config uses). */
function matches(r: Route, labels: Record<string, string>): boolean {
  return (r.matchers ?? []).every((m) => {
    const [, name, value] = /^(\w+) = "(.*)"$/.exec(m) ?? [];
    if (!name) throw new Error(`unsupported matcher ${m}`);
    return labels[name] === value;
  });
}

function match(r: Route, labels: Record<string, string>, inherited?: string): string[] | null {
  if (!matches(r, labels)) return null;
  const receiver = r.receiver ?? inherited!;
  const all: string[] = [];
  for (const cr of r.routes ?? []) {
    const m = match(cr, labels, receiver);
    if (m) all.push(...m);
    if (m !== null && !cr.continue) break;
  }
  if (all.length === 0) all.push(receiver);
  return all;
}

const slack = { slack: { channel: '#alerts', apiUrlSecret: { name: 'alertmanager/slack' } } };
const pager = { pagerduty: { routingKeySecret: { name: 'alertmanager/pagerduty' } } };
const am = platformSchema.parse({
  monitoring: {
    alertmanager: { receivers: { team: slack, oncall: pager }, defaultReceiver: 'team' },
  },
}).monitoring.alertmanager;
const root = alertmanagerConfig(am).route as Route;
const deliver = (labels: Record<string, string>) => match(root, labels);

describe('Alertmanager routing (two receivers)', () => {
  it('a critical alert goes to the default receiver and to the other one', () => {
    expect(deliver({ alertname: 'DagsterDaemonDown', severity: 'critical' })?.sort()).toEqual([
      'oncall',
      'team',
    ]);
  });

  it('a warning goes to the default receiver only', () => {
    expect(deliver({ alertname: 'DagsterRunFailed', severity: 'warning' })).toEqual(['team']);
  });

  it('Watchdog goes to null only', () => {
    expect(deliver({ alertname: 'Watchdog', severity: 'none' })).toEqual(['null']);
  });

  it('the root route has no continue (config.go rejects it) and the default route continues', () => {
    expect((root as any).continue).toBeUndefined();
    expect(root.routes![1]).toEqual({ receiver: 'team', continue: true });
  });

  it('without the default receiver’s own route, route.go would drop it for critical alerts', () => {
    const without = { ...root, routes: root.routes!.filter((r) => r.receiver !== 'team') };
    expect(match(without, { alertname: 'X', severity: 'critical' })).toEqual(['oncall']);
  });
});
