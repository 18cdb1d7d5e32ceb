/**
 * One provider process per provider and test run, shared by every Terraform command of the
 * offline tier through Terraform's reattach protocol (`TF_REATTACH_PROVIDERS`).
 *
 * Why: Terraform starts a provider process for every provider configuration of every operation
 * (validate, each run block's plan/apply and its teardown), and each hashicorp/aws process
 * spends about 1.5 s of CPU building its schema before it answers. One `terraform test` file
 * with one mocked run started 13 aws processes (strace, Terraform 1.11.4); the tier's two
 * commands took 61 s + 27 s wall and about 100 s of CPU. Against one shared process they take
 * 13 s + 7 s and about 35 s of CPU (2-core machine, 2026-12-01). Within one Terraform process
 * the schema is cached per provider address (the TRACE line "returning cached schema"), so each
 * process asks for it once; the shared provider builds it once per run instead of once per
 * process and operation.
 *
 * How (https://developer.hashicorp.com/terraform/plugin/debugging, "Running Terraform With A
 * Provider In Debug Mode"): the provider binary from the mirror is started with `-debug`
 * (hashicorp/terraform-provider-aws main.go: `tf5server.WithManagedDebug()`), prints
 * `TF_REATTACH_PROVIDERS='{"registry.terraform.io/hashicorp/aws":{…}}'` on stdout, and serves
 * every Terraform process that has that variable. Terraform never stops such a provider, so:
 * - it is started lazily by the first worker that needs it, in the run's temporary folder (its
 *   socket too), under a lock folder the other worker waits on;
 * - a watchdog shell stops it when the jest process that owns the run exits
 *   (`LZ_TEST_RUN_PID`, set by global-setup.js), and global-teardown.js stops it at once.
 *
 * Sharing one process is safe for this tier: mocked providers never configure the real one
 * (hashicorp/terraform v1.11 internal/providers/mock.go, `ConfigureProvider`: "Do nothing
 * here"), and validate only calls schema and validation RPCs, which hold no state.
 *
 * Anything unexpected (no exact version pinned, no binary in the mirror, Windows, a provider
 * that exits or prints no reattach line within 60 s, a shared provider that died later) leaves
 * `sharedProviders` returning undefined: Terraform then starts its own provider processes,
 * slower and otherwise the same. The provider gets a minimal environment (no credentials, no
 * `TF_LOG*`) and writes its output to `lz-tf-servers/<key>/provider.out` in the run's folder.
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
import { providerAddress, sleep } from './terraform';

/** The variable naming the jest process that owns the run (set by global-setup.js). */
export const RUN_PID_VARIABLE = 'LZ_TEST_RUN_PID';

/** The folder of the run's provider servers (one sub-folder per provider and version). */
export function serversRoot(dir = tmpdir()): string {
  return join(dir, 'lz-tf-servers');
}

/** How long a start may take before the tier falls back to Terraform's own processes. */
const START_TIMEOUT_MS = 60_000;

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

/** Servers this worker found unusable, by binary: asked again, the answer is the same. */
const unusable = new Set<string>();

/** Whether the process a reattach configuration names is alive (signal 0 only checks). */
function alive(config: Record<string, unknown>, address: string): boolean {
  const pid = Number((config[address] as { Pid?: unknown } | undefined)?.Pid);
  try {
    return pid > 0 && process.kill(pid, 0);
  } catch {
    return false;
  }
}

/**
 * The provider's environment: enough to run and to place its socket (`TMPDIR`, the run's
 * folder), nothing else (no credentials, no `TF_LOG*`: its output goes to `provider.out`).
 */
function providerEnv(): NodeJS.ProcessEnv {
  const keep = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ'];
  return Object.fromEntries(keep.filter((k) => process.env[k]).map((k) => [k, process.env[k]]));
}

/**
 * Starts (or, in another worker, waits for) the shared server of one provider.
 * @returns its reattach entries (address -> config), or undefined when it cannot run
 */
function server(address: string, binary: string): Record<string, unknown> | undefined {
  if (unusable.has(binary)) return undefined;
  const key = createHash('sha256').update(binary).digest('hex').slice(0, 16);
  const dir = join(serversRoot(), key);
  const ready = join(dir, 'reattach.json');
  const failed = join(dir, 'failed.txt');
  const exited = join(dir, 'exited');
  const give = (why?: string) => {
    if (why) writeFileSync(failed, why);
    unusable.add(binary);
    return undefined;
  };
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
    // The watchdog: start the provider, stop it once the run's jest process is gone, and
    // record when it has exited (so that nobody waits for a provider that is not there).
    const script =
      '"$1" -debug & p=$!; echo $p > "$2/pid"; ' +
      'while kill -0 "$3" 2>/dev/null && kill -0 $p 2>/dev/null; do sleep 1; done; ' +
      'kill $p 2>/dev/null; wait $p; echo $? > "$2/exited"';
    const child = spawn(
      'sh',
      ['-c', script, 'sh', binary, dir, process.env[RUN_PID_VARIABLE] || String(process.pid)],
      { detached: true, stdio: ['ignore', fd, fd], env: providerEnv() },
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
      if (existsSync(exited))
        return give(`${binary} -debug exited before it printed the reattach line`);
      sleep(50);
    }
    return give(`no reattach line from ${binary} within ${START_TIMEOUT_MS} ms`);
  }
  const deadline = Date.now() + START_TIMEOUT_MS + 5_000;
  while (Date.now() < deadline) {
    if (existsSync(ready)) {
      const config = JSON.parse(readFileSync(ready, 'utf8')) as Record<string, unknown>;
      // A server that died since (a crash, the OOM killer): Terraform starts its own.
      return alive(config, address) ? config : give();
    }
    if (existsSync(failed)) return give();
    sleep(50);
  }
  return give();
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
    const address = providerAddress(String(p.source));
    const binary = mirroredBinary(mirror, address, version);
    const config = binary && server(address, binary);
    if (!config) return undefined;
    Object.assign(all, config);
  }
  return JSON.stringify(all);
}

/**
 * Stops every provider server of the run (global-teardown.js): the watchdog's process group.
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
