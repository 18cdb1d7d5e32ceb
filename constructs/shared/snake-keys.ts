/**
 * Snake-case keys, each key converted once: cdktf 0.21's `keysToSnakeCase`
 * (node_modules/cdktf/lib/util.js) turns the keys of every resource's, data source's,
 * provider's and variable's attributes, meta-arguments, and of the backend and remote-state
 * configurations into snake case, calling
 * `snakeCase` (three regular-expression replacements) for every key of every element again. At
 * 100 accounts / 20 clusters that was 7,673 calls and about 140 ms of a synth; with each key's
 * snake case remembered, about 47 ms (`node --cpu-prof`, 2026-12-01); this module's, 32 ms
 * (2026-12-02).
 *
 * Every caller reads the function from the module's exports at call time
 * (`(0, util_1.keysToSnakeCase)(…)` in lib/terraform-resource.js, terraform-data-source.js,
 * terraform-provider.js, terraform-remote-state.js, terraform-variable.js and the twelve
 * lib/backends/*-backend.js, the cloud backend's among them), so replacing the
 * export switches it for the process, as constructs/shared/creation-stacks.ts does for
 * `captureStackTrace`. The replacement walks the value as cdktf's does (same order, same
 * results, same errors, but for nesting thousands of levels deep, where cdktf's runs out of
 * stack first) and converts each key with cdktf's own exported `snakeCase`, once per
 * distinct key; test/constructs/shared/snake-keys.test.ts compares the two on generated values
 * and fails if cdktf's callers or exports change. `LZ_DEBUG` keeps cdktf's function.
 */
import { Tokenization } from 'cdktf';
// The module's own exports object (a namespace import would be a read-only copy in a bundle).
// eslint-disable-next-line @typescript-eslint/no-require-imports
import util = require('cdktf/lib/util');
import { DEBUG_VARIABLE } from './creation-stacks';

type KeysToSnakeCase = (object: unknown) => unknown;

const original: KeysToSnakeCase = util.keysToSnakeCase;
const snakeCase: (s: string) => string = util.snakeCase;

/** Keys that cdktf copies with their values untouched (util.js). */
const VERBATIM = new Set(['tags', 'environment']);
/** How many distinct keys are remembered before the memo starts over. */
const CAPACITY = 10_000;
const snakeOf = new Map<string, string>();

/** cdktf's `snakeCase(key)`, computed once per distinct key. */
function snake(key: string): string {
  let s = snakeOf.get(key);
  if (s === undefined) {
    s = snakeCase(key);
    if (snakeOf.size >= CAPACITY) snakeOf.clear();
    snakeOf.set(key, s);
  }
  return s;
}

/** Each item of an array, objects (and null) converted, others as they are. */
const items = (array: unknown[]): unknown[] =>
  array.map((e) => (typeof e === 'object' ? keysToSnakeCase(e) : e));

/**
 * What cdktf 0.21's `keysToSnakeCase` returns for `object`: a resolvable (token) as it is; an
 * array with its object items converted; an object with every key in snake case and object
 * values converted (arrays twice, as cdktf does), but `tags` and `environment` copied as
 * they are.
 * @param object a value of an element's attributes (cdktf calls it with objects only)
 * @returns a new object or array (or the token)
 * @throws TypeError for `null` (cdktf's `Object.keys(null)`, reached for a null value)
 */
export function keysToSnakeCase(object: unknown): unknown {
  if (Tokenization.isResolvable(object)) return object;
  if (Array.isArray(object)) return items(object);
  const record = object as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(record)) {
    if (VERBATIM.has(key)) {
      out[key] = record[key];
      continue;
    }
    let value = record[key];
    if (typeof value === 'object') value = keysToSnakeCase(value);
    if (Array.isArray(value)) value = items(value);
    out[snake(key)] = value;
  }
  return out;
}

/**
 * Installs {@link keysToSnakeCase} as cdktf's, unless `LZ_DEBUG` is set (then cdktf's own is
 * put back). Idempotent.
 * @param env the environment to read `LZ_DEBUG` from (default `process.env`)
 * @returns whether ours is installed
 */
export function installSnakeKeys(env: NodeJS.ProcessEnv = process.env): boolean {
  const on = !env[DEBUG_VARIABLE];
  (util as { keysToSnakeCase: KeysToSnakeCase }).keysToSnakeCase = on ? keysToSnakeCase : original;
  return on;
}

/** cdktf's own `keysToSnakeCase`, as loaded (for the tests). */
export const cdktfKeysToSnakeCase: KeysToSnakeCase = original;
