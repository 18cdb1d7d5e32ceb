/**
 * Entry point of the cdktf app: load and validate the environment (`LZ_ENV`), build every
 * stack, synthesize into a staging directory, run the guardrails over what was written, and
 * only then move it into the output directory.
 *
 * Nothing reaches the output directory unless every check passed: a bad environment stops
 * before the app exists; a guardrail violation (or any error while building) removes the
 * staging directory (`<outdir>/.staging-<pid>`) and leaves the previous output as it was, and
 * an output directory this run created is removed again. The output directory is cdktf's:
 * `CDKTF_OUTDIR`, else `cdktf.out` (see node_modules/cdktf/lib/app.js).
 *
 * The guardrail rules run once per resource, on the synthesized JSON: the guardrail aspects
 * (constructs/guardrails/aspect.ts; the safety net for entry points that skip this file, such
 * as tests, where they resolve each element themselves) are deferred during `app.synth()`, and
 * {@link checkGuardrails} reads each stack's `cdk.tf.json` instead of resolving every token a
 * third time.
 */
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { App, CloudBackend, type TerraformStack } from 'cdktf';
import {
  ConfigError,
  DEFAULT_ENVIRONMENT,
  ENV_VARIABLE,
  environmentPath,
  loadEnvironment,
} from './envs/load';
import type { Environment } from './envs/schema';
import {
  BACKEND_VARIABLE,
  LandingZoneStack,
  backendFromEnv,
  type BackendMode,
} from './stacks/base-stack';
import { buildLandingZone } from './stacks/app';
import { NetworkStack } from './stacks/network-stack';
import { OVERVIEW_FILE, renderOverview, resourceCount } from './stacks/overview';
import type { StackJson } from './stacks/overview-trust';
import {
  GuardrailError,
  checkGuardrails,
  deferGuardrails,
  describeReport,
  type GuardrailReport,
} from './constructs/guardrails/check';
import { disableCreationStacks } from './constructs/shared/creation-stacks';
import { installFastResolve } from './constructs/shared/fast-resolve';
import { installSnakeKeys } from './constructs/shared/snake-keys';
import { resolveOnce } from './constructs/shared/resolve-once';
import { GuardrailAspect } from './constructs/guardrails/aspect';

/** Options of {@link synthesize}; every field defaults to what the CLI run uses. */
export interface SynthOptions {
  /** Environment name in `envs/` or a `.yaml`/`.json` path (default: `$LZ_ENV`, else `example`). */
  readonly environment?: string;
  /** Output directory (default: `$CDKTF_OUTDIR`, else `cdktf.out`). */
  readonly outdir?: string;
  /** Where the synth report lines go (default `console.log`). */
  readonly log?: (line: string) => void;
  /**
   * Refuse to fall back to the example when no environment is named (default: when `CI` is
   * set, as CI systems do): a pipeline names its environment explicitly (`LZ_ENV=example`
   * for the example).
   */
  readonly requireExplicitEnvironment?: boolean;
  /**
   * Builds the stacks into the app (default {@link buildLandingZone}); tests pass a wrapper to
   * observe or fail the build step.
   */
  readonly build?: typeof buildLandingZone;
}

