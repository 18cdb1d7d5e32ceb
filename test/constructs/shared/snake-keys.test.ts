/**
 * constructs/shared/snake-keys.ts against cdktf 0.21.0's own `keysToSnakeCase`
 * (node_modules/cdktf/lib/util.js): the same results and errors on generated values, the same
 * synthesized example, and the call sites that make replacing the export work (every caller
 * reads it from the module's exports at call time).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Lazy, Testing, Token } from 'cdktf';
import * as util from 'cdktf/lib/util';
import {
  cdktfKeysToSnakeCase,
  installSnakeKeys,
  keysToSnakeCase,
} from '../../../constructs/shared/snake-keys';
import { buildExample } from '../../support/synth';
import { prng } from '../../support/random';

const cdktfLib = join(__dirname, '..', '..', '..', 'node_modules', 'cdktf', 'lib');

describe('installSnakeKeys', () => {
  afterAll(() => installSnakeKeys()); // the suite's setting (test/support/setup.ts)

  it("cdktf's callers read keysToSnakeCase from util's exports at call time, and none keeps a copy", () => {
    expect(typeof cdktfKeysToSnakeCase).toBe('function');
    expect(typeof util.snakeCase).toBe('function');
    // every file of cdktf's lib that names it, found, not listed
    const callers = (readdirSync(cdktfLib, { recursive: true }) as string[])
      .filter((f) => f.endsWith('.js') && f !== 'util.js')
      .filter((f) => readFileSync(join(cdktfLib, f), 'utf8').includes('keysToSnakeCase'));
    expect(callers).toEqual(
      expect.arrayContaining([
        'terraform-resource.js',
        'terraform-data-source.js',
        'terraform-provider.js',
        'terraform-remote-state.js',
        'terraform-variable.js',
        join('backends', 'cloud-backend.js'),
        join('backends', 's3-backend.js'),
      ]),
    );
    for (const file of callers) {
      const text = readFileSync(join(cdktfLib, file), 'utf8');
      // anchored at the start of a dotted name: unanchored, the scan restarted inside every
      // long name of the file (0.57 s for 18 files; same matches, 1 ms)
      const uses = text.match(/(?<![\w$.])[\w$.]*keysToSnakeCase\b\)?\(?/g) ?? [];
      // each use is a call through the exports object, read at call time
      expect([file, uses.every((u) => u === 'util_1.keysToSnakeCase)(')]).toEqual([file, true]);
    }
  });

  it("on by default, cdktf's own under LZ_DEBUG", () => {
    expect(installSnakeKeys({ LZ_DEBUG: '1' })).toBe(false);
    expect(util.keysToSnakeCase).toBe(cdktfKeysToSnakeCase);
    expect(installSnakeKeys({})).toBe(true);
    expect(util.keysToSnakeCase).toBe(keysToSnakeCase);
  });

  it('the example synthesizes to the same JSON either way', () => {
    const synthAll = () => {
      const lz = buildExample();
      return lz.stacks.map((s) => Testing.synth(s));
    };
    installSnakeKeys({ LZ_DEBUG: '1' });
    const theirs = synthAll();
    installSnakeKeys({});
    const ours = synthAll();
    expect(ours.length).toBeGreaterThan(8);
    expect(ours).toEqual(theirs);
  });
});

describe('keysToSnakeCase: what cdktf returns', () => {
  const random = prng(23);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)];
  const key = () =>
    pick([
      'bucketName',
      'bucket_name',
      'ARNValue',
      'tags',
      'environment',
      'dependsOn',
      'for_each',
      '_leading',
      'trailing_',
      'a--b',
      'x.y',
      'CamelCaseHTTP2Thing',
      'kebab-case-key',
      ' spaced key ',
      '',
      '9lives',
      '__proto__x',
      'aB',
    ]);
  const value = (depth: number): unknown => {
    const r = random();
    if (depth > 3 || r < 0.35)
      return pick<() => unknown>([
        () => 'text',
        () => 42,
        () => true,
        () => undefined,
        () => Lazy.stringValue({ produce: () => 'x' }),
        () => Token.asAny(Lazy.anyValue({ produce: () => ({ a: 1 }) })),
      ])();
    if (r < 0.55) return Array.from({ length: Math.floor(random() * 4) }, () => value(depth + 1));
    const o: Record<string, unknown> = {};
    for (let i = 0; i < 1 + Math.floor(random() * 5); i++) o[key()] = value(depth + 1);
    return o;
  };

  it('the same on 500 generated values (objects, arrays, tokens, tags and environment kept)', () => {
    for (let i = 0; i < 500; i++) {
      const v = random() < 0.2 ? [value(1), value(1)] : value(0);
      if (typeof v !== 'object' || v === null) continue;
      expect(keysToSnakeCase(v)).toStrictEqual(cdktfKeysToSnakeCase(v));
    }
  });

  it('tokens and the values of tags and environment are passed through as they are', () => {
    const token = Lazy.anyValue({ produce: () => 1 });
    const tags = { CostCenter: 'x' };
    const out = keysToSnakeCase({
      someKey: token,
      tags,
      environment: tags,
      nestedObj: { innerKey: 1 },
    }) as Record<string, unknown>;
    expect(out.some_key).toBe(token);
    expect(out.tags).toBe(tags);
    expect(out.environment).toBe(tags);
    expect(out).toEqual({ some_key: token, tags, environment: tags, nested_obj: { inner_key: 1 } });
    expect(keysToSnakeCase(token)).toBe(token);
  });

  it('the same error for a null value', () => {
    const run = (f: (o: unknown) => unknown) => {
      try {
        f({ a: null });
        return 'no error';
      } catch (e) {
        return `${(e as Error).name}: ${(e as Error).message}`;
      }
    };
    expect(run(keysToSnakeCase)).toBe(run(cdktfKeysToSnakeCase));
    expect(run(keysToSnakeCase)).toMatch(/^TypeError/);
  });
});
