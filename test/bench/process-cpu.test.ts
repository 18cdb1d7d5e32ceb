/**
 * test/bench/process-cpu.ts: CPU by kind of process from /proc samples (Linux, proc(5)).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { machineCpuSeconds, ProcessCpu, TEST_PROCESS_KINDS } from './process-cpu';

const linux = existsSync('/proc/self/stat');

/**
 * A Node process that spins until it has used `ms` milliseconds of CPU (so a busy machine
 * cannot make it use less), tagged on its command line. Short burns: the suite's CPU is
 * budgeted (docs/performance.md), and `/proc` counts in clock ticks of 10 ms (`getconf
 * CLK_TCK` = 100 on Linux).
 * @returns `started`: settles once the process has begun to spin (it prints a line then);
 *   `exited`: settles when it has ended
 */
function burner(tag: string, ms: number): { started: Promise<void>; exited: Promise<void> } {
  const child = spawn(process.execPath, [
    '-e',
    `console.log('spinning'); for (let u = process.cpuUsage(); u.user + u.system < ${ms * 1000}; u = process.cpuUsage());`,
    tag,
  ]);
  return {
    started: new Promise((done) => child.stdout.once('data', () => done())),
    exited: new Promise((done) => child.on('exit', () => done())),
  };
}

(linux ? describe : describe.skip)('ProcessCpu', () => {
  it('counts the CPU of processes started after it, by kind; the rest is "other"', async () => {
    const sampler = new ProcessCpu(20);
    await Promise.all([burner('lz-burn-a', 150).exited, burner('lz-burn-b', 60).exited]);
    const kinds = sampler.stop([{ label: 'burner a', command: /lz-burn-a/ }]);
    const a = kinds.find((k) => k.label === 'burner a');
    expect(a?.processes).toBe(1);
    // it used 0.15 s of CPU and Node's start: most of that is seen (not what it used after the
    // last sample, at most one 20 ms interval)
    expect(a!.cpu).toBeGreaterThanOrEqual(0.1);
    expect(a!.cpu).toBeLessThan(0.8);
    expect(kinds.find((k) => k.label === 'other')!.cpu).toBeGreaterThanOrEqual(0.03);
  });

  it("machineCpuSeconds: the machine's CPU since boot grows by at least what a process used", async () => {
    const before = machineCpuSeconds();
    await burner('lz-burn-machine', 80).exited;
    // less one clock tick of rounding at each end
    expect(machineCpuSeconds() - before).toBeGreaterThanOrEqual(0.06);
  });

  it('does not count a process that was running before it started', async () => {
    const running = burner('lz-burn-before', 150);
    await running.started;
    const sampler = new ProcessCpu(20);
    await running.exited;
    const kinds = sampler.stop([{ label: 'before', command: /lz-burn-before/ }]);
    expect(kinds.find((k) => k.label === 'before')).toBeUndefined();
  });

  it("knows the test run's processes by their command lines", () => {
    const kind = (command: string) =>
      TEST_PROCESS_KINDS.find((k) => k.command.test(command))?.label;
    expect(kind('/usr/bin/node /r/node_modules/tinypool/dist/esm/entry/process.js')).toBe(
      'jest workers',
    );
    expect(kind('terraform test -json -no-color')).toBe('terraform test');
    expect(kind('/usr/local/bin/terraform validate -json -no-color')).toBe('terraform validate');
    expect(
      kind(
        '/m/registry.terraform.io/hashicorp/aws/5.100.0/linux_amd64/terraform-provider-aws_v5.100.0_x5 -debug',
      ),
    ).toBe('hashicorp/aws provider');
    // provider-server.ts's watchdog shell
    expect(
      kind(
        'sh -c "$1" -debug & p=$! sh /m/terraform-provider-aws_v5.100.0_x5 /t/lz-tf-servers/k 42',
      ),
    ).toBeUndefined();
    expect(kind('terraform init -backend=false -input=false')).toBe('terraform init, get, version');
    expect(kind('node /r/bin/cdktf.js synth --output /t')).toBe('cdktf CLI runs');
    expect(kind('/usr/bin/node /r/bin/app.js')).toBe('app runs (bin/app.js)');
    expect(kind('/usr/bin/node /r/node_modules/jest/bin/jest.js --silent')).toBe(
      'jest (main process)',
    );
    expect(kind('sleep 1')).toBeUndefined();
  });
});
