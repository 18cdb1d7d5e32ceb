/**
 * Generates the environment reference from the zod schema (`envs/schema.ts`), the one source
 * of truth for what an environment file may say:
 * - `envs/environment.schema.json`: a JSON Schema (draft-07, zod 4's `z.toJSONSchema` in
 *   `input` mode, so fields with defaults are optional) that editors use through the
 *   `# yaml-language-server: $schema=./environment.schema.json` line of an environment file
 *   (completion, hover text, typos flagged);
 * - `docs/environment.md`: every field with its type, default and description (the field's
 *   `.describe()` text).
 *
 * The JSON Schema checks each field on its own; the cross-field rules (references between
 * sections, overlaps, quotas) run only in the synth (`envs/load.ts`).
 *
 * Usage: `npm run docs:env` writes both files; `npm run docs:env -- --check` exits 1 if
 * either is stale. test/envs/tools/generate-reference.test.ts fails when they are stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { environmentSchema } from '../schema';

/** A JSON Schema node, as far as the reference reads it. */
export interface JsonSchema {
  readonly type?: string | string[];
  readonly description?: string;
  readonly default?: unknown;
  readonly properties?: Record<string, JsonSchema>;
  readonly required?: string[];
  readonly additionalProperties?: JsonSchema | boolean;
  readonly propertyNames?: JsonSchema;
  readonly items?: JsonSchema;
  readonly anyOf?: JsonSchema[];
  readonly oneOf?: JsonSchema[];
  readonly enum?: unknown[];
  readonly const?: unknown;
  readonly pattern?: string;
  readonly format?: string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly [key: string]: unknown;
}

/** File name of the JSON Schema, beside the environment files. */
export const JSON_SCHEMA_FILE = 'environment.schema.json';

/** The line that points editors (yaml-language-server) at the JSON Schema. */
export const SCHEMA_COMMENT = `yaml-language-server: $schema=./${JSON_SCHEMA_FILE}`;

/** The environment's JSON Schema (draft-07; a field with a default is optional). */
export function environmentJsonSchema(): JsonSchema {
  const schema = z.toJSONSchema(environmentSchema, {
    io: 'input',
    target: 'draft-7',
    unrepresentable: 'any',
  }) as Record<string, unknown>;
  return {
    $schema: schema.$schema,
    $id: `https://landing-zone.invalid/${JSON_SCHEMA_FILE}`,
    title: 'Landing zone environment',
    description:
      'One environment of the landing zone (envs/<name>.yaml). Generated from envs/schema.ts by `npm run docs:env`; do not edit.',
    ...schema,
  };
}

/** One row of the reference: a field path and what the schema says about it. */
interface Row {
  readonly path: string;
  readonly type: string;
  readonly fallback: string;
  readonly description: string;
}

/**
 * Inline code. Text that Markdown would read as a link (`[a-z](…)`, common in patterns) or a
 * table cell break (`|`) is written as HTML `<code>` with those characters as entities.
 */
