/**
 * constructs/shared/fast-resolve.ts: the walk returns what cdktf's own `resolve` returns, and
 * throws what it throws, on generated values that hold every kind of token cdktf 0.21 has
 * (string, number, list and map tokens, `Lazy` values, functions, references within and across
 * stacks, tokens written into strings and keys), resolving the tokens in the same order. The
 * encoding facts the walk relies on are read from cdktf as installed
 * (node_modules/cdktf/lib/tokens): these tests fail if an upgrade changes them. The whole
 * app's output with the walk is compared byte for byte with cdktf's in
 * test/constructs/shared/resolve-once.test.ts.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  App,
  DefaultTokenResolver,
  Fn,
  Lazy,
  StringConcat,
  TerraformStack,
  Token,
  type IPostProcessor,
  type IResolvable,
  type IResolveContext,
} from 'cdktf';
import { createTokenDouble } from 'cdktf/lib/tokens/private/encoding';
// the module's own exports object, which installFastResolve changes
// eslint-disable-next-line @typescript-eslint/no-require-imports
import resolveModule = require('cdktf/lib/tokens/private/resolve');
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import {
  cdktfResolve,
  fastResolve,
  installFastResolve,
  LIST_TOKEN_MARKER,
  NUMBER_TOKEN_LIKE,
  TOKEN_MARKER,
  TOKEN_NUMBER_BOUND,
} from '../../../constructs/shared/fast-resolve';
import { prng } from '../../support/random';

/** cdktf 0.21.0's node_modules/cdktf/lib/tokens/private/{resolve,encoding}.js, source maps cut. */
const RESOLVE_SHA256 = 'c7041ecf0068247230484efcdebdc21349015cf352d05142398cd182f55240ba';
const ENCODING_SHA256 = '7c28bcbeaefecf9a8a29f475646536d6e47da0365b3094e5098cec45072fda22';

const tokensDir = join(dirname(require.resolve('cdktf/lib/index.js')), 'tokens');
const source = (file: string) => readFileSync(join(tokensDir, file), 'utf8');

// back to the suite's setting (test/support/setup.ts: from the environment)
afterAll(() => installFastResolve());

describe('fastResolve: the facts it reads from cdktf 0.21.0', () => {
  const encoding = source('private/encoding.js');

  it('every token marker holds TfToken[ (encoding.js BEGIN_*_TOKEN_MARKER)', () => {
    const markers = [...encoding.matchAll(/exports\.BEGIN_(\w+)_TOKEN_MARKER = "([^"]+)";/g)];
    expect(markers.map((m) => m[1]).sort()).toEqual(['LIST', 'MAP', 'STRING']);
    for (const [, , marker] of markers) expect(marker).toContain(TOKEN_MARKER);
    expect(Object.fromEntries(markers.map((m) => [m[1], m[2]])).LIST).toBe(LIST_TOKEN_MARKER);
  });

  it('NUMBER_TOKEN_LIKE tests what cdktf NUMBER_TOKEN_REGEX matches, on every short string', () => {
    const literal = /const NUMBER_TOKEN_REGEX = new RegExp\("((?:[^"\\]|\\.)*)", "g"\);/.exec(
      encoding,
    );
    expect(literal).not.toBeNull();
    const cdktf = new RegExp(JSON.parse(`"${literal![1]}"`));
    const alphabet = ['-', '|', '0', '9', '.', '+', 'e', 'E', 'x', '$'];
    const strings: string[] = [''];
    for (let length = 1; length <= 4; length++)
      for (const s of strings.filter((x) => x.length === length - 1))
        for (const c of alphabet) strings.push(s + c);
    expect(strings.length).toBeGreaterThan(11_000);
    const differ = strings.filter((s) => cdktf.test(s) !== NUMBER_TOKEN_LIKE.test(s));
    expect(differ).toEqual([]);
  });

  it('token doubles, string and list, are all below TOKEN_NUMBER_BOUND (encoding.js createTokenDouble)', () => {
    expect(encoding).toContain('const DOUBLE_TOKEN_MARKER_BITS = 0xfdff << 16;');
    expect(encoding).toContain('const DOUBLE_LIST_TOKEN_MARKER_BITS = 0xfbff << 16;');
    for (const list of [false, true])
      for (const n of [0, 1, 2 ** 32, 2 ** 48 - 1])
        expect(createTokenDouble(n, list)).toBeLessThan(TOKEN_NUMBER_BOUND);
    expect(Token.asNumber(Lazy.numberValue({ produce: () => 1 }))).toBeLessThan(TOKEN_NUMBER_BOUND);
  });

  it('resolve.js and encoding.js are the files the walk was checked against (sha256)', () => {
    // A new cdktf changes these: check fastResolve against the new resolve() (the order of its
    // branches for strings, numbers, arrays and objects) before updating the hashes.
    const hash = (file: string) =>
      createHash('sha256')
        .update(source(file).replace(/\n\/\/# sourceMappingURL=.*\n?$/, ''))
        .digest('hex');
    expect({
      resolve: hash('private/resolve.js'),
      encoding: hash('private/encoding.js'),
    }).toEqual({ resolve: RESOLVE_SHA256, encoding: ENCODING_SHA256 });
  });

  it('Tokenization.resolve calls the export at call time; contexts inherit four fields', () => {
    expect(source('token.js')).toContain('return (0, resolve_1.resolve)(obj, {');
    const resolve = source('private/resolve.js');
    const inherited = [...resolve.matchAll(/(\w+): options\.previousContext\?\.(\w+),/g)];
    expect(inherited.map((m) => m[1])).toEqual([
      'suppressBraces',
      'ignoreEscapes',
      'warnEscapes',
      'iteratorContext',
    ]);
    expect(resolve).toContain('if (prefix.length > 200) {');
  });

  it('is what Tokenization.resolve runs once installed, and cdktf’s own under LZ_DEBUG', () => {
    expect(installFastResolve({})).toBe(true);
    expect(resolveModule.resolve).toBe(fastResolve);
    expect(installFastResolve({ LZ_DEBUG: '1' })).toBe(false);
    expect(resolveModule.resolve).toBe(cdktfResolve);
  });
});

