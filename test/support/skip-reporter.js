/**
 * Jest reporter: one line per skipped tier in the summary, with the reason, so a run that
 * skipped the offline Terraform tier or the conformance tests says so where it is read.
 *
 * A tier announces a skip with `announceSkip` (test/support/skips.ts; called by
 * test/support/terraform.ts `describeOffline` and test/support/conformance.ts
 * `describeReference`), which writes it to the run's skips file: jest-light-runner reports no
 * per-file console output. Those skips are grouped by reason: one summary line per reason, with
 * how many suites it skipped and how to enable them (docs/testing.md). A file whose tests were
 * all skipped without an announcement is listed too.
 *
 * Jest reporter API: https://jestjs.io/docs/configuration#custom-reporters
 * (`onTestResult(test, testResult)`, `onRunComplete(contexts, results)`; jest calls
 * `onRunComplete` before `globalTeardown`, which removes the run folder:
 * node_modules/@jest/core/build/index.js, 30.5.2).
 */
const { relative } = require('node:path');
const tsx = require('tsx/cjs/api');

const { readSkips } = tsx.require('./skips.ts', __filename);

/** How to enable a tier, by a word of its reason. */
function hint(reason) {
  if (/terraform|LZ_TF_PROVIDER_MIRROR|mirror/i.test(reason))
    return 'set LZ_TF_PROVIDER_MIRROR (docs/testing.md, offline Terraform tier)';
  if (/reference/i.test(reason))
    return 'set LZ_REFERENCE_DIR or run npm run reference:download (docs/testing.md, conformance)';
  return 'see docs/testing.md';
}

class SkipReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
    /** files with every test skipped (absolute paths) */
    this.allSkipped = [];
  }

  onTestResult(_test, result) {
    const all = result.numPassingTests + result.numFailingTests + result.numPendingTests;
    if (all > 0 && result.numPendingTests === all) this.allSkipped.push(result.testFilePath);
  }

  onRunComplete() {
    const dir = process.env.LZ_TEST_RUN_DIR;
    const skips = dir ? readSkips(dir) : [];
    /** reason → suite names */
    const reasons = new Map();
    for (const { suite, reason } of skips)
      reasons.set(reason, [...(reasons.get(reason) ?? []), suite]);
    const announced = new Set(skips.map((s) => s.file));
    const lines = [...reasons].map(
      ([reason, suites]) =>
        `skipped ${suites.length} suite(s): ${reason}; ${hint(reason)} [${suites.join(', ')}]`,
    );
    for (const f of this.allSkipped.filter((f) => !announced.has(f)))
      lines.push(`skipped every test of ${relative(this.rootDir, f)}`);
    if (lines.length > 0) process.stderr.write(`\n${lines.map((l) => `  ${l}`).join('\n')}\n`);
  }

  getLastError() {
    return undefined;
  }
}

module.exports = SkipReporter;
