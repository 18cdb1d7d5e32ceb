/**
 * The offline Terraform tier: `terraform init -backend=false` against a local provider
 * mirror, `terraform validate`, and `terraform test` with mocked providers.
 *
 * Inputs (environment variables; no machine path is hard-coded):
 * - `LZ_TF_PROVIDER_MIRROR`: a filesystem mirror (`<dir>/registry.terraform.io/hashicorp/<name>/<version>/<os_arch>/`).
 * - `LZ_TERRAFORM`: the Terraform CLI (default: `terraform` on PATH).
 * - `LZ_OFFLINE_TF=required`: a missing CLI or mirror fails the tier instead of skipping it
 *   (`.ci/run` sets this).
 *
 * One `terraform init` per provider set and test run: the first stack that needs a set
 * initialises a template folder (lock file, `.terraform/providers` linking into the mirror);
 * every stack folder after it gets a copy of the lock file and a link to those providers
 * instead of an init of its own (an init hashes the provider binary for the lock file: about
 * a second each). Folders live under the run's temporary folder (see test/support/global-setup.js),
 * which is removed when the run ends.
 */
import { createHash } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { announceSkip } from './skips';

export const MIRROR_VARIABLE = 'LZ_TF_PROVIDER_MIRROR';

/** Whether the tier can run here, and if not, one line saying why. */
export interface OfflineTerraform {
  readonly available: boolean;
  readonly reason: string;
  readonly terraform: string;
  readonly mirror: string;
}

/**
 * The longest a Terraform command of the tier may run, in milliseconds, before it is killed and
 * its test fails: jest-light-runner applies no per-test timeout (docs/testing.md), so every
 * child process a test starts carries its own. The slowest, the `terraform test` batch, takes
 * about 20 s on the 2-core machine.
 */
export const TERRAFORM_TIMEOUT_MS = 300_000;

/** What {@link offlineTerraform} found, by CLI and mirror (one `terraform version` each). */
const detected = new Map<string, OfflineTerraform>();

/**
 * Detects the Terraform CLI (`LZ_TERRAFORM`, default `terraform` on PATH) and the provider
 * mirror (`LZ_TF_PROVIDER_MIRROR`), once per process for each pair: every suite of a worker
 * asks (a `terraform version` costs about 0.07 s on the 2-core machine).
 */
export function offlineTerraform(): OfflineTerraform {
  const terraform = process.env.LZ_TERRAFORM || 'terraform';
  const mirror = process.env[MIRROR_VARIABLE] || '';
  const key = JSON.stringify([terraform, mirror]);
  let found = detected.get(key);
  if (!found) detected.set(key, (found = detect(terraform, mirror)));
  return found;
}

function detect(terraform: string, mirror: string): OfflineTerraform {
  const version = spawnSync(terraform, ['version'], { encoding: 'utf8', timeout: 60_000 });
  if (version.error || version.status !== 0) {
    return {
      available: false,
      reason: `no Terraform CLI ("${terraform}" did not run)`,
      terraform,
      mirror,
    };
  }
  if (!mirror)
    return { available: false, reason: `${MIRROR_VARIABLE} is not set`, terraform, mirror };
  if (!existsSync(join(mirror, 'registry.terraform.io'))) {
    return {
      available: false,
      reason: `${MIRROR_VARIABLE}=${mirror} holds no registry.terraform.io folder`,
      terraform,
      mirror,
    };
  }
  return { available: true, reason: '', terraform, mirror };
}

/**
 * `describe` when the tier can run, else a `describe.skip` that logs one line saying why.
 * With `LZ_OFFLINE_TF=required` a missing CLI or mirror throws instead.
 */
export function describeOffline(name: string, fn: (tf: OfflineTerraform) => void): void {
  const tf = offlineTerraform();
  if (tf.available) {
    describe(name, () => fn(tf));
    return;
  }
  if (process.env.LZ_OFFLINE_TF === 'required') {
    throw new Error(`offline Terraform tier is required (LZ_OFFLINE_TF=required) but ${tf.reason}`);
  }
  announceSkip(name, tf.reason);
  describe.skip(name, () => fn(tf));
}

