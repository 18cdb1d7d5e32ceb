/**
 * Test helpers for environments: the example, and modified copies of its raw YAML.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { parseEnvironment } from '../../envs/load';
import type { Environment } from '../../envs/schema';

// Parsed once per jest worker, whose test files share this module (docs/testing.md, "How jest
// runs") (YAML about 8 ms, the schema about 3 ms more; the fuzz and bad-input*
// files ask hundreds of times); every caller gets its own deep copy. Both are plain data.
let raw: Record<string, any> | undefined;
let parsed: Environment | undefined;

/** The example environment file as raw (unvalidated) data; a fresh copy per call. */
export function rawExample(): Record<string, any> {
  raw ??= parse(readFileSync(join(__dirname, '..', '..', 'envs', 'example.yaml'), 'utf8'));
  return structuredClone(raw!);
}

/**
 * The example environment, validated, optionally changed first by `edit` (on the raw data);
 * a fresh copy per call.
 */
export function exampleEnv(edit?: (raw: Record<string, any>) => void): Environment {
  if (!edit) {
    parsed ??= parseEnvironment(rawExample(), 'example.yaml');
    return structuredClone(parsed);
  }
  const copy = rawExample();
  edit(copy);
  return parseEnvironment(copy, 'example.yaml');
}

/** The problems `parseEnvironment` reports for the example changed by `edit` ([] if valid). */
export function problemsOf(edit: (raw: Record<string, any>) => void): string[] {
  try {
    exampleEnv(edit);
    return [];
  } catch (e) {
    const problems = (e as { problems?: string[] }).problems;
    if (!problems) throw e;
    return problems;
  }
}
