/**
 * Loading and validating an environment file.
 *
 * The environment is chosen by the `LZ_ENV` variable: a name (`example` → `envs/example.yaml`)
 * or a path to a `.yaml`/`.yml`/`.json` file. Unset, the example environment is used, so
 * `cdktf synth` works on a fresh clone with nothing set.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { environmentSchema, type Environment } from './schema';
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

/** `a.b[1].c` from a zod issue path. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((seg, i) =>
      typeof seg === 'number' ? `[${seg}]` : i === 0 ? String(seg) : `.${String(seg)}`,
    )
    .join('');
}

/** Every issue of a zod error as `path: message`, in document order. */
export function formatIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.flatMap((i) => {
    // A record key that fails its own rule: report the key's rule, not "Invalid key in record".
    if (i.code === 'invalid_key' && i.issues.length > 0) {
      return i.issues.map((k) => `${formatPath(i.path) || '(root)'}: ${k.message}`);
    }
    if (i.code === 'unrecognized_keys' && i.keys.length > 0) {
      return i.keys.map((k) => `${formatPath([...i.path, k])}: unknown key (not in the schema)`);
    }
    return [`${formatPath(i.path) || '(root)'}: ${i.message}`];
  });
}

/**
 * Validates an already-parsed object as an environment.
 * @param input the raw object (e.g. parsed YAML)
 * @param source a label for error messages (file name)
 * @returns the environment with defaults applied
 * @throws ConfigError listing every problem, each with its path and rule
 */
export function parseEnvironment(input: unknown, source = 'environment'): Environment {
  const result = environmentSchema.safeParse(input);
  if (!result.success) throw new ConfigError(source, formatIssues(result.error.issues));
  return result.data;
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
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(file, 'utf8'), { prettyErrors: true });
  } catch (e) {
    throw new ConfigError(file, [`not valid YAML: ${(e as Error).message}`]);
  }
  return parseEnvironment(raw, file);
}