/** One output folder for every app of this file (none of them is synthesized). */
const outdir = mkdtempSync(join(tmpdir(), 'lz-fast-resolve-'));
const newApp = () => new App({ outdir });

const PLAIN_STRINGS = [
  '',
  'eu-central-1',
  'arn:aws:iam::123456789012:role/x',
  '1e5', // matches NUMBER_TOKEN_REGEX
  'x-e-1',
  '${var.region}', // an escape, only looked at next to a token
  '$${literal}',
  '}',
  'a|e|b',
  'TfToken[not a token]',
];
const NUMBERS = [0, 1, -1, 3.5, 1e300, -1e300, -1e281, NaN, Infinity, -Infinity];

/**
 * Builds two stacks (a queue in each) and a value drawn from `seed`: plain data and tokens of
 * every kind, nested. The same seed builds the same value in a fresh app.
 */
function fixture(seed: number) {
  const app = newApp();
  const a = new TerraformStack(app, 'a');
  new AwsProvider(a, 'aws', { region: 'eu-central-1' });
  const remote = new SqsQueue(a, 'q', { name: 'qa' });
  const b = new TerraformStack(app, 'b');
  new AwsProvider(b, 'aws', { region: 'eu-central-1' });
  const local = new SqsQueue(b, 'q', { name: 'qb' });
  const r = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const stringToken = (depth: number): string =>
    pick([
      () => Token.asString(Lazy.stringValue({ produce: () => pick(PLAIN_STRINGS) })),
      () => `pre-${stringToken(depth + 1)}-post`,
      () => local.arn,
      () => remote.arn,
      () => `n=${Token.asNumber(Lazy.numberValue({ produce: () => 7 }))}`,
      () => Fn.join(',', [pick(PLAIN_STRINGS), local.name]),
      () => Token.asString(Lazy.anyValue({ produce: () => value(depth + 1) })),
    ])();
  const value = (depth: number): unknown => {
    const leaf = depth > 3;
    return pick([
      () => pick(PLAIN_STRINGS),
      () => pick(NUMBERS),
      () => pick([true, false, null, undefined]),
      () => new Date(0),
      () => stringToken(depth),
      () => Token.asNumber(Lazy.numberValue({ produce: () => 42 })),
      () => Token.asList(Lazy.listValue({ produce: () => ['x', 'y'] })),
      () => Token.asNumberList(Lazy.anyValue({ produce: () => [1, 2] })),
      () => Token.asStringMap(Lazy.anyValue({ produce: () => ({ k: 'v' }) })),
      () => Lazy.anyValue({ produce: () => (leaf ? 'lazy' : value(depth + 1)) }),
      () => (leaf ? [] : Array.from({ length: 1 + Math.floor(r() * 4) }, () => value(depth + 1))),
      () => {
        if (leaf) return {};
        const o: Record<string, unknown> = {};
        for (let i = 0; i < 1 + Math.floor(r() * 4); i++) {
          const key = r() < 0.1 ? stringToken(depth + 1) : pick(['k', 'name', 'e-1', '1e5', 'x']);
          o[(r() < 0.5 ? `${i}-` : '') + key] = value(depth + 1);
        }
        return o;
      },
    ])();
  };
  const root: Record<string, unknown> = {};
  for (let i = 0; i < 8; i++) root[`k${i}`] = value(1);
  // now and then something cdktf refuses, somewhere inside
  if (r() < 0.05) root.refused = pick([Token.STRING_MAP_TOKEN_VALUE, () => 1]);
  return { scope: b, value: root };
}

