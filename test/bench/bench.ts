/**
 * `npm run bench`: medians and spread of repeated whole synths of the example environment
 * through `node` (the app as cdktf.json runs it) and through the cdktf CLI, the peak memory
 * of each, and a baseline in the same run: a small app synthesized the stock cdktf-template
 * way (type-checking ts-node, package-index imports). Prints the ratio baseline / ours.
 *
 * Options (environment): LZ_BENCH_RUNS (default 5), LZ_BENCH_BASELINE_RUNS (default 3).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '..', '..');
const runs = Number(process.env.LZ_BENCH_RUNS ?? 5);
const baselineRuns = Number(process.env.LZ_BENCH_BASELINE_RUNS ?? 3);

interface Sample {
  seconds: number;
  peakMiB: number;
}

/** Runs `cmd` once; returns wall time and the peak RSS of its Node processes. */
function measure(
  cmd: string,
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
): Sample {
  const dir = mkdtempSync(join(tmpdir(), 'lz-bench-'));
  const rssFile = join(dir, 'rss');
  writeFileSync(rssFile, '');
  const outdir = join(dir, 'out');
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      ...env,
      CDKTF_OUTDIR: outdir,
      LZ_BENCH_RSS_FILE: rssFile,
      NODE_OPTIONS: `--require ${join(__dirname, 'rss.js')}`,
      CHECKPOINT_DISABLE: '1',
      CDKTF_DISABLE_PLUGIN_CACHE_ENV: '1',
    },
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
  const kib = readFileSync(rssFile, 'utf8').split('\n').filter(Boolean).map(Number);
  rmSync(dir, { recursive: true, force: true });
  return { seconds, peakMiB: Math.max(...kib) / 1024 };
}

function series(
  label: string,
  n: number,
  once: () => Sample,
): { label: string; median: number; min: number; max: number; peakMiB: number } {
  once(); // warm-up (file cache, tsx cache)
  const samples = Array.from({ length: n }, once);
  const t = samples.map((s) => s.seconds).sort((a, b) => a - b);
  const median = t.length % 2 ? t[(t.length - 1) / 2] : (t[t.length / 2 - 1] + t[t.length / 2]) / 2;
  const row = {
    label,
    median,
    min: t[0],
    max: t[t.length - 1],
    peakMiB: Math.max(...samples.map((s) => s.peakMiB)),
  };
  console.log(
    `${label.padEnd(44)} median ${row.median.toFixed(2)} s  (min ${row.min.toFixed(2)}, max ${row.max.toFixed(2)}, n=${n})  peak ${row.peakMiB.toFixed(0)} MiB`,
  );
  return row;
}

const cdktf = join(root, 'node_modules', '.bin', 'cdktf');
console.log(
  `bench: ${runs} runs each (baseline ${baselineRuns}), after one warm-up; machine: ${cpus().length} cores`,
);
const node = series('ours: node --require tsx/cjs main.ts', runs, () =>
  measure(process.execPath, ['--require', 'tsx/cjs', 'main.ts'], root, { LZ_BACKEND: 'cloud' }),
);
const cli = series('ours: cdktf synth (CLI)', runs, () =>
  measure(cdktf, ['synth', '--output', 'cdktf.out'], root),
);
const baseline = series('baseline: ts-node + package-index imports', baselineRuns, () =>
  measure(process.execPath, ['-r', 'ts-node/register', 'main.ts'], join(__dirname, 'baseline'), {
    TS_NODE_PROJECT: join(__dirname, 'baseline', 'tsconfig.json'),
  }),
);
console.log(`ratio baseline / ours (node): ${(baseline.median / node.median).toFixed(1)}x`);
console.log(`ratio baseline / ours (cdktf CLI): ${(baseline.median / cli.median).toFixed(1)}x`);
