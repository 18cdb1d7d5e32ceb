/**
 * Fuzzing the configuration layer: 200 random mutations of the example environment (seeded,
 * so a failure reproduces) — values of the wrong type, removed fields, misspelt and unknown
 * keys, repeated list items and map entries, edited strings, numbers out of range. Every
 * mutation either is refused with a {@link ConfigError} whose every problem names a path
 * (`path: rule`), or builds cleanly (every stack, then the guardrails). No mutation may end in
 * any other error: that would be a stack trace for a configuration mistake.
 */
import { Testing } from 'cdktf';
import { ConfigError, parseEnvironment } from '../../envs/load';
import { buildLandingZone } from '../../stacks/app';
import { GuardrailError, checkGuardrails } from '../../constructs/guardrails/check';
import { rawExample } from '../support/env';
import { prng } from '../support/random';

type Node = Record<string, unknown> | unknown[];
const isNode = (v: unknown): v is Node => v !== null && typeof v === 'object';

/** Every path in `v` (objects and arrays, any depth), root excluded. */
function paths(v: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (!isNode(v)) return [];
  const keys = Array.isArray(v) ? v.map((_, i) => i) : Object.keys(v);
  return keys.flatMap((k) => [
    [...prefix, k],
    ...paths((v as Record<string | number, unknown>)[k], [...prefix, k]),
  ]);
}

const OPERATORS = [
  'wrong type',
  'remove',
  'misspell key',
  'unknown key',
  'repeat',
  'edit string',
  'number out of range',
] as const;

/** One mutation of `raw` (in place), described for the failure message. */
function mutate(raw: Record<string, unknown>, rand: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const all = paths(raw);
  const path = pick(all);
  const parent = path.slice(0, -1).reduce<any>((o, k) => o[k], raw);
  const key = path[path.length - 1] as any;
  const op = pick(OPERATORS);
  const where = path.join('.');
  switch (op) {
    case 'wrong type':
      parent[key] = pick([0, 1.5, -1, true, null, 'x', '', [], {}, ['x'], { x: 1 }]);
      return `${where} = ${JSON.stringify(parent[key])}`;
    case 'remove':
      if (Array.isArray(parent)) parent.splice(key, 1);
      else delete parent[key];
      return `remove ${where}`;
    case 'misspell key': {
      if (Array.isArray(parent)) return 'noop';
      const k = String(key);
      const typo = k.length > 3 ? k.slice(0, -2) + k.slice(-1) : `${k}s`;
      parent[typo] = parent[key];
      delete parent[key];
      return `rename ${where} → ${typo}`;
    }
    case 'unknown key': {
      const target = isNode(parent[key]) && !Array.isArray(parent[key]) ? parent[key] : parent;
      if (Array.isArray(target)) return 'noop';
      target[pick(['extra', 'enabled', 'name', 'Version', 'cidr'])] = pick(['x', 1, true]);
      return `add a key under ${where}`;
    }
    case 'repeat':
      if (Array.isArray(parent)) parent.push(structuredClone(parent[key]));
      else parent[`${String(key)}-2`] = structuredClone(parent[key]);
      return `repeat ${where}`;
    case 'edit string':
      if (typeof parent[key] !== 'string') return 'noop';
      parent[key] = pick([
        (s: string) => s.toUpperCase(),
        (s: string) => `${s}-x`,
        (s: string) => s.slice(1),
        (s: string) => `${s} ${s}`,
        () => 'latest',
        () => '0.0.0.0/0',
      ])(parent[key]);
      return `${where} = ${JSON.stringify(parent[key])}`;
    case 'number out of range':
      parent[key] = pick([0, -1, 65536, 1e9, 0.5, Number.MAX_SAFE_INTEGER]);
      return `${where} = ${parent[key]}`;
  }
}

const MUTATIONS = 200;
const SEED = 20261201;
/** `path: rule`: a path (dotted, indices in brackets, or `(root)`/`LZ_ENV`) then the rule. */
const PROBLEM =
  /^(\(root\)|\(cross-field rules\)|[A-Za-z0-9_@.+-]+(\[\d+\])*(\.[^\s:]+?(\[\d+\])*)*): \S/;

describe(`${MUTATIONS} random mutations of the example (seed ${SEED})`, () => {
  const rand = prng(SEED);
  const cases = Array.from({ length: MUTATIONS }, () => {
    const raw = rawExample();
    const what = [mutate(raw, rand), rand() < 0.3 ? mutate(raw, rand) : ''].filter(Boolean);
    return { raw, what: what.join('; ') };
  });
  const example = JSON.stringify(parseEnvironment(rawExample()));
  const built = new Set<string>([example]);
  const outcome = { refused: 0, built: 0, same: 0 };

  it('each is refused with path-named problems or builds cleanly', () => {
    const failures: string[] = [];
    for (const { raw, what } of cases) {
      let env;
      try {
        env = parseEnvironment(raw, 'fuzz');
      } catch (e) {
        if (!(e instanceof ConfigError)) {
          failures.push(`${what}: parse threw ${(e as Error).stack}`);
          continue;
        }
        const bad = e.problems.filter((p) => !PROBLEM.test(p));
        if (e.problems.length === 0 || bad.length > 0)
          failures.push(`${what}: problems without a path: ${JSON.stringify(bad)}`);
        outcome.refused++;
        continue;
      }
      // A valid mutation equal to one already built (e.g. a default removed) needs no build.
      const key = JSON.stringify(env);
      if (built.has(key)) {
        outcome.same++;
        continue;
      }
      built.add(key);
      try {
        const app = Testing.app();
        buildLandingZone(app, env, { backend: 'local' });
        checkGuardrails(app, env);
        outcome.built++;
      } catch (e) {
        if (!(e instanceof GuardrailError))
          failures.push(`${what}: build threw ${(e as Error).stack}`);
        else outcome.refused++;
      }
    }
    expect(failures).toEqual([]);
    // The fuzzer exercises both outcomes.
    expect(outcome.refused).toBeGreaterThan(MUTATIONS / 2);
    expect(outcome.built).toBeGreaterThan(0);
  });
});
