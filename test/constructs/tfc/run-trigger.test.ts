/**
 * The run-trigger source limit, checked before apply. Source: tfe 0.71.0
 * `website/docs/r/run_trigger.html.markdown`: "You can connect your workspace to up to 20 source
 * workspaces."
 */
import {
  MAX_RUN_TRIGGER_SOURCES,
  checkRunTriggerSources,
} from '../../../constructs/tfc/run-trigger';

const fanIn = (consumer: string, n: number) =>
  Array.from({ length: n }, (_, i) => ({ producer: `p-${i + 1}`, consumer }));
const name = (id: string) => `acme-${id}`;

describe('checkRunTriggerSources', () => {
  it('is the documented 20', () => expect(MAX_RUN_TRIGGER_SOURCES).toBe(20));

  it('accepts 20 sources per consumer, and duplicates of an edge count once', () => {
    expect(() =>
      checkRunTriggerSources([...fanIn('c', 20), ...fanIn('c', 20), ...fanIn('d', 20)], name),
    ).not.toThrow();
  });

  it('refuses a 21st source, naming every workspace over the limit with its count', () => {
    expect(() =>
      checkRunTriggerSources([...fanIn('c', 21), ...fanIn('d', 25), ...fanIn('e', 3)], name),
    ).toThrow(
      /^workspace acme-c: 21 run-trigger sources \(p-1, .*p-21\); TFC allows at most 20: .*\nworkspace acme-d: 25 run-trigger sources/,
    );
  });
});
