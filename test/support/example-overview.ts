/**
 * `npm run docs:overview`: synthesizes the example environment into a scratch directory and
 * copies the overview it writes (`landing-zone.md`) to `docs/example-landing-zone.md`, the
 * copy the docs link to. test/stacks/overview.test.ts fails when the copy is stale.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthesize } from '../../main';

/** Where the committed copy lives. */
export const EXAMPLE_OVERVIEW = join(__dirname, '..', '..', 'docs', 'example-landing-zone.md');

/** The overview of the example environment as a synth writes it (run from the repo root). */
export function exampleOverview(): string {
  const outdir = mkdtempSync(join(tmpdir(), 'lz-overview-'));
  const cwd = process.cwd();
  try {
    process.chdir(join(__dirname, '..', '..'));
    const result = synthesize({ environment: 'example', outdir, log: () => undefined });
    if (!result.ok) throw new Error(result.message);
    return readFileSync(result.overview, 'utf8');
  } finally {
    process.chdir(cwd);
    rmSync(outdir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  writeFileSync(EXAMPLE_OVERVIEW, exampleOverview());
  console.log(`wrote ${EXAMPLE_OVERVIEW}`);
}
