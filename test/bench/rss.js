// Preloaded into every Node process of a bench run (NODE_OPTIONS=--require): on exit, appends
// this process's peak resident set size (KiB) and its CPU time (user + system, microseconds)
// to the file named by LZ_BENCH_RSS_FILE.
const { appendFileSync } = require('node:fs');
process.on('exit', () => {
  const file = process.env.LZ_BENCH_RSS_FILE;
  if (!file) return;
  const u = process.resourceUsage();
  appendFileSync(file, `${u.maxRSS} ${u.userCPUTime + u.systemCPUTime}\n`);
});
