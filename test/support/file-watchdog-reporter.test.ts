/**
 * test/support/file-watchdog-reporter.js: a file that has not finished within the limit stops
 * the run with a message naming it and every file still running; a file that finishes in time
 * stops nothing.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const FileWatchdogReporter = require('./file-watchdog-reporter');

const wait = (ms: number) => new Promise((done) => setTimeout(done, ms));

describe('FileWatchdogReporter', () => {
  const make = (limitMs: number) => {
    const stops: string[] = [];
    const reporter = new FileWatchdogReporter(
      { rootDir: '/repo' },
      { limitMs, stop: (m: string) => stops.push(m) },
    );
    return { reporter, stops };
  };

  it('defaults to 10 minutes, above the workers’ 6-minute stall limit; 0 is off', () => {
    const { fileLimit } = FileWatchdogReporter;
    expect([fileLimit(undefined), fileLimit(''), fileLimit('0'), fileLimit('5000')]).toEqual([
      600_000, 600_000, 0, 5000,
    ]);
    expect(() => fileLimit('ten')).toThrow('LZ_TEST_FILE_LIMIT_MS: ten is not a number');
  });

  it('arms nothing when off, or in watch mode', async () => {
    const stops: string[] = [];
    const stop = (m: string) => stops.push(m);
    const off = new FileWatchdogReporter({ rootDir: '/repo' }, { limitMs: 0, stop });
    const watching = new FileWatchdogReporter(
      { rootDir: '/repo', watch: true },
      { limitMs: 20, stop },
    );
    for (const r of [off, watching]) r.onTestFileStart({ path: '/repo/test/a.test.ts' });
    await wait(60);
    expect(stops).toEqual([]);
  });

  it('stops the run when a file outlives the limit, naming every file still running', async () => {
    const { reporter, stops } = make(40);
    reporter.onTestFileStart({ path: '/repo/test/a.test.ts' });
    reporter.onTestFileStart({ path: '/repo/test/b.test.ts' });
    await wait(120);
    expect(stops).toHaveLength(1); // once, for the first file past the limit
    expect(stops[0]).toContain('test/a.test.ts has not finished 0.04 s after it started');
    expect(stops[0]).toMatch(/\n {2}test\/a\.test\.ts: \d+ s\n {2}test\/b\.test\.ts: \d+ s\n/);
  });

  it('stops nothing for files that finish in time, or when the run completes', async () => {
    const { reporter, stops } = make(40);
    reporter.onTestFileStart({ path: '/repo/test/a.test.ts' });
    reporter.onTestFileResult({ path: '/repo/test/a.test.ts' });
    reporter.onTestFileStart({ path: '/repo/test/b.test.ts' });
    reporter.onRunComplete();
    await wait(100);
    expect(stops).toEqual([]);
  });
});