/**
 * The full address of a provider source as written in `required_providers`: `aws` and
 * `hashicorp/aws` are `registry.terraform.io/hashicorp/aws`
 * (https://developer.hashicorp.com/terraform/language/providers/requirements#source-addresses).
 */
export function providerAddress(source: string): string {
  const parts = source.split('/');
  if (parts.length === 1) return `registry.terraform.io/hashicorp/${parts[0]}`;
  if (parts.length === 2) return `registry.terraform.io/${parts.join('/')}`;
  return parts.join('/');
}

/** Provider source addresses (`registry.terraform.io/hashicorp/aws`) a stack JSON requires. */
export function requiredProviders(stack: Record<string, any>): string[] {
  const req = stack.terraform?.required_providers ?? {};
  return Object.values(req).map((p: any) => providerAddress(String(p.source)));
}

/** Whether every provider the stack requires is in the mirror. */
export function providersAvailable(tf: OfflineTerraform, stack: Record<string, any>): boolean {
  return requiredProviders(stack).every((p) => existsSync(join(tf.mirror, p)));
}

/** Blocks the worker for `ms` milliseconds (the tier's Terraform calls are synchronous too). */
export function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Where {@link initTemplate} keeps the template of a provider set: `<root>/<16 hex digits of the
 * sha256 of the requirements' JSON>`.
 */
export function templateFolder(
  requiredProviders: unknown,
  root = join(tmpdir(), 'lz-tf-init'),
): string {
  const key = createHash('sha256')
    .update(JSON.stringify(requiredProviders ?? {}))
    .digest('hex')
    .slice(0, 16);
  return join(root, key);
}

/**
 * A folder initialised (`terraform init -backend=false`) for exactly these provider
 * requirements, shared by every stack of the test run that has them. Safe across jest workers,
 * and one init per provider set and run: the worker that creates the lock folder
 * `<template>.lock` initialises (in a folder of its own, renamed into place); another worker
 * asking meanwhile waits for the template instead of running an init of its own (both offline
 * test files ask at the same moment, when each worker starts its first file). If the owner's
 * init fails it leaves `<template>.failed`, and a waiting worker runs its own, so that each
 * reports Terraform's output.
 * @param root the folder of the run's templates (default `<TMPDIR>/lz-tf-init`: the run's folder)
 * @returns the template folder (holds `.terraform.lock.hcl` and `.terraform/providers`)
 * @throws Error with Terraform's output if init fails
 */
export function initTemplate(
  tf: OfflineTerraform,
  requiredProviders: unknown,
  root = join(tmpdir(), 'lz-tf-init'),
): string {
  const template = templateFolder(requiredProviders, root);
  const ready = () => existsSync(join(template, '.terraform.lock.hcl'));
  if (ready()) return template;
  mkdirSync(root, { recursive: true });
  let owner = true;
  try {
    mkdirSync(`${template}.lock`); // exactly one worker creates it
  } catch {
    owner = false;
  }
  if (!owner) {
    for (const until = Date.now() + TERRAFORM_TIMEOUT_MS; Date.now() < until; sleep(50)) {
      if (ready()) return template;
      if (existsSync(`${template}.failed`)) break;
    }
  }
  const dir = mkdtempSync(`${template}-`);
  writeFileSync(
    join(dir, 'cdk.tf.json'),
    JSON.stringify({ terraform: { required_providers: requiredProviders ?? {} } }),
  );
  try {
    run(tf, dir, [
      'init',
      '-backend=false',
      '-input=false',
      '-no-color',
      `-plugin-dir=${tf.mirror}`,
    ]);
  } catch (e) {
    if (owner) writeFileSync(`${template}.failed`, (e as Error).message);
    throw e;
  }
  try {
    renameSync(dir, template);
  } catch {
    rmSync(dir, { recursive: true, force: true }); // another worker was first
  }
  return template;
}

