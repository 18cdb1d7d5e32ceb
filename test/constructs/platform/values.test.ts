/**
 * constructs/platform/values.ts: `toYaml`'s templates give the text the yaml library
 * (https://eemeli.org/yaml/, 2.9.1) writes for the values themselves (`serialise`), on the
 * Helm values of whole synthesized apps and on values built to reach every rule of `shapeOf`.
 * Where a template's text would differ (an escape yaml rewrites: dist/stringify/stringifyString.js
 * `doubleQuotedString`; a key longer than 1024 characters: stringifyPair.js), toYaml must fall
 * back to `serialise`, which these cases check by comparing the texts.
 */
import { Lazy, Testing, Token } from 'cdktf';
import { buildExample, resourcesOf } from '../../support/synth';
import { exampleEnv } from '../../support/env';
import { scaledEnv } from '../../support/scale';
import { serialise, toYaml, useYamlTemplates } from '../../../constructs/platform/values';
import { prng } from '../../support/random';

/** A new string token (a new cdktf token each call, as every build makes its own). */
const token = (s = 'x') => Lazy.stringValue({ produce: () => s });

/** Every `helm_release.values` entry of every platform stack of `env`, by stack and resource. */
function helmValues(env: ReturnType<typeof exampleEnv>): Record<string, string[]> {
  const lz = buildExample(env);
  const out: Record<string, string[]> = {};
  for (const [id, p] of Object.entries(lz.platforms)) {
    const json = JSON.parse(Testing.synth(p));
    for (const [name, r] of Object.entries<any>(resourcesOf(json, 'helm_release')))
      out[`${id}/${name}`] = r.values ?? [];
  }
  return out;
}

describe('toYaml templates: the same text as without them', () => {
  afterEach(() => useYamlTemplates(true));

  it.each([
    ['the example', () => exampleEnv()],
    [
      '6 accounts, 4 clusters spread over them',
      () => scaledEnv({ accounts: 6, clusters: 4, clusterAccounts: 'spread' }),
    ],
  ])('every Helm value of %s, synthesized (tokens resolved)', (_what, env) => {
    useYamlTemplates(false);
    const plain = helmValues(env());
    useYamlTemplates(true);
    const first = helmValues(env()); // templates made
    const again = helmValues(env()); // templates used, with this build's new tokens
    expect(Object.keys(plain).length).toBeGreaterThan(10);
    expect(first).toEqual(plain);
    expect(again).toEqual(plain);
    // the token path is exercised: Terraform expressions in the values
    expect(
      Object.values(plain)
        .flat()
        .some((t) => /"\$\{[a-z]/.test(t)),
    ).toBe(true);
  });

  it('values that differ only in their tokens share a template and keep their own tokens', () => {
    const a = token();
    const b = token();
    const ta = toYaml({ endpoint: a, list: [a, 'x'], [b]: 'token key' });
    const tb = toYaml({ endpoint: b, list: [b, 'x'], [a]: 'token key' });
    expect(ta).toBe(serialise({ endpoint: a, list: [a, 'x'], [b]: 'token key' }));
    expect(tb).toBe(serialise({ endpoint: b, list: [b, 'x'], [a]: 'token key' }));
    expect(ta).not.toBe(tb);
    expect(ta).toContain(`endpoint: "${a}"`);
  });

  // Each falls back to serialise; the texts must match either way.
  it.each<[string, () => unknown]>([
    ['a token string with a character JSON escapes', () => ({ a: `say "${token()}"\n` })],
    ['a token string with a backslash', () => ({ a: `C:\\${token()}` })],
    ['a token string with a non-ASCII character', () => ({ a: `caf\u00e9-${token()}` })],
    ['a token key longer than 1,024 characters', () => ({ [`${'k'.repeat(1100)}${token()}`]: 1 })],
    ['a token value longer than 1,000 characters', () => ({ a: `${'v'.repeat(1100)}${token()}` })],
    ['-0', () => ({ a: -0, t: token() })],
    ['NaN and Infinity', () => ({ a: NaN, b: Infinity, t: token() })],
    ['undefined in an array', () => ({ a: [1, undefined, 2], t: token() })],
    ['a sparse array', () => ({ a: [1, , 2], t: token() })], // eslint-disable-line no-sparse-arrays
    ['a Date', () => ({ a: new Date(0), t: token() })],
    [
      'a class instance',
      () => ({
        a: new (class X {
          y = 1;
        })(),
        t: token(),
      }),
    ],
    ['a __proto__ key', () => ({ ...JSON.parse('{"__proto__": {"x": 1}}'), t: token() })],
    [
      'a null-prototype object',
      () => ({ a: Object.assign(Object.create(null), { b: 1 }), t: token() }),
    ],
    ['undefined members', () => ({ a: undefined, b: { c: undefined, d: 1 }, t: token() })],
    ['a top-level token string', () => token()],
    ['a number token', () => ({ n: Token.asNumber(token()) })],
  ])('%s', (_what, make) => {
    const first = make();
    expect(toYaml(first)).toBe(serialise(first));
    const second = make(); // new tokens: from the template, if one was made
    expect(toYaml(second)).toBe(serialise(second));
  });

  it('generated values: the text of serialise, from a fresh template and from a kept one', () => {
    const random = prng(17);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)];
    const chars = 'abz AZ09:/.-_#*&!%@{}[],?|>\'"\\\n\t\u00e9\u2028';
    const text = () =>
      Array.from({ length: 1 + Math.floor(random() * 8) }, () => pick([...chars])).join('');
    const scalar = () =>
      pick([
        () => text(),
        () => `${text()}${token()}${text()}`,
        () => `${token()}`,
        () => Math.floor(random() * 1000) / 10,
        () => random() < 0.5,
        () => null,
        () => '1.30',
        () => 'yes',
      ])();
    const value = (depth: number): unknown => {
      if (depth > 3 || random() < 0.3) return scalar();
      if (random() < 0.4)
        return Array.from({ length: Math.floor(random() * 4) }, () => value(depth + 1));
      const o: Record<string, unknown> = {};
      for (let i = 0; i < 1 + Math.floor(random() * 4); i++)
        o[random() < 0.2 ? `${token()}` : text() || 'k'] = value(depth + 1);
      return o;
    };
    for (let i = 0; i < 300; i++) {
      const v = value(0);
      expect(toYaml(v)).toBe(serialise(v));
      expect(toYaml(v)).toBe(serialise(v));
    }
  });
});
