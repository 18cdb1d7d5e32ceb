/**
 * The jest workers' V8 tiering: TurboFan considers a function only after it has run 16 times as
 * much bytecode as V8's default asks, so the tests' short-lived code stays in V8's interpreter
 * and baseline tiers instead of being compiled by TurboFan on background threads.
 *
 * Why (2-core Intel machine, Node 20.20.2, 2026-12-03; `perf record -a` of whole `npx jest`
 * runs with the offline tier, samples by thread): the workers' V8 background threads took about
 * 15 % of a run's samples (7–8 s), most of it TurboFan (`v8::internal::compiler::*`), for code
 * most of which runs briefly and once per worker. In two rounds of alternating runs (V8's
 * default, then 8×, 16× and 32× it) the Node processes' CPU went from 37.8–39.2 s to 33.7–35.0 s
 * at 16× and the run's wall time from 32.2–37.3 s to 30.2–31.2 s; the background threads' share
 * halved. Without TurboFan (`--max-opt=1`) or with Maglev as the top tier
 * (`--maglev --max-opt=2`) a run took 2–5 s more CPU: hot loops still need it.
 * docs/performance-history.md has the runs.
 *
 * Only the test workers (and jest's own process under `--runInBand`) get it. The app and the
 * CLI, which the tests start as users do, keep V8's default: the 100-account / 20-cluster synth
 * took 2.76 s instead of 2.49 s with it (3.11 s of CPU instead of 3.55 s), against its 3 s
 * budget.
 *
 * Upstream: V8's `src/flags/flag-definitions.h`, "Tiering: Turbofan":
 * `DEFINE_INT(interrupt_budget, 66 * KB, "interrupt budget which should be used for the
 * profiler counter")`, with `ticks_before_optimization` 3 (`node --v8-options` on Node 20.20.2:
 * `--interrupt-budget=67584`). Set at run time with `v8.setFlagsFromString`
 * (https://nodejs.org/api/v8.html#v8setflagsfromstringflags), from the setup file that runs
 * before any test file loads cdktf, the providers, zod or our sources; the figures above were
 * measured with it set this way. It changes V8's flag hash
 * (`v8.cachedDataVersionTag()`), which is how its test sees it in a worker.
 */
import { setFlagsFromString } from 'node:v8';

/** V8's `--interrupt-budget` for the test workers, in bytes of bytecode: 16 × 66 KiB. */
export const TEST_INTERRUPT_BUDGET = 16 * 66 * 1024;

/** The V8 flag {@link raiseInterruptBudget} sets. */
export const TEST_TIERING_FLAG = `--interrupt-budget=${TEST_INTERRUPT_BUDGET}`;

/** Sets {@link TEST_TIERING_FLAG} in this process (once per worker, from setup-early.ts). */
export function raiseInterruptBudget(): void {
  setFlagsFromString(TEST_TIERING_FLAG);
}