/**
 * Copies a stack aside into a fresh directory (local backend dropped) and initialises it
 * against the mirror, as `terraform init -backend=false -plugin-dir=<mirror>` would: from the
 * run's template for its provider set (see the file comment).
 * @param files extra files to write beside `cdk.tf.json` (e.g. `tests/x.tftest.hcl`)
 * @returns the directory
 * @throws Error with Terraform's output if init fails
 */
export function initStack(
  tf: OfflineTerraform,
  stack: Record<string, any>,
  files: Record<string, string> = {},
): string {
  const dir = mkdtempSync(join(tmpdir(), 'lz-tf-'));
  const copy = withoutBackend(stack);
  writeFileSync(join(dir, 'cdk.tf.json'), JSON.stringify(copy, null, 2));
  for (const [name, text] of Object.entries(files)) {
    const file = join(dir, name);
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, text);
  }
  const template = initTemplate(tf, copy.terraform?.required_providers);
  copyFileSync(join(template, '.terraform.lock.hcl'), join(dir, '.terraform.lock.hcl'));
  mkdirSync(join(dir, '.terraform'));
  symlinkSync(join(template, '.terraform', 'providers'), join(dir, '.terraform', 'providers'));
  return dir;
}

/** A copy of a stack's JSON without its backend (`backend`, `cloud`): the tier runs locally. */
export function withoutBackend(stack: Record<string, any>): Record<string, any> {
  const copy = JSON.parse(JSON.stringify(stack));
  if (copy.terraform) {
    delete copy.terraform.backend;
    delete copy.terraform.cloud;
  }
  return copy;
}

/**
 * The environment of every Terraform command of the tier: automation mode, no checkpoint call,
 * and a CLI config of our own in `dir` (empty, created if missing): the tests must not depend
 * on the machine's.
 * @param reattach a `TF_REATTACH_PROVIDERS` value (test/support/provider-server.ts), if any
 */
export function terraformEnv(dir: string, reattach?: string): NodeJS.ProcessEnv {
  const cliConfig = join(dir, '.terraformrc');
  if (!existsSync(cliConfig)) writeFileSync(cliConfig, '');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TF_IN_AUTOMATION: '1',
    CHECKPOINT_DISABLE: '1',
    TF_CLI_CONFIG_FILE: cliConfig,
    // Go's garbage collector at 400 % heap growth instead of 100 % (GOGC,
    // https://pkg.go.dev/runtime#hdr-Environment_Variables): Terraform's CPU for the tier's
    // `terraform test` batch 17.6 s -> 13.0 s and `terraform validate` 3.5 s -> 2.3 s, peak
    // memory 260 -> 560 MB and 240 -> 440 MB (2-core machine, 2026-12-01). The shared provider
    // keeps Go's default (its own environment, provider-server.ts: GOGC=400 saved only 12 % of
    // its CPU for twice its 450 MB); providers Terraform starts itself, where sharing is not
    // possible, inherit this setting.
    GOGC: '400',
  };
  delete env.TF_REATTACH_PROVIDERS; // only the tier's own servers
  if (reattach) env.TF_REATTACH_PROVIDERS = reattach;
  return env;
}

/** Runs a Terraform command in `dir`; returns stdout, throws with stdout+stderr on failure. */
export function run(tf: OfflineTerraform, dir: string, args: string[]): string {
  try {
    return execFileSync(tf.terraform, args, {
      cwd: dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: terraformEnv(dir),
      timeout: TERRAFORM_TIMEOUT_MS,
      killSignal: 'SIGKILL', // Terraform's own SIGTERM handling waits for its providers
    });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; code?: string; signal?: string };
    // jest-light-runner prints the error's stack only, not its cause: say why it ended here
    const why =
      err.code === 'ETIMEDOUT'
        ? ` (killed after ${TERRAFORM_TIMEOUT_MS} ms)`
        : err.signal
          ? ` (${err.signal})`
          : '';
    throw new Error(
      `terraform ${args.join(' ')} failed in ${dir}${why}:\n${err.stdout ?? ''}\n${err.stderr ?? ''}`,
      { cause: e },
    );
  }
}

