/**
 * `npm run bench`: medians and spread of repeated whole synths, with wall time, CPU time
 * (user + system of every Node process of the run) and peak memory (largest Node process):
 * - how long a bare `node -e 0` takes here, with and without NODE_EXTRA_CA_CERTS if it is set;
 * - the example environment through the app command of cdktf.json (as `npm run synth` runs it:
 *   without NODE_EXTRA_CA_CERTS, bin/cdktf.js) and through the cdktf CLI, as `npm run synth`
 *   starts it (bin/cdktf.js) and as `npx cdktf synth` does;
 * - a baseline in the same run: a 3-resource app synthesized the stock cdktf-template way
 *   (type-checking ts-node, package-index imports); ratios are taken between medians of
 *   this run, and the series run in interleaved rounds (one run of each per round), so a
 *   busy or slower machine slows every side alike;
 * - a generated environment of 100 member accounts and 20 clusters (test/support/scale.ts,
 *   clusters spread over the accounts) through the app command;
 * - `terraform validate` of that environment's largest stack whose providers are all in
 *   `LZ_TF_PROVIDER_MIRROR` (init against the mirror first, not timed), with the peak memory
 *   of Terraform and every provider process it starts (summed over the process tree, sampled
 *   from /proc every 50 ms; Linux) and the number of provider processes alive at once;
 * - the whole `npm test` (jest, with the offline Terraform tier required when the mirror is
 *   set, as `.ci/run` runs it): wall time and the CPU time of the whole machine during the run
 *   (/proc/stat; Linux): the tier's shared provider process is detached, so no parent collects
 *   its CPU, and a per-process sum would miss it. Each run follows a baseline run of its own,
 *   and the bench prints the ratio of the two CPU times (the machine's speed drifts over
 *   minutes), and the CPU by kind of process of the median run (test/bench/process-cpu.ts).
 *
 * Options (environment): LZ_BENCH_RUNS (default 5), LZ_BENCH_BASELINE_RUNS (default 3),
 * LZ_BENCH_SCALE_RUNS (default 3), LZ_BENCH_TEST_RUNS (default 3, 0 skips `npm test`),
 * LZ_TF_PROVIDER_MIRROR (validate skipped without it).
 * Budgets: the design document's "Performance budgets" and docs/performance.md.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { scaledRaw } from '../support/scale';
import { machineCpuSeconds, ProcessCpu, type KindCpu } from './process-cpu';
import { initStack, offlineTerraform, providersAvailable } from '../support/terraform';

const root = resolve(__dirname, '..', '..');
const runs = Number(process.env.LZ_BENCH_RUNS ?? 5);
const baselineRuns = Number(process.env.LZ_BENCH_BASELINE_RUNS ?? 3);
const scaleRuns = Number(process.env.LZ_BENCH_SCALE_RUNS ?? 3);
const testRuns = Number(process.env.LZ_BENCH_TEST_RUNS ?? 3);
const work = mkdtempSync(join(tmpdir(), 'lz-bench-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));
// Every temporary folder of the run inside `work`, removed with it: the Terraform folders of
// test/support/terraform.ts (initStack, the init template) take theirs from os.tmpdir().
process.env.TMPDIR = work;

interface Sample {
  seconds: number;
  cpuSeconds: number;
  peakMiB: number;
}

/** Runs `cmd` once (output into `outdir`); returns wall time, CPU and peak RSS of its Node processes. */
function measure(
  cmd: string,
  args: string[],
  cwd: string,
  env: Record<string, string | undefined> = {},
  outdir = join(work, 'out'),
): Sample {
  const usage = join(work, `usage-${process.hrtime.bigint()}`);
  writeFileSync(usage, '');
  rmSync(outdir, { recursive: true, force: true });
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    env: withoutUndefined({
      ...process.env,
      ...env,
      CDKTF_OUTDIR: outdir,
      LZ_BENCH_RSS_FILE: usage,
      NODE_OPTIONS: `--require ${join(__dirname, 'rss.js')}`,
      CHECKPOINT_DISABLE: '1',
      CDKTF_DISABLE_PLUGIN_CACHE_ENV: '1',
    }),
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
  const rows = readFileSync(usage, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split(' ').map(Number));
  rmSync(usage);
  return {
    seconds,
    cpuSeconds: rows.reduce((s, [, us]) => s + us, 0) / 1e6,
    peakMiB: Math.max(...rows.map(([kib]) => kib)) / 1024,
  };
}

