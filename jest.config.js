/**
 * Jest: ts-jest in transpile-only mode (isolatedModules: no type checking here; that is
 * `npm run typecheck`).
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { isolatedModules: true, diagnostics: false }] },
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
