/**
 * Skipped tiers reach the summary (skips.ts, skip-reporter.js): jest-light-runner reports no
 * per-file console output, so announcements go through the run folder's skips file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { announceSkip, readSkips } from './skips';

/* eslint-disable @typescript-eslint/no-require-imports */
const SkipReporter = require('./skip-reporter.js') as new (config: { rootDir: string }) => {
  onTestResult(test: unknown, result: Record<string, unknown>): void;
  onRunComplete(): void;
};
/* eslint-enable @typescript-eslint/no-require-imports */

describe('announceSkip and the skip reporter', () => {
  const saved = process.env.LZ_TEST_RUN_DIR;
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lz-skips-'));
    process.env.LZ_TEST_RUN_DIR = dir;
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.LZ_TEST_RUN_DIR;
    else process.env.LZ_TEST_RUN_DIR = saved;
    rmSync(dir, { recursive: true, force: true });
  });

  it('records each skip with the announcing test file, and the summary groups them by reason', () => {
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      announceSkip('conformance A', 'reference folder /x not found');
      announceSkip('conformance B', 'reference folder /x not found');
      announceSkip('offline', 'LZ_TF_PROVIDER_MIRROR is not set');
      expect(log).toHaveBeenCalledWith('skipping "offline": LZ_TF_PROVIDER_MIRROR is not set');
    } finally {
      log.mockRestore();
    }
    const skips = readSkips(dir);
    expect(skips.map((s) => s.suite)).toEqual(['conformance A', 'conformance B', 'offline']);
    expect(skips[0].file).toBe(__filename);

    const reporter = new SkipReporter({ rootDir: join(__dirname, '..', '..') });
    const counts = { numPassingTests: 0, numFailingTests: 0, numPendingTests: 2 };
    reporter.onTestResult({}, { ...counts, testFilePath: __filename }); // announced: not listed
    reporter.onTestResult({}, { ...counts, testFilePath: join(__dirname, 'quiet.test.ts') });
    const written: string[] = [];
    const write = jest.spyOn(process.stderr, 'write').mockImplementation((s) => {
      written.push(String(s));
      return true;
    });
    try {
      reporter.onRunComplete();
    } finally {
      write.mockRestore();
    }
    expect(
      written
        .join('')
        .trim()
        .split('\n')
        .map((l) => l.trim()),
    ).toEqual([
      'skipped 2 suite(s): reference folder /x not found; set LZ_REFERENCE_DIR or run npm run reference:download (docs/testing.md, conformance) [conformance A, conformance B]',
      'skipped 1 suite(s): LZ_TF_PROVIDER_MIRROR is not set; set LZ_TF_PROVIDER_MIRROR (docs/testing.md, offline Terraform tier) [offline]',
      'skipped every test of test/support/quiet.test.ts',
    ]);
  });
});
