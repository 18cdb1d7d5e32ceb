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
 * 4. **A stall watchdog instead of per-test timeouts.** The runner has none (worker-runner.js
 *    `callAsync` awaits each test as long as it takes), so a promise that never settles hung the
 *    run. The runner calls `expect.setState` when a file starts (`testPath`), before each test
 *    (`currentTestName`) and after it, and `snapshotState.save()` when the file is done: a worker
 *    that goes {@link STALL_TIMEOUT_MS} without one of them while a file is running prints where
 *    it was and exits with status 1, which fails that file. A synchronous endless loop is not
 *    caught (nor was it by jest's own timeout).
 */
import { keyToTestName } from '@jest/snapshot-utils';
import { SnapshotState } from 'jest-snapshot';

/**
 * Whether the snapshot key's test name (jest's own `keyToTestName`, as `SnapshotState` reads
 * it) contains `title` as whole words: the test itself
 * (`a b title`), a test below a describe block of that name (`a title c`), or a hinted
 * snapshot of it (`a title: hint`).
 */
export function keyHoldsTitle(key: string, title: string): boolean {
  const name = ` ${keyToTestName(key)} `;
  return name.includes(` ${title} `) || name.includes(` ${title}: `);
}

/**
 * How long a worker may run one file without progress (a test starting or ending), in
 * milliseconds: `LZ_TEST_STALL_MS`, default 360,000, above the offline tier's own child-process
 * limit (`TERRAFORM_TIMEOUT_MS`, test/support/terraform.ts, 300 s) so that a hung Terraform is
 * reported by the test that started it.
 */
export const STALL_TIMEOUT_MS = Number(process.env.LZ_TEST_STALL_MS) || 360_000;

/**
 * A one-shot timer that `arm()` (re)starts and `disarm()` stops; `onStall` runs when `ms` pass
 * without either. The timer does not keep the process alive.
 */
export function progressWatchdog(ms: number, onStall: () => void) {
  let timer: NodeJS.Timeout | undefined;
  const disarm = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
  };
  const arm = () => {
    disarm();
    timer = setTimeout(onStall, ms);
    timer.unref();
  };
  return {
    arm,
    disarm,
    get armed() {
      return timer !== undefined;
    },
  };
}

let installed = false;

/**
 * Installs the fixes above in this worker (idempotent).
 * @param proc the process to watch (default: this one)
 */
export function installLightRunnerFixes(proc: NodeJS.Process = process): void {
  if (installed) return;
  installed = true;

  const where = () => {
    const state = typeof expect === 'undefined' ? undefined : expect.getState();
    if (!state?.testPath) return 'no test file';
    return `${state.testPath} › ${state.currentTestName ?? "(between tests: a hook or the file's import)"}`;
  };

  const watchdog = progressWatchdog(STALL_TIMEOUT_MS, () => {
    proc.stderr.write(
      `\nno progress for ${STALL_TIMEOUT_MS / 1000} s in a jest worker while running ${where()}; stopping the worker\n`,
    );
    proc.exit(1);
  });
  const setState = expect.setState;
  expect.setState = (state) => {
    setState.call(expect, state);
    watchdog.arm();
  };
  const save = SnapshotState.prototype.save;
  SnapshotState.prototype.save = function (this: SnapshotState) {
    watchdog.disarm(); // the file's tests are done (worker-runner.js addSnapshotData)
    return save.call(this);
  };

  const mark = SnapshotState.prototype.markSnapshotsAsCheckedForTest;
  SnapshotState.prototype.markSnapshotsAsCheckedForTest = function (this: SnapshotState, title) {
    mark.call(this, title);
    for (const key of this.getUncheckedKeys())
      if (keyHoldsTitle(key, title)) mark.call(this, keyToTestName(key));
  };

  // a child-process worker only: in-band (`-w 1`) the runner is jest's own process
  if (proc.send) proc.once('disconnect', () => proc.exit());

  const crash = (kind: string) => (error: unknown) => {
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    proc.stderr.write(`\n${kind} in a jest worker while running ${where()}:\n${detail}\n`);
    proc.exit(1);
  };
  proc.on('uncaughtException', crash('uncaught exception'));
  proc.on('unhandledRejection', crash('unhandled rejection'));
}
