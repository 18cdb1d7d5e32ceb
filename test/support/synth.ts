/**
 * Test helpers: build the landing zone (local backend) and read synthesized stacks.
 */
import { App, TerraformElement, Testing, type TerraformStack } from 'cdktf';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildLandingZone, type LandingZone } from '../../stacks/app';
import type { Environment } from '../../envs/schema';
import { exampleEnv } from './env';
import { constructValidationErrors } from '../../main';

/**
 * A test app with `Testing.app()`'s settings (temporary outdir, stubbed cdktf version, future
 * flags) that synthesizes as main.ts does: with `skipValidation`, so that
 * {@link synthValidated} runs the construct validations without the `CloudBackend`'s check of
 * the local Terraform binary (one `terraform version` process per stack; main.ts,
 * `constructValidationErrors`, says why it is skipped).
 */
export function testApp(outdir = mkdtempSync(join(tmpdir(), 'cdktf.outdir.'))): App {
  const app = new App({ outdir, skipValidation: true });
  Testing.stubVersion(app);
  Testing.enableFutureFlags(app);
  return app;
}

/**
 * `app.synth()`, then the validations main.ts runs (`constructValidationErrors`).
 * @throws Error listing every failed validation
 */
export function synthValidated(app: App): void {
  app.synth();
  const errors = constructValidationErrors(app);
  if (errors.length) throw new Error(`validation failed:\n  ${errors.join('\n  ')}`);
}

/** Builds every stack of `env` (default: the example) into a test app with local backends. */
export function buildExample(env: Environment = exampleEnv()): LandingZone {
  const app = Testing.app();
  return buildLandingZone(app, env, { backend: 'local' });
}

/** The worker's shared example (see {@link sharedExample}), once built. */
let shared: LandingZone | undefined;

/**
 * The example environment's landing zone (as `buildExample()` builds it), built once per jest
 * worker and shared by every test file of that worker that asks for it (the files of a worker
 * share this module: docs/testing.md, "How jest runs"). Read-only: its app is locked
 * (constructs' `Node.lock()`), so adding a construct anywhere in it throws `Cannot add children
 * to "<path>" during synthesis`, and a whole-app synth of it throws the same (cdktf adds
 * cross-stack outputs while preparing); `addOverride` on any of its elements throws too.
 * {@link synthStack} and {@link synthJson} synthesize each of its stacks once. A test that
 * changes the tree, or needs another environment, calls {@link buildExample}.
 */
export function sharedExample(): LandingZone {
  if (!shared) {
    shared = buildExample();
    const root = shared.organization.node.root;
    root.node.lock();
    // the one change to an element tests make otherwise (lock() does not stop it)
    for (const c of root.node.findAll())
      if (TerraformElement.isTerraformElement(c))
        Object.defineProperty(c, 'addOverride', {
          value: () => {
            throw new Error(`${c.node.path}: the shared example is read-only (use buildExample())`);
          },
        });
  }
  return shared;
}

/**
 * `Testing.synth` of the shared example's stacks, once each. Read-only beyond what it refuses
 * (new constructs, `addOverride`) by convention: a property setter, an aspect added or a
 * changed `env` would leave this memo stale, and no test file does any of them (reviewed).
 */
const sharedSynth = new WeakMap<TerraformStack, string>();

/**
 * Every stack of `env` (default: the example) synthesized by a whole app (local backends), as
 * Terraform reads it:
 * cross-stack references wired as `terraform_remote_state` reads, which a single stack's
 * `Testing.synth` does not do. Written into the run's temporary folder. Validated as main.ts
 * validates ({@link synthValidated}): without the `CloudBackend`'s check of the local
 * Terraform binary, a `terraform version` process per synth (the TFC stack keeps a cloud
 * block under the local backend; cdktf 0.21 `lib/backends/cloud-backend.js`). Without `env`, the
 * example is synthesized once per worker (the files of a worker share this module) and each
 * call gets a fresh parsed copy; pass `exampleEnv(edit)` for a variant.
 * @returns stack ID -> its parsed `cdk.tf.json`
 * @throws Error listing every failed construct validation
 */
export function synthApp(env?: Environment): Record<string, Record<string, any>> {
  if (!env) {
    // the example: synthesized once per worker, a fresh parsed copy of each stack per call
    exampleApp ??= Object.fromEntries(
      Object.entries(synthAppOf(exampleEnv())).map(([id, json]) => [id, JSON.stringify(json)]),
    );
    return Object.fromEntries(
      Object.entries(exampleApp).map(([id, text]) => [id, JSON.parse(text)]),
    );
  }
  return synthAppOf(env);
}

/** The example's stacks as {@link synthApp} wrote them (JSON text), once per worker. */
let exampleApp: Record<string, string> | undefined;

/** {@link synthApp} of `env`, always synthesized. */
function synthAppOf(env: Environment): Record<string, Record<string, any>> {
  const outdir = mkdtempSync(join(tmpdir(), 'lz-app-'));
  const app = new App({ outdir, skipValidation: true });
  buildLandingZone(app, env, { backend: 'local' });
  synthValidated(app);
  return readStacks(outdir);
}

/**
 * Every stack a synthesized app wrote (`<outdir>/stacks/<id>/cdk.tf.json`).
 * @param options `metadata: false` drops cdktf's `"//"` entries, as `Testing.synth` does
 * @returns stack ID -> its parsed JSON
 */
export function readStacks(
  outdir: string,
  options: { metadata?: boolean } = {},
): Record<string, Record<string, any>> {
  const dir = join(outdir, 'stacks');
  const reviver =
    options.metadata === false
      ? (key: string, value: unknown) => (key === '//' ? undefined : value)
      : undefined;
  return Object.fromEntries(
    readdirSync(dir).map((id) => [
      id,
      JSON.parse(readFileSync(join(dir, id, 'cdk.tf.json'), 'utf8'), reviver),
    ]),
  );
}

/**
 * A stack's synthesized Terraform JSON (`Testing.synth`), as a string (for cdktf's jest
 * matchers); a stack of {@link sharedExample} is synthesized once per worker.
 */
export function synthStack(stack: TerraformStack): string {
  if (!shared || stack.node.root !== shared.organization.node.root) return Testing.synth(stack);
  let json = sharedSynth.get(stack);
  if (json === undefined) sharedSynth.set(stack, (json = Testing.synth(stack)));
  return json;
}

/** A stack's synthesized Terraform JSON, parsed (a fresh copy per call; see {@link synthStack}). */
export function synthJson(stack: TerraformStack): Record<string, any> {
  return JSON.parse(synthStack(stack));
}

/** Every resource of `type` in a parsed stack: logical name → arguments. */
export function resourcesOf(json: Record<string, any>, type: string): Record<string, any> {
  return json.resource?.[type] ?? {};
}

/** Every data source of `type` in a parsed stack: logical name → arguments. */
export function dataOf(json: Record<string, any>, type: string): Record<string, any> {
  return json.data?.[type] ?? {};
}