/** `env` without its undefined entries (a variable given as undefined is unset). */
const withoutUndefined = (env: Record<string, string | undefined>) =>
  Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined)) as NodeJS.ProcessEnv;

/**
 * Median wall time of `node -e 0` (5 runs), as the environment is and, when it sets
 * NODE_EXTRA_CA_CERTS, without it: Node 20 then builds its root certificate store at every
 * start (bin/cdktf.js, `childrenSkipExtraCaCerts`), which `npm run synth` spares the app.
 */
function nodeStart(): string {
  const time = (env: NodeJS.ProcessEnv) =>
    median(
      [1, 2, 3, 4, 5].map(() => {
        const start = process.hrtime.bigint();
        spawnSync(process.execPath, ['-e', '0'], { env });
        return Number(process.hrtime.bigint() - start) / 1e9;
      }),
    );
  const plain = time(process.env);
  if (!process.env.NODE_EXTRA_CA_CERTS)
    return `node start (node -e 0): ${plain.toFixed(3)} s (NODE_EXTRA_CA_CERTS unset)`;
  const without = time(withoutUndefined({ ...process.env, NODE_EXTRA_CA_CERTS: undefined }));
  return `node start (node -e 0): ${plain.toFixed(3)} s with NODE_EXTRA_CA_CERTS (set here), ${without.toFixed(3)} s without (as npm run synth starts the app)`;
}

const median = (xs: number[]) => {
  const t = [...xs].sort((a, b) => a - b);
  return t.length % 2 ? t[(t.length - 1) / 2] : (t[t.length / 2 - 1] + t[t.length / 2]) / 2;
};

interface Row {
  label: string;
  median: number;
  min: number;
  max: number;
  cpu: number;
  peakMiB: number;
}

/** One measured command: its label, how many runs, and one run. */
interface Series {
  label: string;
  n: number;
  once: () => Sample;
}

/**
 * Runs every series in rounds, one run of each per round (a series stops after its `n`), after
 * one warm-up run of each (file cache; the first app run also compiles `.build/`). Interleaved
 * so that a change in the machine's speed during the bench (seen here: 20 % within minutes)
 * reaches every series alike, not the one that happened to run then.
 * @returns one row per series, in the order given (each also printed)
 */
function interleaved(all: Series[]): Row[] {
  for (const s of all) s.once();
  const samples: Sample[][] = all.map(() => []);
  const rounds = Math.max(...all.map((s) => s.n));
  for (let r = 0; r < rounds; r++) all.forEach((s, i) => r < s.n && samples[i].push(s.once()));
  return all.map((s, i) => {
    const t = samples[i].map((x) => x.seconds);
    const row = {
      label: s.label,
      median: median(t),
      min: Math.min(...t),
      max: Math.max(...t),
      cpu: median(samples[i].map((x) => x.cpuSeconds)),
      peakMiB: Math.max(...samples[i].map((x) => x.peakMiB)),
    };
    console.log(
      `${s.label.padEnd(46)} median ${row.median.toFixed(2)} s  (min ${row.min.toFixed(2)}, max ${row.max.toFixed(2)}, n=${s.n})  cpu ${row.cpu.toFixed(2)} s  peak ${row.peakMiB.toFixed(0)} MiB`,
    );
    return row;
  });
}

/** Sum of VmRSS (KiB) over `pid` and its descendants, and how many of them run a provider. */
function treeRss(pid: number): { kib: number; providers: number } {
  let kib = 0;
  let providers = 0;
  const visit = (p: number) => {
    try {
      const status = readFileSync(`/proc/${p}/status`, 'utf8');
      kib += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      if (/^Name:\s+terraform-provi/m.test(status)) providers++;
      for (const task of readdirSync(`/proc/${p}/task`)) {
        const children = readFileSync(`/proc/${p}/task/${task}/children`, 'utf8').trim();
        for (const c of children ? children.split(' ') : []) visit(Number(c));
      }
    } catch {
      // the process ended while being read
    }
  };
  visit(pid);
  return { kib, providers };
}

