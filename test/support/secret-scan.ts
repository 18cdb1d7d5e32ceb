/**
 * CI secret scan of synthesized Terraform: walks a directory (default `cdktf.out`) for
 * `*.json` files and reports every secret-like literal in them: AWS access key IDs, private
 * keys, GitHub / Slack / Terraform Cloud tokens, JWTs, Slack webhook URLs, and literal values
 * under password/secret/token/API-key-like keys (detectors: constructs/guardrails/secrets.ts).
 *
 * Usage: `node --import tsx test/support/secret-scan.ts [dir]`. Exit status 0 when clean, 1 when
 * anything is found (each finding printed as `file: path: kind (preview)`, values masked),
 * 2 when the directory does not exist or holds no JSON.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { findSecrets, type SecretFinding } from '../../constructs/guardrails/secrets';

/** One finding in one file. */
export interface FileFinding extends SecretFinding {
  /** File path relative to the scanned directory. */
  readonly file: string;
}

/** Every `*.json` file under `dir`, recursively, sorted. */
export function jsonFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) {
        if (name !== '.terraform' && name !== 'node_modules') walk(p);
      } else if (name.endsWith('.json')) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/**
 * Scans every JSON file under `dir`.
 * @returns the findings and the number of files scanned
 * @throws Error if a file is not valid JSON
 */
export function scanDirectory(dir: string): { files: number; findings: FileFinding[] } {
  const files = jsonFiles(dir);
  const findings = files.flatMap((file) => {
    let doc: unknown;
    try {
      doc = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      throw new Error(`${file}: not valid JSON (${(e as Error).message})`, { cause: e });
    }
    return findSecrets(doc).map((f) => ({ ...f, file: relative(dir, file) }));
  });
  return { files: files.length, findings };
}

/** CLI entry point; returns the exit status. */
export function main(argv: string[]): number {
  const dir = argv[0] ?? 'cdktf.out';
  if (!existsSync(dir)) {
    console.error(`secret-scan: ${dir} does not exist (run the synth first)`);
    return 2;
  }
  const { files, findings } = scanDirectory(dir);
  if (files === 0) {
    console.error(`secret-scan: no JSON files under ${dir}`);
    return 2;
  }
  if (findings.length === 0) {
    console.log(`secret-scan: ${files} file(s) under ${dir}, no secret-like literals`);
    return 0;
  }
  console.error(`secret-scan: ${findings.length} secret-like literal(s) in ${dir}:`);
  for (const f of findings) console.error(`  ${f.file}: ${f.path}: ${f.kind} (${f.preview})`);
  console.error(
    'Pass secrets as sensitive Terraform variables or keep them in AWS Secrets Manager (docs/security.md).',
  );
  return 1;
}

if (require.main === module) process.exit(main(process.argv.slice(2)));
