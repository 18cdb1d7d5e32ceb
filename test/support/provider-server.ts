/**
 * One provider process per provider and test run, shared by every Terraform command of the
 * offline tier through Terraform's reattach protocol (`TF_REATTACH_PROVIDERS`).
 *
 * Why: Terraform starts a provider process for every provider configuration of every operation
 * (validate, each run block's plan/apply and its teardown), and each hashicorp/aws process
 * spends about 1.5 s of CPU building its schema before it answers. One `terraform test` file
 * with one mocked run started 13 aws processes (strace, Terraform 1.11.4); the tier's two
 * commands took 61 s + 27 s wall and about 100 s of CPU. Against one shared process they take
 * 13 s + 7 s and about 35 s of CPU (2-core machine, 2026-12-01). Terraform caches the schema
 * per address once a provider declares `GetProviderSchemaOptional` (the TRACE line "returning
 * cached schema"), so only the first command pays for it.
 *
 * How (https://developer.hashicorp.com/terraform/plugin/debugging, "Running Terraform With A
 * Provider In Debug Mode"): the provider binary from the mirror is started with `-debug`
 * (hashicorp/terraform-provider-aws main.go: `tf5server.WithManagedDebug()`), prints
 * `TF_REATTACH_PROVIDERS='{"registry.terraform.io/hashicorp/aws":{…}}'` on stdout, and serves
 * every Terraform process that has that variable. Terraform never stops such a provider, so:
 * - it is started lazily by the first worker that needs it, in the run's temporary folder (its
 *   socket too), under a lock folder the other worker waits on;
 * - a watchdog shell stops it when the jest process that owns the run exits
 *   (`LZ_TEST_RUN_PID`, set by global-setup.ts), and global-teardown.ts stops it at once.
 *
 * Sharing one process is safe for this tier: mocked providers never configure the real one
 * (hashicorp/terraform v1.11 internal/providers/mock.go, `ConfigureProvider`: "Do nothing
 * here"), and validate only calls schema and validation RPCs, which hold no state.
 *
 * Anything unexpected (no exact version pinned, no binary in the mirror, Windows, no reattach
 * line within 60 s) leaves `sharedProviders` returning undefined: Terraform then starts its own
 * provider processes, slower and otherwise the same.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The variable naming the jest process that owns the run (set by global-setup.ts). */
export const RUN_PID_VARIABLE = 'LZ_TEST_RUN_PID';

/** The folder of the run's provider servers (one sub-folder per provider and version). */
export function serversRoot(dir = tmpdir()): string {
  return join(dir, 'lz-tf-servers');
}

/** How long a start may take before the tier falls back to Terraform's own processes. */
const START_TIMEOUT_MS = 60_000;

/** Blocks the worker for `ms` milliseconds (the tier's Terraform calls are synchronous too). */
function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Terraform's `<os>_<arch>` platform name for this machine, or undefined. */
function platform(): string | undefined {
  const os = { linux: 'linux', darwin: 'darwin', freebsd: 'freebsd' }[process.platform as string];
  const arch = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386' }[process.arch as string];
  return os && arch ? `${os}_${arch}` : undefined;
}

/**
 * The provider binary in a filesystem mirror
 * (`<mirror>/<host>/<namespace>/<type>/<version>/<os_arch>/terraform-provider-<type>_v<version>…`,
 * https://developer.hashicorp.com/terraform/cli/config/config-file#filesystem_mirror, unpacked
 * layout), or undefined.
 */
export function mirroredBinary(
  mirror: string,
  address: string,
  version: string,
): string | undefined {
  const os = platform();
  if (!os) return undefined;
  const dir = join(mirror, address, version, os);
  if (!existsSync(dir)) return undefined;
  const type = address.split('/').pop();
  const file = readdirSync(dir).find((f) => f.startsWith(`terraform-provider-${type}`));
  return file ? join(dir, file) : undefined;
}

/** Reads the reattach configuration a `-debug` provider printed, or undefined. */
export function reattachLine(output: string): Record<string, unknown> | undefined {
  const m = /TF_REATTACH_PROVIDERS='(\{.*\})'/.exec(output);
  if (!m) return undefined;
  try {
    return JSON.parse(m[1]);
  } catch {
    return undefined;
  }
}

