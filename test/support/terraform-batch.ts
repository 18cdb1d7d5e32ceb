/**
 * `terraform validate` and `terraform test` of many stacks in one Terraform process: each stack
 * becomes a child folder (`stacks/<id>/cdk.tf.json`, backend dropped) of one root.
 *
 * Why: most of a `terraform validate` of one of our stacks is loading the hashicorp/aws
 * provider's schema (about 4 s of CPU for a one-resource configuration on the 2-core machine,
 * 2026-12-01), which Terraform does once per process and caches for every module
 * (internal/providers/schema_cache.go, "SchemaCache is a global cache of Schemas"). Nine
 * stacks validated one by one were about 45 s of CPU; in one root they are about a third.
 *
 * What differs from validating each stack as a root, and why it does not matter here: a child
 * module may not hold `import` blocks (none of our stacks has one; the batch refuses them) and
 * may not be called with `count`/`for_each` while it has provider blocks (the root calls each
 * once, without either). Root variables without a default are passed through from root
 * variables of the same name prefixed by the stack, which validate treats as unknown.
 *
 * Diagnostics are attributed to a stack by the file Terraform names (`stacks/<id>/…`); a
 * diagnostic without a file goes to every stack, so nothing is lost.
 *
 * What a child module is spared that a root is not (tried with Terraform 1.11.4): an output
 * that refers to a sensitive value without `sensitive = true`, and an ephemeral output, are
 * errors only in a root module. The `terraform test` batch below does not have this gap (a run
 * with `module { source }` loads that module as its root), and cdktf's cross-stack outputs
 * are written `sensitive = true`; an output of our own that exposes a sensitive attribute
 * would pass `validateStacks` and fail the stack's real plan.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  initStack,
  TERRAFORM_TIMEOUT_MS,
  terraformEnv,
  withoutBackend,
  withoutPreventDestroy,
  type OfflineTerraform,
} from './terraform';
import { sharedProviders } from './provider-server';

/** A stack's Terraform JSON (untyped by nature). */
type StackJson = Record<string, any>;

/** Writes a stack's JSON, backend dropped, as the child folder `stacks/<name>/` of `dir`. */
function writeStack(dir: string, name: string, stack: StackJson): void {
  mkdirSync(join(dir, 'stacks', name), { recursive: true });
  writeFileSync(join(dir, 'stacks', name, 'cdk.tf.json'), JSON.stringify(stack, null, 2));
}

/**
 * Runs `terraform <args>` in a batch folder after `terraform get`: local modules need
 * Terraform's module manifest, which `get` writes without touching providers (no download,
 * no lock-file hashing). The providers are the run's shared servers where they can be
 * (test/support/provider-server.ts).
 * @param requiredProviders the batch root's `terraform.required_providers`
 * @returns what Terraform printed (stdout; stderr too when `withStderr`, or when stdout is empty)
 */
function runBatch(
  tf: OfflineTerraform,
  dir: string,
  requiredProviders: unknown,
  args: string[],
  withStderr = false,
): Promise<string> {
  execFileSync(tf.terraform, ['get', '-no-color'], {
    cwd: dir,
    env: terraformEnv(dir),
    timeout: TERRAFORM_TIMEOUT_MS,
    killSignal: 'SIGKILL',
  });
  const env = terraformEnv(dir, sharedProviders(tf.mirror, requiredProviders));
  return new Promise((done) => {
    execFile(
      tf.terraform,
      args,
      {
        cwd: dir,
        env,
        maxBuffer: 256 * 1024 * 1024,
        timeout: TERRAFORM_TIMEOUT_MS,
        killSignal: 'SIGKILL',
      },
      (error, stdout, stderr) => {
        // killed on timeout: say so (the parsers below would see truncated output)
        const killed = error?.killed
          ? `\nterraform ${args[0]}: killed after ${TERRAFORM_TIMEOUT_MS} ms`
          : '';
        done(
          withStderr
            ? `${stdout}\n${stderr}${killed}`
            : stdout.trim()
              ? stdout + killed
              : stderr + killed,
        );
      },
    );
  });
}

