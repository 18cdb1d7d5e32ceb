/**
 * Jest reporter: stops a run in which a test file has not finished long after it started, so
 * a stuck worker costs minutes and names the file, instead of holding the run (and CI) until
 * an outer timeout.
 *
 * The workers' own watchdog (light-runner-fixes.ts, `LZ_TEST_STALL_MS`) sees only a file that
 * started running: a worker that never starts the file it was given, or a file lost between
 * jest and a worker, shows nowhere else. jest-light-runner reports a file once, when it has
 * finished (no per-test events), so this watches whole files: `onTestFileStart` arms a timer
 * and `onTestFileResult` clears it. The longest file takes about 30 s on the 2-core machine.
 *
 * When one fires it prints the files still running and how long each has been, stops the
 * run's provider servers and removes the run folder (what `globalTeardown`, which would not
 * run, does), and exits 1.
 *
 * Limit (milliseconds): `LZ_TEST_FILE_LIMIT_MS`, default 600,000 (10 min: above the workers'
 * 6-minute stall limit, so their message comes first when they can give one); 0 turns it off
 * (debugging at a breakpoint), and it is off in watch mode.
 * @throws Error (when loaded) if `LZ_TEST_FILE_LIMIT_MS` is not a number of milliseconds
 * Jest reporter API: https://jestjs.io/docs/configuration#custom-reporters
 */
'use strict';
const { relative } = require('node:path');

/** The limit, in milliseconds; 0 turns the watchdog off (when debugging at a breakpoint). */
const FILE_LIMIT_MS = fileLimit(process.env.LZ_TEST_FILE_LIMIT_MS);

/** `LZ_TEST_FILE_LIMIT_MS` as a limit: unset or empty 600,000; a number as given. */
function fileLimit(raw) {
  if (raw === undefined || raw.trim() === '') return 600_000;
  const ms = Number(raw);
  if (!Number.isFinite(ms) || ms < 0)
    throw new Error(`LZ_TEST_FILE_LIMIT_MS: ${raw} is not a number of milliseconds (0 = off)`);
  return ms;
}

class FileWatchdogReporter {
  /**
   * @param {{ rootDir: string }} globalConfig
   * @param {{ limitMs?: number, stop?: (message: string) => void, now?: () => number }} [options]
   *   for tests: the limit, what stopping does (default: clean up, print, exit 1), the clock
   */
  constructor(globalConfig, options = {}) {
    this.rootDir = globalConfig.rootDir;
    // Off in watch mode: an interrupted run there reports no result for the files it drops
    // (@jest/core, 30.5.2), and stopping would end the watch.
    this.limitMs =
      globalConfig.watch || globalConfig.watchAll ? 0 : (options.limitMs ?? FILE_LIMIT_MS);
    this.stop = options.stop ?? stopRun;
    this.now = options.now ?? Date.now;
    /** test path -> { started (ms), timer } */
    this.running = new Map();
  }

  onTestFileStart(test) {
    if (!this.limitMs) return;
    const timer = setTimeout(() => this.fire(test.path), this.limitMs);
    timer.unref();
    this.running.set(test.path, { started: this.now(), timer });
  }

  onTestFileResult(test) {
    const entry = this.running.get(test.path);
    if (entry) clearTimeout(entry.timer);
    this.running.delete(test.path);
  }

  /** The message for a file past the limit, with every file still running. */
  message(path) {
    const now = this.now();
    const files = [...this.running].map(
      ([p, { started }]) =>
        `  ${relative(this.rootDir, p)}: ${Math.round((now - started) / 1000)} s`,
    );
    return [
      `\njest: ${relative(this.rootDir, path)} has not finished ${this.limitMs / 1000} s after it started (LZ_TEST_FILE_LIMIT_MS); a worker is stuck or lost it. Still running:`,
      ...files,
      'Stopping the run (docs/testing.md, "How jest runs").\n',
    ].join('\n');
  }

  fire(path) {
    for (const { timer } of this.running.values()) clearTimeout(timer);
    this.stop(this.message(path));
  }

  onRunComplete() {
    for (const { timer } of this.running.values()) clearTimeout(timer);
    this.running.clear();
  }

  getLastError() {
    return undefined;
  }
}

/** Prints `message`, does what globalTeardown would (it will not run), and exits 1. */
function stopRun(message) {
  process.stderr.write(message);
  try {
    require('./global-teardown')();
  } finally {
    process.exit(1);
  }
}

module.exports = FileWatchdogReporter;
module.exports.FILE_LIMIT_MS = FILE_LIMIT_MS;
module.exports.fileLimit = fileLimit;
