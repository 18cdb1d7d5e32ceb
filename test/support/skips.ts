/**
 * Skipped tiers, announced where the summary can find them: jest-light-runner reports no
 * console output per file (jest.config.js), so a skip is also a line of the run's skips file,
 * which test/support/skip-reporter.js reads when the run completes.
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The skips file in the run's folder (`LZ_TEST_RUN_DIR`, test/support/global-setup.js). */
const SKIPS_FILE = 'skips.jsonl';

/** One skipped suite and why. */
export interface Skip {
  readonly suite: string;
  readonly reason: string;
  /** The test file that announced it (absolute path; absent outside jest). */
  readonly file?: string;
}

/**
 * Logs `skipping "<suite>": <reason>` and appends it to the run's skips file (when jest's
 * global setup made a run folder; outside jest only the line is logged).
 */
export function announceSkip(suite: string, reason: string): void {
  console.log(`skipping "${suite}": ${reason}`);
  const dir = process.env.LZ_TEST_RUN_DIR;
  if (!dir) return;
  // the file being collected: jest's expect state (jest-light-runner sets it before the import)
  const file = typeof expect === 'undefined' ? undefined : expect.getState().testPath;
  appendFileSync(join(dir, SKIPS_FILE), `${JSON.stringify({ suite, reason, file })}\n`);
}

/** Every skip announced in the run folder `dir`, in order ([] when none). */
export function readSkips(dir: string): Skip[] {
  const file = join(dir, SKIPS_FILE);
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Skip);
}