/** A resolver that records, in order, what every token resolved to. */
class Recording extends DefaultTokenResolver {
  readonly seen: string[] = [];
  constructor() {
    super(new StringConcat());
  }
  override resolveToken(t: IResolvable, context: IResolveContext, post: IPostProcessor) {
    const out = super.resolveToken(t, context, post);
    this.seen.push(JSON.stringify(out) ?? 'undefined');
    return out;
  }
}

/** A JSON replacer that keeps what JSON would lose: `undefined`, NaN and the infinities. */
const exact = (_key: string, v: unknown) =>
  v === undefined || (typeof v === 'number' && !Number.isFinite(v)) ? `<${String(v)}>` : v;

/** Token IDs count every token the process made, so two builds of one value differ in them. */
const ids = (text: string) => text.replace(/TOKEN\.\d+/g, 'TOKEN.n');

/**
 * Resolves `value` with `resolve`, returning the result (or the error) and the token order, as
 * text with token IDs (in an error or an unresolved key) made comparable.
 */
function outcome(
  resolve: typeof fastResolve,
  build: () => { scope: TerraformStack; value: unknown },
  preparing: boolean,
) {
  const { scope, value } = build();
  const resolver = new Recording();
  try {
    const result = resolve(value, { scope, preparing, resolver, prefix: [] });
    return { result: ids(JSON.stringify(result, exact)), seen: resolver.seen.map(ids) };
  } catch (e) {
    const error = ids(e instanceof Error ? e.message : String(e));
    return { error, seen: resolver.seen.map(ids) };
  }
}

describe('fastResolve: what cdktf resolve returns', () => {
  const seeds = Array.from({ length: 150 }, (_, i) => i + 1);

  it.each([true, false])('150 generated values (preparing: %s), tokens in the same order', (p) => {
    let tokens = 0;
    let errors = 0;
    for (const seed of seeds) {
      const cdktf = outcome(cdktfResolve, () => fixture(seed), p);
      const fast = outcome(fastResolve, () => fixture(seed), p);
      expect({ seed, ...fast }).toEqual({ seed, ...cdktf });
      tokens += cdktf.seen.length;
      if ('error' in cdktf) errors++;
    }
    // the values did hold tokens, and some of them are ones cdktf refuses
    expect(tokens).toBeGreaterThan(800);
    expect(errors).toBeGreaterThan(2);
  });

  const refused: [string, () => unknown][] = [
    ['a function', () => ({ f: () => 1 })],
    ['a function in a list (the path names its index)', () => ({ l: ['a', 'b', { f: () => 1 }] })],
    ['a construct', () => ({ c: new TerraformStack(newApp(), 's') })],
    ['the string map-token value', () => [Token.STRING_MAP_TOKEN_VALUE]],
    ['the number map-token value', () => ({ n: Token.NUMBER_MAP_TOKEN_VALUE })],
    [
      'a list token inside a string',
      () => `x${Token.asList(Lazy.listValue({ produce: () => [] }))}`,
    ],
    [
      'a string 201 keys down',
      () => {
        let o: unknown = 'deep';
        for (let i = 0; i < 200; i++) o = { d: o }; // under the prefix ['p']
        return o;
      },
    ],
    [
      'a cycle (cdktf stops at 200 levels)',
      () => {
        const o: Record<string, unknown> = {};
        o.self = o;
        return { top: o };
      },
    ],
  ];

  it.each(refused)('throws what cdktf throws for %s', (_name, make) => {
    const scope = new TerraformStack(newApp(), 'x');
    const run = (resolve: typeof fastResolve) => {
      try {
        resolve(make(), { scope, preparing: false, resolver: new Recording(), prefix: ['p'] });
      } catch (e) {
        return (e as Error).message;
      }
      return 'no error';
    };
    const cdktf = run(cdktfResolve);
    expect(cdktf).not.toBe('no error');
    expect(run(fastResolve)).toBe(cdktf);
  });

  it('hands the caller’s context fields to the tokens inside plain data', () => {
    const scope = new TerraformStack(newApp(), 'y');
    const queue = new SqsQueue(scope, 'q', { name: 'q' });
    const value = { a: [{ ref: queue.arn, s: `x-${queue.name}` }] };
    // a reference reads suppressBraces (lib/tfExpression.js): with it, no "${…}" around it
    const run = (fn: typeof fastResolve, previousContext?: Partial<IResolveContext>) =>
      fn(value, {
        scope,
        preparing: false,
        resolver: new Recording(),
        prefix: [],
        previousContext: previousContext as IResolveContext | undefined,
      });
    const inside = { suppressBraces: true, ignoreEscapes: false, warnEscapes: false };
    expect(run(fastResolve, inside)).toEqual(run(cdktfResolve, inside));
    expect(run(fastResolve, inside)).not.toEqual(run(cdktfResolve));
    expect(run(fastResolve)).toEqual(run(cdktfResolve));
  });
});
