/**
 * The objects behind the YAML this app serialises (Helm values, Kubernetes manifests), so a
 * reader of the synthesized text (the guardrails) can get the object back without parsing it
 * again: parsing Helm values with the `yaml` library was most of the guardrails' time (0.84 s of
 * a 10.8 s synth at 100 accounts / 20 clusters, `node --cpu-prof`, 2026-12-01).
 *
 * The synthesized text differs from what `toYaml` wrote only where cdktf substituted a token:
 * `toYaml` writes every string holding a token as a double-quoted scalar
 * (constructs/platform/values.ts), and cdktf replaces the token inside it with the Terraform
 * expression (`"${TfToken[TOKEN.12]}"` → `"${data.terraform_remote_state.x.outputs.y}"`). So a
 * text is keyed with each double-quoted scalar that holds `${` replaced by a placeholder, and on
 * recall those scalars of the synthesized text are put, in document order, in place of the
 * token strings of the remembered object. Whatever does not line up exactly (a different
 * count, an escape JSON does not share with YAML) is not recalled: the caller parses.
 */
import { Token } from 'cdktf';

/** A double-quoted scalar on one line that contains `${`. */
const QUOTED_EXPRESSION = /"(?:[^"\\\n]|\\.)*\$\{(?:[^"\\\n]|\\.)*"/g;

/** How many texts are kept (oldest dropped first): a synth of 20 clusters writes about 350. */
const CAPACITY = 2000;

interface Remembered {
  readonly value: unknown;
  /** The token-holding strings of `value`, in document order. */
  readonly tokens: number;
}

const memo = new Map<string, Remembered>();

/** `text` with each double-quoted `${…}` scalar replaced, and those scalars in order. */
function normalise(text: string): { key: string; scalars: string[] } {
  const scalars: string[] = [];
  const key = text.replace(QUOTED_EXPRESSION, (m) => {
    scalars.push(m);
    return '"\u0000"';
  });
  return { key, scalars };
}

/**
 * Whether `value` is plain JSON-like data, the only kind whose recall equals what the yaml
 * library parses back: strings, numbers, booleans, null, dense arrays and objects whose
 * prototype is `Object.prototype` or null. A `Date`, `Map`, `Set`, `BigInt`, boxed primitive,
 * class instance (or `toJSON`) or sparse array serialises to something else.
 */
function isPlainData(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  const t = typeof value;
  if (t === 'string' || t === 'number' || t === 'boolean') return true;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++)
      if (!(i in value) || !isPlainData(value[i])) return false;
    return true;
  }
  if (t !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  return Object.values(value as object).every(isPlainData);
}

/** Number of strings holding a token in `value`, keys included. */
function countTokens(value: unknown): number {
  if (typeof value === 'string') return Token.isUnresolved(value) ? 1 : 0;
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + countTokens(v), 0);
  if (value && typeof value === 'object')
    return Object.entries(value).reduce(
      (n, [k, v]) => n + (v === undefined ? 0 : countTokens(k) + countTokens(v)),
      0,
    );
  return 0;
}

/**
 * A copy of `value` with its token strings, keys included, replaced in document order (a key
 * before its value, as the YAML text has them) by `next()`.
 */
function substitute(value: unknown, next: () => string): unknown {
  if (typeof value === 'string') return Token.isUnresolved(value) ? next() : value;
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : substitute(v, next)));
  if (value && typeof value === 'object') {
    const entries: [string, unknown][] = [];
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined) continue;
      const key = substitute(k, next) as string; // before the value: document order
      entries.push([key, substitute(v, next)]);
    }
    return Object.fromEntries(entries); // own properties, `__proto__` included
  }
  return value;
}

/**
 * Records that `text` is the YAML serialisation of `value` (called by `toYaml`).
 * @param text the YAML written
 * @param value the object serialised (copied, so later changes to it do not matter; not
 *   remembered unless it is plain data, see {@link isPlainData})
 * @param options `copied` (default false): `value` is already a copy of plain data that
 *   nobody changes (toYaml's template copy), kept as it is
 */
export function rememberYaml(text: string, value: unknown, options?: { copied?: boolean }): void {
  if (!options?.copied) {
    if (!isPlainData(value)) return;
    try {
      value = structuredClone(value);
    } catch {
      return; // not plain data: not remembered
    }
  }
  const tokens = countTokens(value);
  const { key, scalars } = normalise(text);
  if (scalars.length !== tokens) return;
  memo.delete(key);
  memo.set(key, { value, tokens });
  if (memo.size > CAPACITY) memo.delete(memo.keys().next().value as string);
}

/**
 * The object a synthesized YAML text was serialised from, with the Terraform expressions cdktf
 * wrote in place of its tokens; `undefined` if the text was not produced by {@link rememberYaml}'s
 * caller or does not line up (then parse it). Equal to `yaml.parse(text)` whenever defined
 * (test/constructs/shared/yaml-memo.test.ts checks every Helm value of the example).
 * @param text YAML as synthesized (tokens resolved)
 */
export function recallYaml(text: string): unknown {
  const { key, scalars } = normalise(text);
  const hit = memo.get(key);
  if (!hit || hit.tokens !== scalars.length) return undefined;
  if (scalars.length === 0) return substitute(hit.value, () => '');
  let decoded: string[];
  try {
    decoded = scalars.map((s) => JSON.parse(s) as string);
  } catch {
    return undefined;
  }
  let i = 0;
  return substitute(hit.value, () => decoded[i++]);
}