/**
 * Validates every stack of `stacks` in one `terraform validate -json`.
 * @param stacks stack ID -> its synthesized JSON; all need the same provider requirements
 *   (one lock file), which every AWS-only stack of the app has
 * @returns stack ID -> its diagnostics as text, `''` when valid
 * @throws Error if a stack holds an `import` block or the stacks need different providers
 */
export async function validateStacks(
  tf: OfflineTerraform,
  stacks: Readonly<Record<string, StackJson>>,
): Promise<Record<string, string>> {
  const ids = Object.keys(stacks);
  const requirements = new Set(
    ids.map((id) => JSON.stringify(stacks[id].terraform?.required_providers ?? {})),
  );
  if (requirements.size !== 1)
    throw new Error(`validateStacks: the stacks need different providers (${[...requirements]})`);
  const root: StackJson = {
    terraform: { required_providers: stacks[ids[0]].terraform?.required_providers },
    module: {},
  };
  // The root's providers come from the tier's shared init (lock file + provider links).
  const dir = initStack(tf, { terraform: root.terraform });
  const variables: StackJson = {};
  for (const id of ids) {
    const copy = withoutBackend(stacks[id]);
    if (copy.import) throw new Error(`validateStacks: ${id} has import blocks (root only)`);
    writeStack(dir, id, copy);
    const args: StackJson = { source: `./stacks/${id}` };
    for (const [name, v] of Object.entries<StackJson>(copy.variable ?? {})) {
      if ('default' in v) continue;
      variables[`${id}__${name}`] = {};
      args[name] = `\${var.${id}__${name}}`;
    }
    root.module[id.replace(/[^A-Za-z0-9_-]/g, '_')] = args;
  }
  if (Object.keys(variables).length > 0) root.variable = variables;
  writeFileSync(join(dir, 'cdk.tf.json'), JSON.stringify(root, null, 2));
  const out = await runBatch(tf, dir, root.terraform.required_providers, [
    'validate',
    '-json',
    '-no-color',
  ]);
  let result: {
    diagnostics: {
      severity: string;
      summary: string;
      detail?: string;
      range?: { filename: string };
    }[];
  };
  try {
    result = JSON.parse(out);
  } catch {
    // not JSON (Terraform failed before validating): every stack gets the output
    return Object.fromEntries(ids.map((id) => [id, `terraform validate -json: ${out}`]));
  }
  const found: Record<string, string[]> = Object.fromEntries(ids.map((id) => [id, []]));
  for (const d of result.diagnostics.filter((x) => x.severity === 'error')) {
    const text = `${d.range?.filename ?? '(no file)'}: ${d.summary}${d.detail ? `: ${d.detail}` : ''}`;
    const owner = ids.find((id) => d.range?.filename.startsWith(`stacks/${id}/`));
    for (const id of owner ? [owner] : ids) found[id].push(text);
  }
  return Object.fromEntries(ids.map((id) => [id, found[id].join('\n')]));
}

/** One stack under `terraform test`: its JSON and its test files (file name -> HCL). */
export interface StackTest {
  readonly stack: StackJson;
  readonly tests: Readonly<Record<string, string>>;
}

/** What `terraform test` reported for one {@link StackTest}. */
export interface StackTestResult {
  /** Runs that passed and that failed (or errored), over the suite's files. */
  readonly passed: number;
  readonly failed: number;
  /** The diagnostics of the suite's files as text (empty when every run passed). */
  readonly output: string;
}

/** A `run "<name>" {` line of a test file (our files put each on its own line). */
const RUN_BLOCK = /^run\s+"[^"]+"\s*\{[ \t]*$/gm;

/**
 * `terraform test` of several stacks in one Terraform process: each stack is a child folder
 * `stacks/<suite>/` of one root, and every `run` block of the suite's test files gets
 * `module { source = "./stacks/<suite>" }`, which makes that stack the configuration under
 * test for the run; `mock_provider` and `override_data` apply to it as to a root
 * (https://developer.hashicorp.com/terraform/language/tests#modules). Saves the fixed cost of a
 * Terraform process per stack (about 5 s of CPU on the 2-core machine: two one-resource
 * suites took 14.4 s together against 8.3 s + 11.4 s alone, 2026-12-01). Stacks are copied
 * without `prevent_destroy` (see `withoutPreventDestroy`).
 * @param suites suite name ([a-z0-9-]) -> stack and test files; all stacks need the same providers
 * @returns suite name -> passed/failed runs and diagnostics
 */
