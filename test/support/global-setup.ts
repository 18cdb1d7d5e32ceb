/**
 * jest `globalSetup`: one temporary folder per test run, removed by global-teardown.ts. It
 * becomes `TMPDIR` for the workers (started after this runs), so every `mkdtemp(tmpdir())` of
 * a test, Terraform's own temporary files and the shared `terraform init` templates of
 * test/support/terraform.ts land in it and go when the run ends.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RUN_PID_VARIABLE } from './provider-server';

/** The variable naming the run's folder (read by global-teardown.ts). */
export const RUN_DIR_VARIABLE = 'LZ_TEST_RUN_DIR';

export default function globalSetup(): void {
  const dir = mkdtempSync(join(tmpdir(), 'lz-jest-'));
  process.env[RUN_DIR_VARIABLE] = dir;
  process.env.TMPDIR = dir;
  // The owner of the run's shared provider servers (test/support/provider-server.ts).
  process.env[RUN_PID_VARIABLE] = String(process.pid);
}
