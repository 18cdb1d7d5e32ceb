// Preloaded into every Node process of a bench run (NODE_OPTIONS=--require): on exit, appends
// this process's peak resident set size (KiB) to the file named by LZ_BENCH_RSS_FILE.
const { appendFileSync } = require('node:fs');
process.on('exit', () => {
  const file = process.env.LZ_BENCH_RSS_FILE;
  if (file) appendFileSync(file, `${process.resourceUsage().maxRSS}\n`);
});
