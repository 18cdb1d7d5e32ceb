/**
 * jest `globalSetup`: one temporary folder per test run, removed by global-teardown.js. It
 * becomes `TMPDIR` for the workers (started after this runs), so every `mkdtemp(tmpdir())` of
 * a test, Terraform's own temporary files and the shared `terraform init` templates of
 * test/support/terraform.ts land in it and go when the run ends.
 *
 * CommonJS, run by jest itself (not by a worker); TypeScript modules through tsx's scoped
 * `require` (https://tsx.is/dev-api/tsx-require): its hook acts only on what that `require`
 * loads, but stays installed in jest's process for the rest of the run.
 */
'use strict';
const { mkdtempSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const tsx = require('tsx/cjs/api');

const { RUN_PID_VARIABLE } = tsx.require('./provider-server.ts', __filename);

/** The variable naming the run's folder (read by global-teardown.js and skip-reporter.js). */
const RUN_DIR_VARIABLE = 'LZ_TEST_RUN_DIR';

module.exports = function globalSetup() {
  // where TMPDIR pointed before, for what must outlive the run (tsx's cache: register-ts.mjs)
  process.env.LZ_TEST_OUTER_TMPDIR = tmpdir();
  const dir = mkdtempSync(join(tmpdir(), 'lz-jest-'));
  process.env[RUN_DIR_VARIABLE] = dir;
  process.env.TMPDIR = dir;
  // The owner of the run's shared provider servers (test/support/provider-server.ts).
  process.env[RUN_PID_VARIABLE] = String(process.pid);
  // No test opens a TLS connection (the suite runs offline; Terraform, in Go, reads the
  // system's certificates anyway), and with NODE_EXTRA_CA_CERTS set every Node start first
  // builds its root certificate store, about 60 ms (bin/cdktf.js, childrenSkipExtraCaCerts):
  // the workers and the processes they start go without it. Tests that need it set it.
  delete process.env.NODE_EXTRA_CA_CERTS;
};
module.exports.RUN_DIR_VARIABLE = RUN_DIR_VARIABLE;
