/**
 * CPU time by kind of process during a command, and the whole machine's, for `npm run bench`'s
 * `npm test` runs: where the suite's CPU goes (jest's workers, `terraform test`, the shared
 * provider, …), read from /proc (Linux; proc(5): `/proc/<pid>/stat` fields 14 and 15, utime
 * and stime in clock ticks, field 22 the start time; `/proc/<pid>/cmdline`; `/proc/stat`).
 *
 * Sampled, not collected from the parents: the offline tier's shared provider is detached
 * (test/support/provider-server.ts), so no parent waits for it and a `getrusage` of the
 * children would miss it. Each process counts with the most CPU seen for it; what it spends
 * between its last sample and its exit (at most one interval) is not seen, and a process that
 * lives shorter than the interval may not be seen at all: compare the sum with the machine's
 * CPU over the same run (/proc/stat) for what was missed.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

/** A kind of process: its label and how its command line reads. */
export interface ProcessKind {
  readonly label: string;
  readonly command: RegExp;
}

/**
 * The kinds `npm test` starts, first match wins (command lines as /proc shows them, arguments
 * joined by spaces). `other` takes the rest.
 */
export const TEST_PROCESS_KINDS: readonly ProcessKind[] = [
  // jest-light-runner's child-process workers (tinypool's process entry)
  { label: 'jest workers', command: /tinypool[\\/].*entry[\\/]process\.js/ },
  { label: 'terraform test', command: /(^|[\\/ ])terraform test\b/ },
  { label: 'terraform validate', command: /(^|[\\/ ])terraform validate\b/ },
  // the binary itself, not the watchdog shell that starts it (`sh -c … <binary> …`)
  { label: 'hashicorp/aws provider', command: /^\S*terraform-provider-aws\S*( |$)/ },
  { label: 'terraform init, get, version', command: /(^|[\\/ ])terraform (init|get|version)\b/ },
  { label: 'cdktf CLI runs', command: /bin[\\/]cdktf\.js|cdktf-cli/ },
  { label: 'app runs (bin/app.js)', command: /bin[\\/]app\.js/ },
  { label: 'jest (main process)', command: /jest[\\/]bin[\\/]jest\.js/ },
];

/** Clock ticks per second (`getconf CLK_TCK`; 100 on Linux when it cannot be read). */
function clockTicks(): number {
  const r = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
  return Number(r.stdout) || 100;
}

/**
 * CPU seconds the whole machine spent (user, nice, system, irq, softirq; not idle, iowait or
 * steal) since boot, from the first line of /proc/stat (proc(5): in units of USER_HZ, which
 * `getconf CLK_TCK` prints); NaN where there is no /proc/stat.
 */
export function machineCpuSeconds(): number {
  if (!existsSync('/proc/stat')) return NaN;
  const [user, nice, system, , , irq, softirq] = readFileSync('/proc/stat', 'utf8')
    .split('\n')[0]
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  return (user + nice + system + irq + softirq) / clockTicks();
}

/** One reading of a process: CPU seconds so far, start time (ticks since boot) and command. */
interface Reading {
  cpu: number;
  start: number;
  command: string;
}

/** Every process's reading now; an empty map where there is no /proc. */
function readAll(hz: number): Map<number, Reading> {
  const all = new Map<number, Reading>();
  if (!existsSync('/proc/self/stat')) return all;
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // fields after the command name in parentheses (which may itself hold spaces)
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const command = readFileSync(`/proc/${name}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
      all.set(Number(name), {
        cpu: (Number(f[11]) + Number(f[12])) / hz,
        start: Number(f[19]),
        command,
      });
    } catch {
      // the process ended while being read
    }
  }
  return all;
}

/** CPU seconds and process count of one kind. */
export interface KindCpu {
  readonly label: string;
  readonly cpu: number;
  readonly processes: number;
}

/**
 * Samples every process that was not running when it was created, until {@link stop}.
 * @param intervalMs sampling interval in milliseconds (default 100)
 */
export class ProcessCpu {
  private readonly hz = clockTicks();
  private readonly before: Set<string>;
  private readonly seen = new Map<string, Reading>();
  private readonly timer: NodeJS.Timeout;

  constructor(intervalMs = 100) {
    this.before = new Set([...readAll(this.hz)].map(([pid, r]) => `${pid}/${r.start}`));
    this.timer = setInterval(() => this.sample(), intervalMs);
  }

  private sample(): void {
    for (const [pid, r] of readAll(this.hz)) {
      const key = `${pid}/${r.start}`; // a pid reused by a later process is another process
      if (this.before.has(key)) continue;
      const known = this.seen.get(key);
      // a process that is exiting shows an empty command line: keep the one seen before
      if (!known || r.cpu >= known.cpu)
        this.seen.set(key, { ...r, command: r.command || known?.command || '' });
    }
  }

  /**
   * Stops sampling (after one last sample).
   * @param kinds what to group by (default {@link TEST_PROCESS_KINDS}), plus `other`
   * @returns CPU seconds by kind, largest first, kinds without a process left out
   */
  stop(kinds: readonly ProcessKind[] = TEST_PROCESS_KINDS): KindCpu[] {
    this.sample();
    clearInterval(this.timer);
    const sums = new Map<string, { cpu: number; processes: number }>();
    for (const r of this.seen.values()) {
      const label = kinds.find((k) => k.command.test(r.command))?.label ?? 'other';
      const s = sums.get(label) ?? { cpu: 0, processes: 0 };
      s.cpu += r.cpu;
      s.processes += 1;
      sums.set(label, s);
    }
    return [...sums]
      .map(([label, s]) => ({ label, ...s }))
      .filter((k) => k.cpu > 0)
      .sort((a, b) => b.cpu - a.cpu);
  }
}
