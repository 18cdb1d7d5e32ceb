/**
 * Loading and validating an environment file.
 *
 * The environment is chosen by the `LZ_ENV` variable: a name (`example` → `envs/example.yaml`)
 * or a path to a `.yaml`/`.yml`/`.json` file. Unset, the example environment is used, so
 * `cdktf synth` works on a fresh clone with nothing set.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { isScalar, parse as parseYaml, parseDocument } from 'yaml';
import { z } from 'zod';
import { environmentSchema, type Environment } from './schema';
import { describeIssues, errorMap, formatPath, type SourceText } from './problems';

export { formatPath };
import { sourcePath } from './paths';

/** The environment variable that selects the environment file. */
export const ENV_VARIABLE = 'LZ_ENV';
/** The environment used when {@link ENV_VARIABLE} is unset. */
export const DEFAULT_ENVIRONMENT = 'example';

/** Thrown when an environment does not parse or validate; `problems` lists every issue as `path: rule`. */
export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(
      `${source}: ${problems.length} problem(s) in the environment:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    this.name = 'ConfigError';
  }
}

/** Every issue of a zod error as `path: message`, in document order, each once. */
export function formatIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return describeIssues(issues, environmentSchema);
}

/** The environment's shape without the top-level cross-field rules (those zod skips on a type error). */
const shapeOnly = z.object(environmentSchema.shape).strict();

/** The example file's raw data, used to stand in for a value that fails its type. */
let exampleRaw: unknown;
function example(): unknown {
  exampleRaw ??= parseYaml(readFileSync(sourcePath('envs', `${DEFAULT_ENVIRONMENT}.yaml`), 'utf8'));
  return exampleRaw;
}

type Path = readonly PropertyKey[];
const get = (v: unknown, path: Path): unknown =>
  path.reduce<unknown>(
    (o, k) =>
      o !== null && typeof o === 'object' ? (o as Record<PropertyKey, unknown>)[k] : undefined,
    v,
  );
const within = (a: Path, b: Path): boolean => a.length <= b.length && a.every((k, i) => b[i] === k);

/**
 * The cross-field rules' problems for an input whose types are wrong somewhere (zod runs the
 * object's refinements only once every field has its type). Each failing value is replaced by
 * the example's value at the same path (or removed, or its enclosing entry removed), until the
 * shape parses; the rules then run on that stand-in and report what they find outside the
 * replaced parts. Where no stand-in parses within a few rounds, one line says the rules did
 * not run.
 */
function crossFieldProblems(
  input: unknown,
  params: z.core.ParseContext<z.core.$ZodIssue>,
): string[] {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return [];
  const repaired = structuredClone(input) as Record<string, unknown>;
  const replaced: Path[] = [];
  const attempts = new Map<string, number>();
  for (let round = 0; round < 12; round++) {
    const base = shapeOnly.safeParse(repaired, params);
    if (base.success) {
      const full = environmentSchema.safeParse(repaired, params);
      if (full.success) return [];
      const own = full.error.issues.filter(
        (i) => !replaced.some((r) => within(r, i.path) || within(i.path, r)),
      );
      return formatIssues(own);
    }
    // Deepest first, so removing an array item does not shift the others of this round.
    const paths = base.error.issues
      .flatMap((i) =>
        i.code === 'unrecognized_keys' ? i.keys.map((k) => [...i.path, k]) : [i.path],
      )
      .sort((a, b) => b.length - a.length || String(b.at(-1)).localeCompare(String(a.at(-1))));
    for (const issuePath of paths) {
      const key = JSON.stringify(issuePath);
      const n = attempts.get(key) ?? 0;
      attempts.set(key, n + 1);
      // First the value itself, then ever larger enclosing entries.
      const path = issuePath.slice(0, Math.max(1, issuePath.length - n));
      if (n > 0 && path.length === 1 && n >= issuePath.length) {
        return [`(cross-field rules): not checked; they run once the problems above are fixed`];
      }
      const parent = get(repaired, path.slice(0, -1));
      if (parent === null || typeof parent !== 'object') continue;
      const last = path[path.length - 1];
      const stand = get(example(), path);
      const obj = parent as Record<PropertyKey, unknown>;
      if (stand !== undefined) obj[last] = structuredClone(stand);
      else if (Array.isArray(parent) && typeof last === 'number') parent.splice(last, 1);
      else delete obj[last];
      replaced.push(path);
    }
  }
  return [`(cross-field rules): not checked; they run once the problems above are fixed`];
}

/**
 * Validates an already-parsed object as an environment.
 *
 * Every problem is reported in one run: the type problems, and the cross-field rules run on a
 * best-effort stand-in where a type problem would make zod skip them (see `crossFieldProblems`).
 * @param input the raw object (e.g. parsed YAML)
 * @param source a label for error messages (file name)
 * @param text the value at a path as written in the file, for quoting hints (optional)
 * @returns the environment with defaults applied
 * @throws ConfigError listing every problem once, each with its path and rule
 */
export function parseEnvironment(
  input: unknown,
  source = 'environment',
  text?: SourceText,
): Environment {
  const params = { error: errorMap(text), reportInput: true };
  const result = environmentSchema.safeParse(input, params);
  if (result.success) return result.data;
  const problems = formatIssues(result.error.issues);
  // zod skipped the top-level cross-field rules if the shape itself failed: run them on a stand-in.
  if (!shapeOnly.safeParse(input, params).success)
    for (const p of crossFieldProblems(input, params)) if (!problems.includes(p)) problems.push(p);
  throw new ConfigError(source, problems);
}

/** Resolves `LZ_ENV`-style input (name or path) to a file path. */
export function environmentPath(
  selector: string = process.env[ENV_VARIABLE] || DEFAULT_ENVIRONMENT,
): string {
  if (/\.(ya?ml|json)$/.test(selector)) return isAbsolute(selector) ? selector : resolve(selector);
  if (!/^[a-z0-9][a-z0-9_-]*$/i.test(selector)) {
    throw new ConfigError(ENV_VARIABLE, [
      `${ENV_VARIABLE}: "${selector}" is neither an environment name nor a .yaml/.json path`,
    ]);
  }
  return sourcePath('envs', `${selector}.yaml`);
}

/**
 * Reads, parses and validates an environment file.
 * @param selector environment name or file path (default: `$LZ_ENV`, else `example`)
 * @throws ConfigError if the file is missing, is not YAML/JSON, or fails validation
 */
export function loadEnvironment(selector?: string): Environment {
  const file = environmentPath(selector);
  if (!existsSync(file))
    throw new ConfigError(file, [
      `file not found (set ${ENV_VARIABLE} to a name in envs/ or a path)`,
    ]);
  const text = readFileSync(file, 'utf8');
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0)
    throw new ConfigError(
      file,
      doc.errors.map((e) => `not valid YAML: ${e.message.split('\n')[0]}`),
    );
  // The value at a path as written (`1.30`, not the number 1.3), for the quoting hint.
  const written: SourceText = (path) => {
    const node = doc.getIn(path as unknown[], true);
    return isScalar(node) && node.range ? text.slice(node.range[0], node.range[1]) : undefined;
  };
  return parseEnvironment(doc.toJS(), file, written);
}