/**
 * A copy of the stack without `lifecycle.prevent_destroy`: `terraform test` destroys what each
 * run applied, which `prevent_destroy` forbids. (The jest tier asserts `prevent_destroy` on
 * the real stack.)
 */
export function withoutPreventDestroy(stack: Record<string, any>): Record<string, any> {
  const copy = JSON.parse(JSON.stringify(stack));
  for (const byName of Object.values(copy.resource ?? {}) as Record<string, any>[]) {
    for (const r of Object.values(byName)) {
      if (r.lifecycle?.prevent_destroy) delete r.lifecycle.prevent_destroy;
    }
  }
  return copy;
}

/**
 * Mocks every mocked provider needs: policy documents render as `{}` (a mocked data source
 * would return a random string, which resources that validate JSON reject).
 */
export const AWS_MOCK_DEFAULTS = `
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{}", minified_json = "{}" }
  }
`;

/**
 * `mock_provider "aws"` blocks for the default provider and every alias the stack declares,
 * each with {@link AWS_MOCK_DEFAULTS} and `body` (more `mock_resource`/`mock_data` blocks).
 */
export function mockAwsProviders(stack: Record<string, any>, body = ''): string {
  const providers: any[] = ([] as any[]).concat(stack.provider?.aws ?? []);
  return providers
    .map(
      (p) =>
        `mock_provider "aws" {\n${p.alias ? `  alias = "${p.alias}"\n` : ''}${AWS_MOCK_DEFAULTS}${body}}\n`,
    )
    .join('\n');
}

/**
 * A mock for the Security Hub configuration policy: the provider validates an association's
 * `policy_id` as a UUID (its error: 'expected "policy_id" to be a valid UUID'), which a mocked
 * provider's random string is not. Pass as part of `body` to {@link mockAwsProviders}.
 */
export const SECURITY_HUB_POLICY_MOCK = `
  mock_resource "aws_securityhub_configuration_policy" {
    defaults = { id = "a1b2c3d4-5678-90ab-cdef-0123456789ab" }
  }
`;

/** Account the mocked AWS provider pretends to be (defaults: 123456789012, eu-central-1). */
export interface MockAccount {
  readonly accountId?: string;
  readonly region?: string;
  /** ARN of the caller identity (default `arn:aws:iam::<account>:role/mock`). */
  readonly callerArn?: string;
}

/**
 * Mock blocks giving account-scoped values a realistic shape (a mocked provider returns random
 * strings, which ARN-validating arguments reject): partition, region, caller identity, and the
 * ARNs of IAM roles and KMS keys. Pass as (the start of) `body` to {@link mockAwsProviders};
 * Terraform rejects a second mock block for the same type, so do not repeat these.
 */
export function awsAccountMocks({
  accountId = '123456789012',
  region = 'eu-central-1',
  callerArn = `arn:aws:iam::${accountId}:role/mock`,
}: MockAccount = {}): string {
  return `
  mock_data "aws_partition" {
    defaults = { partition = "aws", dns_suffix = "amazonaws.com" }
  }
  mock_data "aws_region" {
    defaults = { name = "${region}" }
  }
  mock_data "aws_caller_identity" {
    defaults = { account_id = "${accountId}", arn = "${callerArn}", user_id = "AROAEXAMPLE" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::${accountId}:role/mock" }
  }
  mock_resource "aws_kms_key" {
    defaults = { arn = "arn:aws:kms:${region}:${accountId}:key/00000000-0000-0000-0000-000000000000", key_id = "00000000-0000-0000-0000-000000000000" }
  }
`;
}
