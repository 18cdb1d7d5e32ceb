/**
 * Entry point of the cdktf app: load and validate the environment (`LZ_ENV`), build every
 * stack, run the guardrails over all of them, and only then synthesize.
 *
 * Nothing is written to the output directory unless every check passed: a bad environment
 * stops before the app exists; a guardrail violation (or any error while building) stops
 * before `app.synth()`, and the output directory that `new App()` creates is removed again
 * if this run created it. The output directory is cdktf's: `CDKTF_OUTDIR`, else `cdktf.out`
 * (see node_modules/cdktf/lib/app.js).
 *
 * The guardrail rules run once per resource: {@link checkGuardrails} evaluates them before
 * `app.synth()`, and the guardrail aspects (constructs/guardrails/aspect.ts) cdktf invokes during synthesis (the safety
 * net for entry points that skip this file, such as tests) reuse those results instead of
 * running the rules again.
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { App, CloudBackend } from 'cdktf';
import { ConfigError, loadEnvironment } from './envs/load';
import type { Environment } from './envs/schema';
import { backendFromEnv, type BackendMode } from './stacks/base-stack';
import { buildLandingZone } from './stacks/app';
import {
  GuardrailError,
  checkGuardrails,
  describeReport,
  type GuardrailReport,
} from './constructs/guardrails/check';

/** Options of {@link synthesize}; every field defaults to what the CLI run uses. */
export interface SynthOptions {
  /** Environment name in `envs/` or a `.yaml`/`.json` path (default: `$LZ_ENV`, else `example`). */
  readonly environment?: string;
  /** Output directory (default: `$CDKTF_OUTDIR`, else `cdktf.out`). */
  readonly outdir?: string;
  /** Where the guardrail report lines go (default `console.log`). */
  readonly log?: (line: string) => void;
}

/** The outcome of {@link synthesize}: the guardrail report, or why nothing was written. */
export type SynthResult =
  | { readonly ok: true; readonly report: GuardrailReport }
  | {
      readonly ok: false;
      /** What failed, with every problem (config) or violation (guardrails) listed. */
      readonly message: string;
      /** Where it failed: `config` (before any stack was built) or `build` (after). */
      readonly stage: 'config' | 'build';
    };

/** Whether `dir` holds any file (directories alone do not count). */
function containsFiles(dir: string): boolean {
  return readdirSync(dir, { withFileTypes: true }).some(
    (e) => !e.isDirectory() || containsFiles(join(dir, e.name)),
  );
}

/**
 * cdktf's construct validations (provider presence and the like), run once here because the
 * app is synthesized with `skipValidation`. Skipped: the `CloudBackend`'s own check, which
 * runs `terraform version` once per stack (about 50 ms each) to test the *local* binary,
 * while the stacks run remotely on the version pinned on their workspaces
 * (`terraformCloud.terraformVersion`, at least 1.11 by the schema).
 * @returns one `path: message` line per failed validation
 */
export function constructValidationErrors(app: App): string[] {
  return app.node
    .findAll()
    .filter((c) => !(c instanceof CloudBackend))
    .flatMap((c) => c.node.validate().map((m) => `${c.node.path}: ${m}`));
}

/**
 * Validates the environment, builds every stack, runs the guardrails, then writes
 * `<outdir>/stacks/<stack>/cdk.tf.json` for every stack. Writes nothing unless every step
 * passed (an output directory this run created is removed again on failure).
 * @param options environment, output directory, report sink (defaults: the CLI's)
 * @returns `{ ok: true, report }` after synthesis, else `{ ok: false, stage, message }`:
 *   stage `config` for a {@link ConfigError} or an invalid `LZ_BACKEND` (no stack was built),
 *   stage `build` for a {@link GuardrailError} or an error thrown while building
 * @throws only what `app.synth()` itself throws (e.g. a full disk)
 */
export function synthesize(options: SynthOptions = {}): SynthResult {
  let env: Environment;
  let backend: BackendMode;
  try {
    env = loadEnvironment(options.environment);
    backend = backendFromEnv();
  } catch (e) {
    return {
      ok: false,
      stage: 'config',
      message: e instanceof ConfigError ? e.message : String(e),
    };
  }

  const outdir = options.outdir ?? process.env.CDKTF_OUTDIR ?? 'cdktf.out';
  const outdirExisted = existsSync(outdir);
  let app: App;
  let report: GuardrailReport;
  try {
    app = new App({ outdir, skipValidation: true });
    buildLandingZone(app, env, { backend });
    report = checkGuardrails(app, env);
    const invalid = constructValidationErrors(app);
    if (invalid.length > 0)
      throw new Error(`construct validation failed:\n  ${invalid.join('\n  ')}`);
  } catch (e) {
    // `new App()` creates the output directory and its empty `stacks/` folder (cdktf's
    // Manifest); remove them again if this run created them and wrote no file.
    if (!outdirExisted && existsSync(outdir) && !containsFiles(outdir))
      rmSync(outdir, { recursive: true });
    const message =
      e instanceof GuardrailError
        ? e.message
        : e instanceof Error
          ? (e.stack ?? e.message)
          : String(e);
    return { ok: false, stage: 'build', message };
  }
  for (const line of describeReport(report)) (options.log ?? console.log)(line);
  app.synth();
  return { ok: true, report };
}

if (require.main === module) {
  // tsx turns source maps on; cdktf captures a full stack trace for every token it creates,
  // and mapping each of those frames through source maps costs about a third of a synth.
  // Errors of this app name config paths and construct paths, not source lines.
  process.setSourceMapsEnabled(false);
  const result = synthesize();
  if (!result.ok) {
    console.error(result.message);
    process.exit(1);
  }
}