/** The outcome of {@link synthesize}: the guardrail report, or why nothing was written. */
export type SynthResult =
  | {
      readonly ok: true;
      readonly report: GuardrailReport;
      /** The overview written beside the stacks (`<outdir>/landing-zone.md`). */
      readonly overview: string;
    }
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
 * Validates the environment, builds every stack, synthesizes them into a staging directory,
 * runs the guardrails over that JSON, then moves `stacks/<stack>/` and `manifest.json` into
 * the output directory. Writes nothing there unless every step passed (an output directory
 * this run created is removed again on failure). Turns cdktf's
 * token creation stacks off for the process unless `LZ_DEBUG` is set
 * (constructs/shared/creation-stacks.ts), makes every `App.synth()` resolve each element
 * once (constructs/shared/resolve-once.ts), walks plain data in those resolutions with a
 * loop of its own (constructs/shared/fast-resolve.ts) and converts each attribute key to
 * snake case once (constructs/shared/snake-keys.ts); none of the three under `LZ_DEBUG`.
 * @param options environment, output directory, report sink (defaults: the CLI's)
 * @returns `{ ok: true, report }` after synthesis, else `{ ok: false, stage, message }`:
 *   stage `config` for a {@link ConfigError} or an invalid `LZ_BACKEND` (no stack was built),
 *   stage `build` for a {@link GuardrailError} or an error thrown while building or
 *   synthesizing
 * @throws only what moving the output into place or writing the overview throws (e.g. a
 *   full disk)
 */
export function synthesize(options: SynthOptions = {}): SynthResult {
  disableCreationStacks();
  installFastResolve();
  installSnakeKeys();
  resolveOnce(GuardrailAspect.isGuardrailAspect);
  const log = options.log ?? console.log;
  const selector = options.environment ?? (process.env[ENV_VARIABLE] || undefined);
  const requireExplicit = options.requireExplicitEnvironment ?? Boolean(process.env.CI);
  let env: Environment;
  let backend: BackendMode;
  let file: string;
  try {
    if (selector === undefined && requireExplicit)
      throw new ConfigError(ENV_VARIABLE, [
        `${ENV_VARIABLE}: required in CI (CI is set): name the environment to synthesize, e.g. ${ENV_VARIABLE}=prod, or ${ENV_VARIABLE}=${DEFAULT_ENVIRONMENT} for the example`,
      ]);
    file = environmentPath(selector ?? DEFAULT_ENVIRONMENT);
    env = loadEnvironment(file);
    backend = backendFromEnv();
    // `cdktf synth --hcl` sets SYNTH_HCL_OUTPUT (node_modules/cdktf/lib/app.js): stacks would be
    // written as cdk.tf, which the guardrails and the overview do not read.
    if (process.env.SYNTH_HCL_OUTPUT === 'true')
      throw new ConfigError('SYNTH_HCL_OUTPUT', [
        'SYNTH_HCL_OUTPUT=true (cdktf synth --hcl): not supported, the guardrails check the JSON output; synthesize without --hcl',
      ]);
  } catch (e) {
    return {
      ok: false,
      stage: 'config',
      message: e instanceof ConfigError ? e.message : e instanceof Error ? e.message : String(e),
    };
  }

  const outdir = options.outdir ?? process.env.CDKTF_OUTDIR ?? 'cdktf.out';
  const outdirExisted = existsSync(outdir);
  removeStaleStaging(outdir);
  // cdktf writes into a staging directory inside the output directory; the guardrails read
  // what it wrote, and only a passing synth is moved into place (nothing half-written).
  const staging = join(outdir, `.staging-${process.pid}`);
  let zone: ReturnType<typeof buildLandingZone>;
  let report: GuardrailReport;
  const json: Record<string, StackJson> = {};
  try {
    mkdirSync(outdir, { recursive: true });
    rmSync(staging, { recursive: true, force: true });
    const app = new App({ outdir: staging, skipValidation: true });
    zone = (options.build ?? buildLandingZone)(app, env, { backend });
    const invalid = constructValidationErrors(app);
    if (invalid.length > 0)
      throw new Error(`construct validation failed:\n  ${invalid.join('\n  ')}`);
    deferGuardrails(app);
    app.synth();
    const byStack = new Map<TerraformStack, StackJson>();
    for (const stack of zone.stacks) {
      const id = stack.node.id;
      json[id] = JSON.parse(
        readFileSync(join(staging, 'stacks', id, 'cdk.tf.json'), 'utf8'),
      ) as StackJson;
      byStack.set(stack, json[id]);
    }
    report = checkGuardrails(app, env, { synthesized: (stack) => byStack.get(stack) });
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    // Remove the output directory again if this run created it and wrote no file.
    if (!outdirExisted && existsSync(outdir) && !containsFiles(outdir))
      rmSync(outdir, { recursive: true });
    return { ok: false, stage: 'build', message: buildErrorMessage(e) };
  }
  publish(staging, outdir, Object.keys(json));

  const shown = displayPath(file);
  const stacks = zone.stacks.filter((s): s is LandingZoneStack => s instanceof LandingZoneStack);
  const network = zone.stacks.find((s): s is NetworkStack => s instanceof NetworkStack);
  const overview = join(outdir, OVERVIEW_FILE);
  writeFileSync(
    overview,
    renderOverview({
      env,
      environmentFile: shown,
      stacks,
      json,
      addressPlan: network?.plan,
      report,
    }),
  );

  // What this synth did: which file, which stacks (workspace, resources), guardrails, overview.
  if (selector === undefined)
    log(
      `environment: ${shown} (the example: ${ENV_VARIABLE} is unset; set ${ENV_VARIABLE}=<name> for your own, see docs/environment.md)`,
    );
  else log(`environment: ${shown} (${ENV_VARIABLE}=${selector})`);
  log(
    backend === 'cloud'
      ? `backend: Terraform Cloud ${env.terraformCloud.hostname}, organization ${env.terraformCloud.organization}, project ${env.terraformCloud.project}`
      : `backend: local state files (${BACKEND_VARIABLE}=local)`,
  );
  const width = Math.max(...stacks.map(({ spec }) => spec.id.length));
  log(`stacks: ${stacks.length}`);
  for (const { spec } of stacks)
    log(
      `  ${spec.id.padEnd(width)}  ${String(resourceCount(json[spec.id])).padStart(4)} resources  workspace ${spec.workspace}${spec.account ? `  account ${spec.account}` : ''}`,
    );
  // The guardrails passed (a violation stops before app.synth()); say so on the first line.
  for (const line of describeReport(report))
    log(line.replace(/^guardrails: /, 'guardrails: passed; '));
  log(`overview: ${displayPath(overview)}`);
  return { ok: true, report, overview };
}

/**
 * Moves a passing synth from `staging` into `outdir`: in each stack's folder, the entries cdktf
 * wrote (`cdk.tf.json`, `assets/`, …; each replacing its previous version), leaving whatever
 * else is there alone — Terraform's working files (`.terraform/`, `.terraform.lock.hcl`, which
 * the cdktf CLI reuses) and, with `LZ_BACKEND=local`, the state file
 * (stacks/base-stack.ts); cdktf's synthesizer likewise only writes its files. Then cdktf's
 * `manifest.json` (stack folders named relative to the output directory), then removes
 * `staging`.
 */
function publish(staging: string, outdir: string, stackIds: readonly string[]): void {
  for (const id of stackIds) {
    const from = join(staging, 'stacks', id);
    const target = join(outdir, 'stacks', id);
    mkdirSync(target, { recursive: true });
    for (const entry of readdirSync(from)) {
      rmSync(join(target, entry), { recursive: true, force: true });
      renameSync(join(from, entry), join(target, entry));
    }
  }
  renameSync(join(staging, 'manifest.json'), join(outdir, 'manifest.json'));
  rmSync(staging, { recursive: true, force: true });
}

/**
 * Removes staging directories (`.staging-<pid>`) left in `outdir` by runs that were killed
 * (their process no longer exists).
 */
function removeStaleStaging(outdir: string): void {
  if (!existsSync(outdir)) return;
  for (const e of readdirSync(outdir)) {
    const pid = /^\.staging-(\d+)$/.exec(e)?.[1];
    if (!pid || Number(pid) === process.pid) continue;
    try {
      process.kill(Number(pid), 0); // still running: leave it
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ESRCH')
        rmSync(join(outdir, e), { recursive: true, force: true });
    }
  }
}

/** `path` relative to the working directory if it is inside it, else absolute. */
function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

/**
 * The message for an error thrown while building: a guardrail or configuration error as it
 * is; anything else (a defect, not a configuration mistake) with its message and a pointer to
 * the stack trace (`LZ_DEBUG=1` prints it).
 */
function buildErrorMessage(e: unknown): string {
  if (e instanceof GuardrailError || e instanceof ConfigError) return e.message;
  if (!(e instanceof Error)) return String(e);
  if (process.env.LZ_DEBUG) return e.stack ?? e.message;
  return `error while building the stacks: ${e.message}\n(set LZ_DEBUG=1 for the stack trace; please report it: a valid environment should always build)`;
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
