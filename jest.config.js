/**
 * Jest: TypeScript compiled by esbuild as the app's bundle is (test/support/esbuild-transform.js;
 * types stripped, not checked: that is `npm run typecheck`).
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': '<rootDir>/test/support/esbuild-transform.js' },
  // Before any module of a test file: token creation stacks off before cdktf loads (its
  // tfExpression.js makes a token at load time, whose stack source-map-support would map).
  setupFiles: ['<rootDir>/test/support/setup-early.ts'],
  // Packages cdktf loads but the app never calls, as in bin/app.js's bundle: bin/lazy-modules.js.
  resolver: '<rootDir>/test/support/jest-resolver.js',
  setupFilesAfterEnv: ['<rootDir>/test/support/setup.ts'],
  // One temporary folder per run (TMPDIR of the workers), removed at the end.
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  reporters: ['default', '<rootDir>/test/support/skip-reporter.js'],
  testTimeout: 60000,
  // Two workers on the 2-core machines: the offline Terraform tier spends most of its time in
  // child processes, so the default (cores - 1 = one worker) leaves a core idle.
  maxWorkers: 2,
};