/**
 * Starts (or, in another worker, waits for) the shared server of one provider.
 * @returns its reattach entries (address -> config), or undefined when it cannot run
 */
function server(address: string, binary: string): Record<string, unknown> | undefined {
  const key = createHash('sha256').update(binary).digest('hex').slice(0, 16);
  const dir = join(serversRoot(), key);
  const ready = join(dir, 'reattach.json');
  const failed = join(dir, 'failed.txt');
  mkdirSync(serversRoot(), { recursive: true });
  let owner = true;
  try {
    mkdirSync(dir); // the lock: exactly one worker creates it
  } catch {
    owner = false;
  }
  if (owner) {
    const out = join(dir, 'provider.out');
    const fd = openSync(out, 'w');
    // The watchdog: start the provider, then stop it once the run's jest process is gone.
    const script =
      '"$1" -debug & p=$!; echo $p > "$2"; ' +
      'while kill -0 "$3" 2>/dev/null && kill -0 $p 2>/dev/null; do sleep 1; done; kill $p 2>/dev/null';
    const child = spawn(
      'sh',
      [
        '-c',
        script,
        'sh',
        binary,
        join(dir, 'pid'),
        process.env[RUN_PID_VARIABLE] || String(process.pid),
      ],
      { detached: true, stdio: ['ignore', fd, fd], env: { ...process.env, TF_LOG: '' } },
    );
    child.unref();
    closeSync(fd);
    writeFileSync(join(dir, 'group'), String(child.pid));
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (Date.now() < deadline) {
      const config = reattachLine(readFileSync(out, 'utf8'));
      if (config?.[address]) {
        writeFileSync(`${ready}.tmp`, JSON.stringify(config));
        renameSync(`${ready}.tmp`, ready);
        return config;
      }
      sleep(50);
    }
    writeFileSync(failed, `no reattach line from ${binary} within ${START_TIMEOUT_MS} ms`);
    return undefined;
  }
  const deadline = Date.now() + START_TIMEOUT_MS + 5_000;
  while (Date.now() < deadline) {
    if (existsSync(ready)) return JSON.parse(readFileSync(ready, 'utf8'));
    if (existsSync(failed)) return undefined;
    sleep(50);
  }
  return undefined;
}

/**
 * The `TF_REATTACH_PROVIDERS` value serving every provider of `requiredProviders` from one
 * shared process each (see the file comment), started on first use.
 * @param mirror the tier's filesystem mirror
 * @param requiredProviders a stack's `terraform.required_providers` (`{aws: {source, version}}`);
 *   each needs an exact version and its binary in the mirror
 * @returns the variable's value, or undefined when any provider cannot be shared (Terraform
 *   then starts its own processes)
 */
export function sharedProviders(mirror: string, requiredProviders: unknown): string | undefined {
  if (!platform() || process.platform === 'win32') return undefined;
  const entries = Object.values((requiredProviders ?? {}) as Record<string, any>);
  if (entries.length === 0) return undefined;
  const all: Record<string, unknown> = {};
  for (const p of entries) {
    const version = String(p?.version ?? '');
    if (!/^\d+\.\d+\.\d+$/.test(version)) return undefined;
    const parts = String(p.source).split('/');
    const address = [
      ...(parts.length === 3 ? [] : ['registry.terraform.io']),
      ...(parts.length === 1 ? ['hashicorp'] : []),
      ...parts,
    ].join('/');
    const binary = mirroredBinary(mirror, address, version);
    const config = binary && server(address, binary);
    if (!config) return undefined;
    Object.assign(all, config);
  }
  return JSON.stringify(all);
}

/**
 * Stops every provider server of the run (global-teardown.ts): the watchdog's process group.
 * @param dir the run's temporary folder
 */
export function stopProviderServers(dir: string): void {
  const root = serversRoot(dir);
  if (!existsSync(root)) return;
  for (const key of readdirSync(root)) {
    const group = join(root, key, 'group');
    if (!existsSync(group)) continue;
    try {
      process.kill(-Number(readFileSync(group, 'utf8')), 'SIGTERM');
    } catch {
      // already gone
    }
  }
}