/** `terraform validate` in `dir`: wall time, peak tree RSS and peak provider processes. */
function validate(terraform: string, dir: string): Promise<Sample & { providers: number }> {
  return new Promise((done, fail) => {
    const start = process.hrtime.bigint();
    const child = spawn(terraform, ['validate', '-no-color'], {
      cwd: dir,
      env: {
        ...process.env,
        CHECKPOINT_DISABLE: '1',
        TF_CLI_CONFIG_FILE: join(dir, '.terraformrc'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    let peak = 0;
    let providers = 0;
    const timer = setInterval(() => {
      const t = treeRss(child.pid!);
      peak = Math.max(peak, t.kib);
      providers = Math.max(providers, t.providers);
    }, 50);
    child.on('close', (code) => {
      clearInterval(timer);
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      if (code !== 0) fail(new Error(`terraform validate failed in ${dir}:\n${out}`));
      else done({ seconds, cpuSeconds: NaN, peakMiB: peak / 1024, providers });
    });
  });
}

/**
 * `npm test` once (jest as the script runs it, `--silent`): wall time, the machine's CPU time
 * during it, the CPU by kind of process (test/bench/process-cpu.ts) and the number of tests jest
 * reports.
 * @throws Error with jest's output if a test fails
 */
function testSuite(
  tier: Record<string, string>,
): Promise<{ seconds: number; cpu: number; tests: string; kinds: KindCpu[] }> {
  return new Promise((done, fail) => {
    const cpu0 = machineCpuSeconds();
    const start = process.hrtime.bigint();
    const sampler = new ProcessCpu();
    const child = spawn(
      process.execPath,
      [join(root, 'node_modules/jest/bin/jest.js'), '--silent'],
      {
        cwd: root,
        env: { ...process.env, CHECKPOINT_DISABLE: '1', ...tier },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      const cpu = machineCpuSeconds() - cpu0;
      const kinds = sampler.stop();
      if (code !== 0) fail(new Error(`npm test failed:\n${stdout}\n${stderr}`));
      else done({ seconds, cpu, kinds, tests: /^Tests:\s+(.*)$/m.exec(stderr)?.[1] ?? '?' });
    });
  });
}

/** One run of the baseline: the stock template's 3-resource app under type-checking ts-node. */
function baselineOnce(): Sample {
  return measure(
    process.execPath,
    ['-r', 'ts-node/register', 'main.ts'],
    join(__dirname, 'baseline'),
    {
      TS_NODE_PROJECT: join(__dirname, 'baseline', 'tsconfig.json'),
    },
  );
}

async function main(): Promise<void> {
  const cdktfJson = JSON.parse(readFileSync(join(root, 'cdktf.json'), 'utf8'));
  const app: string = cdktfJson.app;
  // the CLI as `npm run synth` starts it, and as `npx cdktf synth` does
  const launcher = join(root, 'bin', 'cdktf.js');
  const cdktf = join(root, 'node_modules', '.bin', 'cdktf');
  console.log(
    `bench: ${runs} runs each (baseline ${baselineRuns}, scale ${scaleRuns}), after one warm-up, in interleaved rounds; machine: ${cpus().length} cores, ${cpus()[0]?.model ?? '?'}; ${new Date().toISOString()}`,
  );
  console.log(nodeStart());
  const scaled = join(work, 'scaled-100x20.json');
  writeFileSync(
    scaled,
    JSON.stringify(scaledRaw({ accounts: 100, clusters: 20, clusterAccounts: 'spread' })),
  );
  const scaleOut = join(work, 'scale-out');
  const [ours, cli, stockCli, baseline] = interleaved([
    {
      // as the CLI starts it through bin/cdktf.js: without NODE_EXTRA_CA_CERTS
      label: `ours: ${app} (cdktf.json app, as npm run synth starts it)`,
      n: runs,
      once: () =>
        measure('sh', ['-c', app], root, { LZ_BACKEND: 'cloud', NODE_EXTRA_CA_CERTS: undefined }),
    },
    {
      label: 'ours: cdktf synth (CLI, bin/cdktf.js)',
      n: runs,
      once: () =>
        measure(process.execPath, [launcher, 'synth', '--output', join(work, 'out')], root),
    },
    {
      label: 'ours: cdktf synth (CLI, stock start)',
      n: runs,
      once: () => measure(cdktf, ['synth', '--output', join(work, 'out')], root),
    },
    {
      label: 'baseline: ts-node + package-index imports',
      n: baselineRuns,
      once: baselineOnce,
    },
    {
      label: 'scale 100 accounts / 20 clusters: app',
      n: scaleRuns,
      once: () =>
        measure(
          'sh',
          ['-c', app],
          root,
          { LZ_ENV: scaled, LZ_BACKEND: 'cloud', NODE_EXTRA_CA_CERTS: undefined },
          scaleOut,
        ),
    },
  ]);
  console.log(
    `ratio ours / baseline: app ${(ours.median / baseline.median).toFixed(3)}x (budget <= 0.12), CLI ${(cli.median / baseline.median).toFixed(3)}x (stock start ${(stockCli.median / baseline.median).toFixed(3)}x)`,
  );

  const tf = offlineTerraform();
  if (testRuns > 0) {
    // the budget is for the suite with the offline tier: required when it can run
    const tier: Record<string, string> = tf.available ? { LZ_OFFLINE_TF: 'required' } : {};
    // each run beside a baseline run of its own (the machine's speed drifts over minutes)
    const all: (Awaited<ReturnType<typeof testSuite>> & { baselineCpu: number })[] = [];
    for (let i = 0; i < testRuns; i++) {
      const base = baselineOnce();
      all.push({ ...(await testSuite(tier)), baselineCpu: base.cpuSeconds });
    }
    const t = all.map((x) => x.seconds);
    const c = all.map((x) => x.cpu);
    const ratios = all.map((x) => x.cpu / x.baselineCpu);
    console.log(
      `npm test (${all[0].tests}; offline tier ${tf.available ? 'required' : `skipped: ${tf.reason}`})`.padEnd(
        46,
      ) +
        ` median ${median(t).toFixed(2)} s  (min ${Math.min(...t).toFixed(2)}, max ${Math.max(...t).toFixed(2)}, n=${testRuns})  machine cpu ${median(c).toFixed(1)} s (min ${Math.min(...c).toFixed(1)}, max ${Math.max(...c).toFixed(1)}) (budget <= 30 s, <= 40 s cpu); cpu / the baseline's cpu run just before it: median ${median(ratios).toFixed(2)}x (${ratios.map((r) => r.toFixed(2)).join(', ')})`,
    );
    // where the CPU went, in the run of median machine CPU
    const mid = all.slice().sort((a, b) => a.cpu - b.cpu)[Math.floor(all.length / 2)];
    const seen = mid.kinds.reduce((n, k) => n + k.cpu, 0);
    console.log(
      `  by process (run of ${mid.cpu.toFixed(1)} s machine cpu; ${seen.toFixed(1)} s seen in /proc samples every 100 ms): ${mid.kinds.map((k) => `${k.label} ${k.cpu.toFixed(1)} s (${k.processes})`).join(', ')}`,
    );
  }
  if (!tf.available) {
    console.log(`terraform validate (scale): skipped, ${tf.reason}`);
    return;
  }
  const stacksDir = join(scaleOut, 'stacks');
  const candidates = readdirSync(stacksDir)
    .map((id) => ({ id, file: join(stacksDir, id, 'cdk.tf.json') }))
    .filter((s) => existsSync(s.file))
    .map((s) => ({ ...s, json: JSON.parse(readFileSync(s.file, 'utf8')) }))
    .filter((s) => providersAvailable(tf, s.json));
  const count = (j: Record<string, any>) =>
    Object.values(j.resource ?? {}).reduce(
      (n: number, byName) => n + Object.keys(byName as object).length,
      0,
    );
  const largest = candidates.sort((a, b) => count(b.json) - count(a.json))[0];
  if (!largest) {
    console.log('terraform validate (scale): no stack whose providers are all in the mirror');
    return;
  }
  const dir = initStack(tf, largest.json);
  const providerBlocks = ([] as unknown[]).concat(largest.json.provider?.aws ?? []).length;
  const samples: (Sample & { providers: number })[] = [];
  await validate(tf.terraform, dir); // warm-up
  for (let i = 0; i < scaleRuns; i++) samples.push(await validate(tf.terraform, dir));
  const t = samples.map((s) => s.seconds);
  console.log(
    `scale: terraform validate of ${largest.id} (${count(largest.json)} resources, ${providerBlocks} aws provider blocks)`.padEnd(
      46,
    ) +
      ` median ${median(t).toFixed(2)} s  (min ${Math.min(...t).toFixed(2)}, max ${Math.max(...t).toFixed(2)}, n=${scaleRuns})  peak ${Math.max(...samples.map((s) => s.peakMiB)).toFixed(0)} MiB (terraform + providers), ${Math.max(...samples.map((s) => s.providers))} provider processes at once (budget <= 5 s, <= 1.5 GB)`,
  );
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
