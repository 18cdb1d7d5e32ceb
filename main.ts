/**
 * Entry point of the cdktf app: load and validate the environment (`LZ_ENV`), build every
 * stack, run the guardrails over all of them, and only then synthesize.
 *
 * Nothing is written to the output directory unless every check passed: a bad environment
 * stops before the app exists; a guardrail violation (or any error while building) stops
 * before `app.synth()`, and the output directory that `new App()` creates is removed again
 * if this run created it. The output directory is cdktf's: `CDKTF_OUTDIR`, else `cdktf.out`
 * (see node_modules/cdktf/lib/app.js).
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'cdktf';
import { ConfigError, loadEnvironment } from './envs/load';
import { backendFromEnv } from './stacks/base-stack';
import { buildLandingZone } from './stacks/app';
import { GuardrailError, checkGuardrails, describeReport } from './constructs/guardrails/check';

/** Whether `dir` holds any file (directories alone do not count). */
function containsFiles(dir: string): boolean {
  return readdirSync(dir, { withFileTypes: true }).some(
    (e) => !e.isDirectory() || containsFiles(join(dir, e.name)),
  );
}

function fail(message: string, cleanup?: () => void): never {
  cleanup?.();
  console.error(message);
  process.exit(1);
}

function main(): void {
  let env;
  let backend;
  try {
    env = loadEnvironment();
    backend = backendFromEnv();
  } catch (e) {
    fail(e instanceof ConfigError ? e.message : String(e));
  }

  const outdir = process.env.CDKTF_OUTDIR ?? 'cdktf.out';
  const outdirExisted = existsSync(outdir);
  // `new App()` creates the output directory and its empty `stacks/` folder (cdktf's
  // Manifest); remove them again on failure if this run created them and wrote no file.
  const cleanup = () => {
    if (!outdirExisted && existsSync(outdir) && !containsFiles(outdir))
      rmSync(outdir, { recursive: true });
  };

  let app: App;
  try {
    app = new App();
    buildLandingZone(app, env, { backend });
    const report = checkGuardrails(app, env);
    for (const line of describeReport(report)) console.log(line);
  } catch (e) {
    fail(
      e instanceof GuardrailError
        ? e.message
        : e instanceof Error
          ? (e.stack ?? e.message)
          : String(e),
      cleanup,
    );
  }
  app.synth();
}

main();
