/**
 * Test helpers for environments: the example, and modified copies of its raw YAML.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { parseEnvironment } from '../../envs/load';
import type { Environment } from '../../envs/schema';

/** The example environment file as raw (unvalidated) data; a fresh copy per call. */
export function rawExample(): Record<string, any> {
  return parse(readFileSync(join(__dirname, '..', '..', 'envs', 'example.yaml'), 'utf8'));
}

/** The example environment, validated, optionally changed first by `edit` (on the raw data). */
export function exampleEnv(edit?: (raw: Record<string, any>) => void): Environment {
  const raw = rawExample();
  edit?.(raw);
  return parseEnvironment(raw, 'example.yaml');
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
