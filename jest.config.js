/**
 * Jest with jest-light-runner (https://github.com/nicolo-ribaudo/jest-light-runner, 0.7.13):
 * each worker is one Node process that imports the test files one after another with Node's own
 * loader, so cdktf, the provider modules, zod and our sources load once per worker rather than
 * once per test file in jest's per-file module registry (docs/testing.md, "How jest runs").
 * TypeScript is compiled by tsx (test/support/register-ts.mjs); types are stripped, not
 * checked: that is `npm run typecheck`.
 */
module.exports = {
  // Child processes, not worker threads: a worker thread has no process.chdir (jest-light-runner
  // only imitates process.cwd), which test/support/example-overview.ts uses. Upstream's
  // child-process runner, with a fix for a worker that could wait forever for its configuration
  // (test/support/light-runner.mjs).
  runner: '<rootDir>/test/support/light-runner.mjs',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // Nothing for jest itself to compile: the global hooks are CommonJS, the tests tsx's.
  transform: {},
  // Once per worker, before any test file: TypeScript, then token creation stacks off before
  // cdktf loads and V8's TurboFan tier later (test/support/v8-tiering.ts).
  setupFiles: ['<rootDir>/test/support/register-ts.mjs', '<rootDir>/test/support/setup-early.ts'],
  setupFilesAfterEnv: ['<rootDir>/test/support/setup.ts'],
  // One temporary folder per run (TMPDIR of the workers), removed at the end.
  globalSetup: '<rootDir>/test/support/global-setup.js',
  globalTeardown: '<rootDir>/test/support/global-teardown.js',
  // The skip summary, and a stop for a file that never finishes (a stuck or lost worker).
  reporters: [
    'default',
    '<rootDir>/test/support/skip-reporter.js',
    '<rootDir>/test/support/file-watchdog-reporter.js',
  ],
  // Two workers on the 2-core machines: the offline Terraform tier spends most of its time in
  // child processes, so the default (cores - 1 = one worker) leaves a core idle.
  maxWorkers: 2,
};
