/**
 * Jest reporter: one line per skipped tier in the summary, with the reason, so a run that
 * skipped the offline Terraform tier or the conformance tests says so where it is read (jest
 * hides the console output of a file whose tests were all skipped).
 *
 * A tier announces a skip with a console line `skipping "<suite>": <reason>` (see
 * test/support/terraform.ts `describeOffline` and test/support/conformance.ts
 * `describeReference`). Those lines are grouped by reason: one summary line per reason, with
 * how many suites it skipped and how to enable them (docs/testing.md). A file whose tests were
 * all skipped without such a line is listed too.
 *
 * Jest reporter API: https://jestjs.io/docs/configuration#custom-reporters
 * (`onTestResult(test, testResult)`, `onRunComplete(contexts, results)`; `testResult.console`
 * holds the file's buffered console output when jest runs more than one file).
 */
const { relative } = require('node:path');

const SKIP = /^skipping "(.+?)": (.+)$/;

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
    /** reason → suite names */
    this.reasons = new Map();
    /** files with every test skipped and no reason given */
    this.silent = [];
  }

  onTestResult(_test, result) {
    let announced = false;
    for (const entry of result.console ?? []) {
      const m = SKIP.exec(String(entry.message));
      if (!m) continue;
      announced = true;
      const suites = this.reasons.get(m[2]) ?? [];
      suites.push(m[1]);
      this.reasons.set(m[2], suites);
    }
    const all = result.numPassingTests + result.numFailingTests + result.numPendingTests;
    if (!announced && all > 0 && result.numPendingTests === all)
      this.silent.push(relative(this.rootDir, result.testFilePath));
  }

  onRunComplete() {
    const lines = [...this.reasons].map(
      ([reason, suites]) =>
        `skipped ${suites.length} suite(s): ${reason}; ${hint(reason)} [${suites.join(', ')}]`,
    );
    for (const f of this.silent) lines.push(`skipped every test of ${f}`);
    if (lines.length > 0) process.stderr.write(`\n${lines.map((l) => `  ${l}`).join('\n')}\n`);
  }

  getLastError() {
    return undefined;
  }
}

module.exports = SkipReporter;