const code = (s: string): string =>
  /\]\(|\||`/.test(s)
    ? `<code>${s
        .replace(/&/g, '&amp;')
        .replace(/</g, '&lt;')
        .replace(/\(/g, '&#40;')
        .replace(/\|/g, '&#124;')
        .replace(/`/g, '&#96;')}</code>`
    : `\`${s}\``;
const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** A short type for a node: `string`, `integer 1–65535`, `"a" \| "b"`, `list of string`. */
function typeOf(node: JsonSchema): string {
  if (node.const !== undefined) return code(JSON.stringify(node.const));
  if (node.enum) return node.enum.map((v) => code(JSON.stringify(v))).join(', ');
  const options = node.anyOf ?? node.oneOf;
  if (options) return [...new Set(options.map(typeOf))].join(' or ');
  const t = Array.isArray(node.type) ? node.type.join(' or ') : (node.type ?? 'any');
  const bounds = (lo?: number, hi?: number, unit = ''): string =>
    lo !== undefined && hi !== undefined
      ? ` ${lo}–${hi}${unit}`
      : lo !== undefined
        ? ` ≥ ${lo}${unit}`
        : hi !== undefined
          ? ` ≤ ${hi}${unit}`
          : '';
  if (t === 'array') {
    const item = node.items ? typeOf(node.items) : 'any';
    return `list of ${item}${bounds(node.minItems, node.maxItems, ' items')}`;
  }
  if (t === 'object' && !node.properties && typeof node.additionalProperties === 'object') {
    const value = node.additionalProperties;
    const keys = node.propertyNames?.pattern ? ` (keys ${code(node.propertyNames.pattern)})` : '';
    return `map${keys} of ${objectOf(value) ? 'object' : typeOf(value)}`;
  }
  if (t === 'string') {
    if (node.format) return `string (${node.format})`;
    if (node.pattern) return `string ${code(node.pattern)}`;
    return `string${bounds(node.minLength, node.maxLength, ' chars')}`;
  }
  if (t === 'integer' || t === 'number') return `${t}${bounds(node.minimum, node.maximum)}`;
  return t;
}

/** The object schema inside a node (through `anyOf` options that are objects), if any. */
function objectOf(node: JsonSchema): JsonSchema | undefined {
  if (node.properties) return node;
  return (node.anyOf ?? node.oneOf)?.find((o) => o.properties);
}

/** Every field under `node`, depth first, as reference rows. */
function rows(node: JsonSchema, path: string, required: boolean): Row[] {
  const out: Row[] = [];
  if (path) {
    out.push({
      path,
      type: typeOf(node),
      fallback:
        node.default !== undefined
          ? code(JSON.stringify(node.default))
          : required
            ? '**required**'
            : 'optional',
      description: node.description ?? '',
    });
  }
  const obj = objectOf(node);
  if (obj?.properties) {
    for (const [key, child] of Object.entries(obj.properties))
      out.push(...rows(child, path ? `${path}.${key}` : key, (obj.required ?? []).includes(key)));
  }
  const value =
    typeof node.additionalProperties === 'object' ? node.additionalProperties : undefined;
  if (value && !obj && objectOf(value)) out.push(...rows(value, `${path}.<key>`, true).slice(1));
  if (node.items && objectOf(node.items)) out.push(...rows(node.items, `${path}[]`, true).slice(1));
  return out;
}

/** `docs/environment.md`: the generated reference, one table per top-level section. */
export function renderReference(schema: JsonSchema = environmentJsonSchema()): string {
  const lines = [
    '# Environment reference',
    '',
    '<!-- Generated from envs/schema.ts by `npm run docs:env`; do not edit. -->',
    '',
    'An environment is one YAML file under `envs/`, validated against one zod schema',
    '(`envs/schema.ts`) before any construct is built. Select it with **`LZ_ENV`**: a name',
    '(`LZ_ENV=prod` reads `envs/prod.yaml`) or a path to a `.yaml`/`.json` file. Unset, the',
    'example (`envs/example.yaml`) is used, and the synth says so.',
    '',
    'Start a new one with `npm run new-env -- <name>`: it copies the example with your prefix,',
    'names and emails, keeps the comments, and refuses to overwrite a file. Every environment file',
    `starts with \`# ${SCHEMA_COMMENT}\`, so editors with the YAML language server (VS Code's`,
    'YAML extension, JetBrains IDEs, Neovim) complete keys, show these descriptions and flag',
    `typos against [\`envs/${JSON_SCHEMA_FILE}\`](../envs/${JSON_SCHEMA_FILE}).`,
    '',
    'A bad file stops the synth with every problem listed once as `path: rule` (type problems',
    'and the cross-field rules together), exits non-zero and writes nothing to `cdktf.out`:',
    '',
    '```',
    'envs/prod.yaml: 3 problem(s) in the environment:',
    '  - clusters.main-01.kubernetesVersion: expected a string: write "1.35" (quoted); YAML reads 1.35 as a number',
    '  - network.vpcCdir: unknown key (did you mean "vpcCidr"?)',
    '  - identityCenter.users.jdoe.groups[1]: unknown group "admins"',
    '```',
    '',
    'Write versions and other numbers-as-text in quotes (`"1.35"`, `"012345678901"`). Keys in',
    '`<key>` positions are yours to choose (lowercase letters, digits, hyphens unless the row',
    'says otherwise). `LZ_BACKEND=local` switches every stack from the Terraform Cloud backend to',
    'a local state file for offline work.',
    '',
    '## Which environment a synth uses, and what it prints',
    '',
    'Unset, `LZ_ENV` falls back to the example so `npx cdktf synth` works on a fresh clone, and the',
    "synth's first line says so. With `CI` set (as CI systems do) `LZ_ENV` is required: a pipeline",
    'names its environment (`LZ_ENV=example` for the example); deploy jobs use the same variable.',
    'Every synth prints the environment file, the backend, one line per stack (resources, workspace,',
    'account), the guardrail result and where the overview is: `cdktf.out/landing-zone.md`, a',
    'picture of *your* landing zone (accounts, stacks, workspaces and their edges, address plan,',
    'which workspace each role trusts, Helm releases per cluster, guardrails). What the example',
    'produces: [example-landing-zone.md](example-landing-zone.md).',
    '',
    'Every npm script sets `CHECKPOINT_DISABLE=1`, which turns off the HashiCorp checkpoint call',
    '(version and security-bulletin check) of the cdktf CLI and Terraform',
    '(https://developer.hashicorp.com/terraform/cli/commands#upgrade-and-security-bulletin-checks);',
    'set it yourself when you call `npx cdktf` directly offline. `npm run synth` also sends',
    "cdktf's own log to `./cdktf.log` (`CDKTF_LOG_FILE_DIRECTORY=.`), so a configuration problem is",
    "printed once, in the CLI's error block, instead of once live and once in that block.",
    '',
    '## Fields',
    '',
    'Columns: **field** (path in the file; `<key>` is a map key, `[]` an item of a list),',
    '**type**, **default** (or **required**/optional) and what it means.',
  ];
  const top = objectOf(schema);
  const sections = Object.entries(top?.properties ?? {});
  const isSection = (node: JsonSchema): boolean => node.type === 'object';
  lines.push('', '## Top level', '');
  lines.push('| field | type | default | meaning |', '| --- | --- | --- | --- |');
  for (const [key, node] of sections.filter(([, n]) => !isSection(n)))
    for (const r of rows(node, key, (top?.required ?? []).includes(key)))
      lines.push(
        `| ${code(r.path)} | ${cell(r.type)} | ${cell(r.fallback)} | ${cell(r.description)} |`,
      );
  for (const [key, node] of sections.filter(([, n]) => isSection(n))) {
    lines.push('', `## ${key}`, '');
    if (node.description) lines.push(node.description, '');
    lines.push('| field | type | default | meaning |', '| --- | --- | --- | --- |');
    for (const r of rows(node, key, (top?.required ?? []).includes(key)))
      lines.push(
        `| ${code(r.path)} | ${cell(r.type)} | ${cell(r.fallback)} | ${cell(r.description)} |`,
      );
  }
  return `${lines.join('\n')}\n`;
}

/** The repository root. */
const ROOT = resolve(__dirname, '..', '..');

/** Every generated file (repo-relative path) with its current content. */
export function generatedFiles(): Record<string, string> {
  const schema = environmentJsonSchema();
  return {
    [join('envs', JSON_SCHEMA_FILE)]: `${JSON.stringify(schema, null, 2)}\n`,
    [join('docs', 'environment.md')]: renderReference(schema),
  };
}

/** Files whose committed content differs from what the generator writes. */
export function staleFiles(root = ROOT): string[] {
  return Object.entries(generatedFiles())
    .filter(([file, text]) => {
      try {
        return readFileSync(join(root, file), 'utf8') !== text;
      } catch {
        return true;
      }
    })
    .map(([file]) => file);
}

if (require.main === module) {
  if (process.argv.includes('--check')) {
    const stale = staleFiles();
    if (stale.length > 0) {
      console.error(`stale (run npm run docs:env): ${stale.join(', ')}`);
      process.exit(1);
    }
  } else {
    for (const [file, text] of Object.entries(generatedFiles())) {
      writeFileSync(join(ROOT, file), text);
      console.log(`wrote ${file}`);
    }
  }
}
