/**
 * constructs/shared/yaml-memo.ts: what it recalls for a synthesized YAML text is what the yaml
 * library (https://eemeli.org/yaml/, the parser the guardrails used before) parses from that
 * same text — checked on every Helm value of the example's and a two-cluster variant's platform
 * stacks, with cdktf's tokens resolved as synthesized.
 */
import { parse } from 'yaml';
import { buildExample, resourcesOf, synthJson } from '../../support/synth';
import { exampleEnv } from '../../support/env';
import { recallYaml, rememberYaml } from '../../../constructs/shared/yaml-memo';
import { toYaml } from '../../../constructs/platform/values';

/** Every `helm_release.values` entry of every platform stack of `env`. */
function helmValues(env = exampleEnv()): string[] {
  const lz = buildExample(env);
  return Object.values(lz.platforms).flatMap((p) =>
    Object.values<any>(resourcesOf(synthJson(p), 'helm_release')).flatMap((r) => r.values ?? []),
  );
}

describe('recallYaml', () => {
  it('equals yaml.parse for every Helm value, and recalls every one of them', () => {
    const texts = [
      ...helmValues(),
      ...helmValues(
        exampleEnv((raw) => {
          raw.clusters['main-02'] = {
            ...structuredClone(raw.clusters['main-01']),
            cidr: undefined,
          };
          delete raw.clusters['main-02'].cidr;
        }),
      ),
    ];
    const withTokens = texts.filter((t) => t.includes('${'));
    expect(withTokens.length).toBeGreaterThan(0); // the token path is exercised
    let recalled = 0;
    for (const t of texts) {
      const r = recallYaml(t);
      if (r === undefined) continue;
      recalled++;
      expect(r).toEqual(parse(t));
    }
    // every one: toYaml writes no anchors (an anchored token would be counted once in the text
    // and twice in the object, and not be recalled)
    expect(recalled).toBe(texts.length);
  });

  it('recalls nothing for text it did not write, or whose expressions do not line up', () => {
    // (a text no other test writes: the memo is shared by the worker's files)
    expect(recallYaml('never-written-by-toYaml: 1\n')).toBeUndefined();
    const text = toYaml({ image: { repository: 'x', tag: '1.0.0' }, list: [1, 'two'] });
    expect(recallYaml(text)).toEqual({
      image: { repository: 'x', tag: '1.0.0' },
      list: [1, 'two'],
    });
    expect(recallYaml(`${text}extra: 1\n`)).toBeUndefined();
    // a double-quoted ${...} scalar where the object held no token: counts differ, not recalled
    // (a key of its own: the memo is the worker's, and toYaml's tests write `a: "${…}"`)
    rememberYaml('only-in-yaml-memo-test: "${x}"\n', { 'only-in-yaml-memo-test': '${x}' });
    expect(recallYaml('only-in-yaml-memo-test: "${x}"\n')).toBeUndefined();
  });

  it('a change to the object after serialising does not change what is recalled', () => {
    const values = { replicas: 1 };
    const text = toYaml(values);
    values.replicas = 2;
    expect(recallYaml(text)).toEqual({ replicas: 1 });
  });

  it('does not remember values that are not plain data (their YAML is not their parse)', () => {
    for (const v of [
      { at: new Date(0) },
      { m: new Map([['a', 1]]) },
      { s: new Set([1]) },
      { boxed: new String('x') },
      { sparse: [1, , 3] }, // eslint-disable-line no-sparse-arrays
      { custom: new (class X {})() },
    ]) {
      const text = toYaml(v);
      expect(recallYaml(text)).toBeUndefined();
    }
  });
});
