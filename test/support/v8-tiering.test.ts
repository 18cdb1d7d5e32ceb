/**
 * The workers' V8 tiering (v8-tiering.ts): the flag is one this Node's V8 has, the value raises
 * its default, and this worker runs with it. How a worker is seen to run with it: Node's
 * `v8.cachedDataVersionTag()` is "derived from the V8 version, command-line flags, and detected
 * CPU features", and its documented example shows the tag change after `v8.setFlagsFromString`
 * (https://nodejs.org/api/v8.html#v8cacheddataversiontag). So the worker's tag is that of a Node
 * started with the flag, and not that of one started without it.
 */
import { execFileSync } from 'node:child_process';
import { cachedDataVersionTag } from 'node:v8';
import { TEST_INTERRUPT_BUDGET, TEST_TIERING_FLAG } from './v8-tiering';

/** `v8.cachedDataVersionTag()` of a Node started with this worker's flags and `flags`. */
function tagOf(flags: readonly string[]): number {
  const out = execFileSync(
    process.execPath,
    [...process.execArgv, ...flags, '-p', 'require("node:v8").cachedDataVersionTag()'],
    { encoding: 'utf8', timeout: 60_000 },
  );
  return Number(out.trim());
}

describe('the test workers’ V8 tiering', () => {
  it('is a V8 integer flag of this Node, set above its default', () => {
    const options = execFileSync(process.execPath, ['--v8-options'], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    // `  --interrupt-budget (interrupt budget which should be used for the profiler counter)`
    // `        type: int  default: --interrupt-budget=67584` (Node 20.20.2)
    const m =
      /^ {2}--interrupt-budget \(.*\)\n\s+type: int {2}default: --interrupt-budget=(\d+)$/m.exec(
        options,
      );
    expect(m).not.toBeNull();
    expect(TEST_INTERRUPT_BUDGET).toBeGreaterThan(Number(m![1]));
  });

  it('is in effect in this worker (set by setup-early.ts before any test file loads)', () => {
    expect(cachedDataVersionTag()).toBe(tagOf([TEST_TIERING_FLAG]));
    expect(cachedDataVersionTag()).not.toBe(tagOf([]));
  });
});
