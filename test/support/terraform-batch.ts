/**
 * `terraform validate` of many stacks in one Terraform process: each stack becomes a child
 * module (`stacks/<id>/cdk.tf.json`, backend dropped) of one root that calls them all.
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
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { initStack, type OfflineTerraform } from './terraform';

/** A stack's Terraform JSON (untyped by nature). */
type StackJson = Record<string, any>;

/** Terraform's environment for the tier's commands (no machine CLI config). */
function tfEnv(cliConfig: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    TF_IN_AUTOMATION: '1',
    CHECKPOINT_DISABLE: '1',
    TF_CLI_CONFIG_FILE: cliConfig,
  };
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
    const copy = JSON.parse(JSON.stringify(stacks[id]));
    if (copy.import) throw new Error(`validateStacks: ${id} has import blocks (root only)`);
    delete copy.terraform?.backend;
    delete copy.terraform?.cloud;
    mkdirSync(join(dir, 'stacks', id), { recursive: true });
    writeFileSync(join(dir, 'stacks', id, 'cdk.tf.json'), JSON.stringify(copy, null, 2));
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
  // Local modules need Terraform's module manifest; `terraform get` writes it without
  // touching providers (no download, no lock-file hashing).
  const cliConfig = join(dir, '.terraformrc');
  writeFileSync(cliConfig, '');
  execFileSync(tf.terraform, ['get', '-no-color'], { cwd: dir, env: tfEnv(cliConfig) });

  const out = await new Promise<string>((done) => {
    execFile(
      tf.terraform,
      ['validate', '-json', '-no-color'],
      { cwd: dir, env: tfEnv(cliConfig), maxBuffer: 64 * 1024 * 1024 },
      (_error, stdout) => done(stdout),
    );
  });
  const result = JSON.parse(out) as {
    diagnostics: {
      severity: string;
      summary: string;
      detail?: string;
      range?: { filename: string };
    }[];
  };
  const found: Record<string, string[]> = Object.fromEntries(ids.map((id) => [id, []]));
  for (const d of result.diagnostics.filter((x) => x.severity === 'error')) {
    const text = `${d.range?.filename ?? '(no file)'}: ${d.summary}${d.detail ? `: ${d.detail}` : ''}`;
    const owner = ids.find((id) => d.range?.filename.startsWith(`stacks/${id}/`));
    for (const id of owner ? [owner] : ids) found[id].push(text);
  }
  return Object.fromEntries(ids.map((id) => [id, found[id].join('\n')]));
}
