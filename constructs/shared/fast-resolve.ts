/**
 * A faster walk for cdktf's token resolution: plain data is copied by a loop of our own, and
 * every value that holds a token is handed to cdktf's own `resolve`, which resolves it exactly
 * as before.
 *
 * cdktf 0.21 (node_modules/cdktf/lib/tokens/private/resolve.js) resolves every element's
 * `toTerraform()` output by recursing into each object key, array item and string. Each step
 * builds a fresh resolution context (two closures, a copied key path and a spread of the
 * options) and each string three `TokenString`s, to find the few values that hold tokens. In a
 * CPU profile of the 100-account / 20-cluster synth (2026-12-01), that recursion was 1.4 s of
 * its 4.8 s; most of what it walks is plain (names, tags, policy text, Helm values).
 *
 * What is plain, from cdktf's encoding (lib/tokens/private/encoding.js, lib/tokens/token.js):
 * - a string with no `TfToken[` (the marker of string, list and map tokens:
 *   `${TfToken[`, `#{TfToken[`, `&{TfToken[`), no match of cdktf's `NUMBER_TOKEN_REGEX`
 *   (`[-|\d|.\+]+(e[-|\d|.|e|E|\+]+)`, a number token written into a string), and not one of
 *   the map-token values (`Token.STRING_MAP_TOKEN_VALUE`, `Token.ANY_MAP_TOKEN_VALUE`), which
 *   cdktf refuses;
 * - a number above -1e280 that is not `Token.NUMBER_MAP_TOKEN_VALUE`: token numbers are doubles
 *   whose top 16 bits are 0xfdff (string-context tokens, about -4e298) or 0xfbff (list tokens,
 *   about -1e289), `DOUBLE_TOKEN_MARKER_BITS` and `DOUBLE_LIST_TOKEN_MARKER_BITS`;
 * - booleans, `null`, `undefined`, `Date`s and other non-objects, returned as they are;
 * - an array with no item that is or may be a list token (a string holding `#{TfToken[`, a
 *   number at or below -1e280), and an object (not a `resolve()`-able token, not a construct)
 *   whose keys are plain strings: their items and values are walked the same way.
 *
 * Anything else is passed, at the key path cdktf would have reached it by, to cdktf's `resolve`
 * with the caller's options (the resolution context's inherited fields, `suppressBraces`,
 * `ignoreEscapes`, `warnEscapes` and `iteratorContext`, are copied unchanged through plain
 * levels, so they are the caller's). Values are visited in cdktf's order (object keys in
 * `Object.keys` order, array items by index), so tokens resolve in the same order, which
 * matters for what a preparing resolution registers (cross-stack references). The equality
 * holds for data whose reads have no effects, which is what elements' `toTerraform()` returns:
 * a getter (an array index, an object's `resolve`) may be read a different number of times
 * than cdktf reads it, as cdktf's own helpers read some values twice or three times. Undefined
 * values are dropped from objects and arrays, as cdktf does; a value on a path deeper than
 * cdktf's limit (200 keys) is handed over, and cdktf throws its own error there.
 *
 * Only the top-level call is replaced: cdktf's `Tokenization.resolve`
 * (node_modules/cdktf/lib/tokens/token.js) calls the module export `resolve` at call time
 * (`(0, resolve_1.resolve)(obj, …)`), and every stack and element resolution goes through it
 * (lib/_tokens.js). The recursion inside a token's own resolution stays cdktf's.
 * test/constructs/shared/fast-resolve.test.ts compares the two on generated values holding
 * every kind of token, pins the encoding facts above on cdktf's source, and the app's output
 * is byte-identical (test/constructs/shared/resolve-once.test.ts). `LZ_DEBUG` keeps cdktf's walk.
 */
import { Token } from 'cdktf';
// The module's own exports object (a namespace import would be a read-only copy in a bundle).
// eslint-disable-next-line @typescript-eslint/no-require-imports
import resolveModule = require('cdktf/lib/tokens/private/resolve');
import { DEBUG_VARIABLE } from './creation-stacks';

/** cdktf's resolve options: `scope`, `preparing`, `resolver`, `prefix`, `previousContext`. */
export type ResolveOptions = resolveModule.IResolveOptions;

type Resolve = (obj: unknown, options: ResolveOptions) => unknown;

const original: Resolve = resolveModule.resolve;

/** The part every token marker shares (encoding.js `BEGIN_*_TOKEN_MARKER`). */
export const TOKEN_MARKER = 'TfToken[';