export async function testStacks(
  tf: OfflineTerraform,
  suites: Readonly<Record<string, StackTest>>,
): Promise<Record<string, StackTestResult>> {
  const names = Object.keys(suites);
  const first = suites[names[0]].stack;
  const providers = first.terraform?.required_providers;
  const dir = initStack(tf, { terraform: { required_providers: providers } });
  for (const name of names) {
    if (!/^[a-z0-9-]+$/.test(name)) throw new Error(`testStacks: suite name "${name}"`);
    writeStack(dir, name, withoutBackend(withoutPreventDestroy(suites[name].stack)));
    mkdirSync(join(dir, 'tests'), { recursive: true });
    for (const [file, text] of Object.entries(suites[name].tests)) {
      let rewritten = 0;
      const withModule = text.replace(RUN_BLOCK, (line) => {
        rewritten++;
        return `${line}\n  module {\n    source = "./stacks/${name}"\n  }`;
      });
      // A run block written otherwise would silently test the empty root instead.
      const runs = (text.match(/^\s*run\s+"/gm) ?? []).length;
      if (rewritten !== runs || /^\s*module\s*\{/m.test(text))
        throw new Error(
          `testStacks: ${name}/${file}: write each run block as 'run "<name>" {' on its own line, without a module block (${rewritten} of ${runs} rewritten)`,
        );
      writeFileSync(join(dir, 'tests', `${name}--${file}`), withModule);
    }
  }
  const out = await runBatch(tf, dir, providers, ['test', '-json', '-no-color'], true);
  const results = Object.fromEntries(
    names.map((n) => [n, { passed: 0, failed: 0, output: [] as string[] }]),
  );
  const suiteOf = (path?: string) => names.find((n) => path?.startsWith(`tests/${n}--`));
  for (const line of out.split('\n')) {
    if (!line.startsWith('{')) {
      if (line.trim()) for (const n of names) results[n].output.push(line); // not JSON: everyone's
      continue;
    }
    const m = JSON.parse(line) as {
      type: string;
      '@testfile'?: string;
      '@testrun'?: string;
      test_run?: { path: string; run: string; progress: string; status: string };
      diagnostic?: { severity: string; summary: string; detail?: string };
    };
    if (m.type === 'test_run' && m.test_run?.progress === 'complete') {
      const r = results[suiteOf(m.test_run.path) ?? ''];
      if (r && m.test_run.status === 'pass') r.passed++;
      else if (r) r.failed++;
    } else if (m.type === 'diagnostic' && m.diagnostic?.severity === 'error') {
      const text = `${m['@testfile'] ?? ''} ${m['@testrun'] ?? ''}: ${m.diagnostic.summary}${m.diagnostic.detail ? `: ${m.diagnostic.detail}` : ''}`;
      const owner = suiteOf(m['@testfile']);
      for (const n of owner ? [owner] : names) {
        results[n].output.push(text);
        if (!owner) results[n].failed++;
      }
    }
  }
  return Object.fromEntries(
    names.map((n) => [n, { ...results[n], output: results[n].output.join('\n') }]),
  );
}

/**
 * The {@link testStacks} of one test file: suites are added while jest collects the file
 * (`describe` bodies), and the first test that asks for a result runs all of them in one
 * Terraform process; the others get the same outcome.
 */
export class TestBatch {
  private readonly suites: Record<string, StackTest> = {};
  private running?: Promise<Record<string, StackTestResult>>;

  constructor(private readonly tf: () => OfflineTerraform) {}

  /** Adds a suite (before any {@link result} is asked for). */
  add(name: string, test: StackTest): void {
    if (this.running) throw new Error(`TestBatch: "${name}" added after the batch ran`);
    this.suites[name] = test;
  }

  /** The result of suite `name` (runs the batch on first use). */
  async result(name: string): Promise<StackTestResult> {
    this.running ??= testStacks(this.tf(), this.suites);
    return (await this.running)[name];
  }
}
