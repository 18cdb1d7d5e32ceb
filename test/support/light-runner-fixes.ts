/**
 * What jest-light-runner 0.7.13 (jest.config.js) does differently from jest's own runner and this
 * suite puts right, once per worker (test/support/setup.ts). Each fix names the upstream lines
 * (node_modules/jest-light-runner/src/…, as installed); test/support/light-runner-fixes.test.ts
 * fails when those lines change, so the fix can be dropped once upstream has it.
 *
 * 1. **Snapshots of skipped and failed tests.** The runner marks a skipped or failed test's
 *    snapshots as checked with the test's own title (`fullName: test.title`, worker-runner.js
 *    `toTestResult`), while jest-snapshot keys a snapshot by the full name, describe blocks
 *    included (`${ancestors} ${title} ${count}`, jest-snapshot 30.5.2 `testNameToKey`). So with
 *    `-t` every skipped test's snapshot was reported obsolete (exit 1 under `--ci`) and `-u`
 *    deleted it. Here a title also marks every snapshot whose test name holds it as a whole
 *    word sequence: more snapshots counted as checked, never fewer (at worst one is kept that
 *    `-u` would have removed).
 * 2. **Workers outliving jest.** For child-process workers the runner never destroys its pool
 *    (index.js `runTests`: "Can't call `pool.destroy()`"), and tinypool forks them with jest's
 *    stdio: a worker that still had a timer or a socket open kept running after jest, holding
 *    jest's stdout open (`npm test | tee` would wait). A worker now exits when jest's side of
 *    its IPC channel goes away.
 * 3. **Crashes named.** An uncaught exception or unhandled rejection kills the worker, and the
 *    runner reports "Worker exited unexpectedly" against whichever file it ran next. The worker
 *    now prints the file and test that were running before it exits with status 1.
 */
import { SnapshotState } from 'jest-snapshot';

/** A snapshot key's test name: the key without its ` <count>` (jest-snapshot `testNameToKey`). */
export function keyTestName(key: string): string {
  return key.replace(/ \d+$/, '');
}

/**
 * Whether the snapshot key's test name contains `title` as whole words: the test itself
 * (`a b title`), a test below a describe block of that name (`a title c`), or a hinted
 * snapshot of it (`a title: hint`).
 */
export function keyHoldsTitle(key: string, title: string): boolean {
  const name = ` ${keyTestName(key)} `;
  return name.includes(` ${title} `) || name.includes(` ${title}: `);
}

let installed = false;

/**
 * Installs the fixes above in this worker (idempotent).
 * @param proc the process to watch (default: this one)
 */
export function installLightRunnerFixes(proc: NodeJS.Process = process): void {
  if (installed) return;
  installed = true;

  const mark = SnapshotState.prototype.markSnapshotsAsCheckedForTest;
  SnapshotState.prototype.markSnapshotsAsCheckedForTest = function (this: SnapshotState, title) {
    mark.call(this, title);
    for (const key of this.getUncheckedKeys())
      if (keyHoldsTitle(key, title)) mark.call(this, keyTestName(key));
  };

  // a child-process worker only: in-band (`-w 1`) the runner is jest's own process
  if (proc.send) proc.once('disconnect', () => proc.exit());

  const crash = (kind: string) => (error: unknown) => {
    const state = typeof expect === 'undefined' ? undefined : expect.getState();
    const where = state?.testPath
      ? `${state.testPath}${state.currentTestName ? ` › ${state.currentTestName}` : ''}`
      : 'no test file';
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    proc.stderr.write(`\n${kind} in a jest worker while running ${where}:\n${detail}\n`);
    proc.exit(1);
  };
  proc.on('uncaughtException', crash('uncaught exception'));
  proc.on('unhandledRejection', crash('unhandled rejection'));
}