/** The list token marker (encoding.js `BEGIN_LIST_TOKEN_MARKER`): an item makes a list token. */
export const LIST_TOKEN_MARKER = '#{TfToken[';

/**
 * Whether a string holds a match of cdktf's `NUMBER_TOKEN_REGEX`: a character of
 * `[-|\d.+]`, then `e`, then one of `[-|\d.eE+]` (the regex's own test, without its `g` state).
 */
export const NUMBER_TOKEN_LIKE = /[-|\d.+]e[-|\d.eE+]/;

/** Numbers at or below this may be token doubles (both markers are below -9e288). */
export const TOKEN_NUMBER_BOUND = -1e280;

/** cdktf's recursion limit (`prefix.length > 200` throws). */
const MAX_DEPTH = 200;

/** Whether cdktf's `resolve` would return the string unchanged without looking further. */
function isPlainString(s: string): boolean {
  return (
    !s.includes(TOKEN_MARKER) &&
    !NUMBER_TOKEN_LIKE.test(s) &&
    s !== Token.STRING_MAP_TOKEN_VALUE &&
    s !== Token.ANY_MAP_TOKEN_VALUE
  );
}

/** Whether cdktf's `resolve` would return the number unchanged (not a token double). */
const isPlainNumber = (n: number) => n > TOKEN_NUMBER_BOUND && n !== Token.NUMBER_MAP_TOKEN_VALUE;

/**
 * cdktf's `resolve`, walking plain data itself.
 * @param obj what to resolve (an element's `toTerraform()` output, a stack's document, a value)
 * @param options cdktf's resolve options (`scope`, `preparing`, `resolver`, `prefix`, …)
 * @returns what cdktf's `resolve` returns for it
 * @throws what cdktf's `resolve` throws for it
 */
export function fastResolve(obj: unknown, options: ResolveOptions): unknown {
  const prefix = options.prefix ?? [];
  const path: string[] = [];
  const handOver = (value: unknown) => original(value, { ...options, prefix: prefix.concat(path) });

  const walk = (value: unknown): unknown => {
    // cdktf checks the depth first, whatever the value (a plain string too)
    if (prefix.length + path.length > MAX_DEPTH) return handOver(value);
    switch (typeof value) {
      case 'string':
        return isPlainString(value) ? value : handOver(value);
      case 'number':
        return isPlainNumber(value) ? value : handOver(value);
      case 'object':
        break;
      case 'function':
        return handOver(value); // cdktf throws
      default:
        return value; // undefined, boolean, bigint, symbol
    }
    if (value === null || value instanceof Date) return value;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const item: unknown = value[i];
        if (
          (typeof item === 'string' && item.includes(LIST_TOKEN_MARKER)) ||
          (typeof item === 'number' && !(item > TOKEN_NUMBER_BOUND))
        )
          return handOver(value); // a list token (or a number that might be one)
      }
      return value
        .map((item: unknown, i: number) => {
          path.push(`${i}`);
          const resolved = walk(item);
          path.pop(); // (a throw ends the whole resolution: no pop needed then)
          return resolved;
        })
        .filter((x: unknown) => typeof x !== 'undefined');
    }
    const record = value as Record<string, unknown> & { _children?: unknown; _metadata?: unknown };
    // in cdktf's order: a map-token key, then a token, then a construct (resolve.js)
    const keys = Object.keys(record);
    for (const key of keys) if (!isPlainString(key)) return handOver(value);
    if (typeof record.resolve === 'function') return handOver(value); // a token
    if (record._children !== undefined && record._metadata !== undefined) return handOver(value);
    const result: Record<string, unknown> = {};
    for (const key of keys) {
      path.push(key);
      const resolved = walk(record[key]);
      path.pop();
      if (typeof resolved === 'undefined') continue;
      result[key] = resolved;
    }
    return result;
  };
  return walk(obj);
}

/**
 * Puts {@link fastResolve} in place of cdktf's `resolve` for this process (idempotent), or
 * cdktf's own back when `LZ_DEBUG` is set.
 * @param env where `LZ_DEBUG` is read (default `process.env`)
 * @returns whether the fast walk is installed
 */
export function installFastResolve(env: NodeJS.ProcessEnv = process.env): boolean {
  const on = !env[DEBUG_VARIABLE];
  (resolveModule as { resolve: Resolve }).resolve = on ? fastResolve : original;
  return on;
}

/** cdktf's own `resolve`, for comparison. */
export const cdktfResolve: Resolve = original;
