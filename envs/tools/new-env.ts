/**
 * `npm run new-env -- <name> [--prefix <prefix>] [--company "<Company>"] [--domain <domain>]
 * [--tfc-org <organization>]`: writes `envs/<name>.yaml` from the example environment with
 * the company name, prefix, Terraform Cloud organization and email domain replaced, every
 * comment and the layout kept, and prints the next steps.
 *
 * Only what changes is rewritten: the scalars are found with the `yaml` package's Document
 * API (`visit`, each node's source `range`) and the comments with its `Lexer`, and each is
 * replaced in place in the example's text, so the new file reads like the example (same
 * order, comments, flow style, quoting). The result is validated before anything is written;
 * an existing file is never overwritten.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Lexer, Scalar, isScalar, parseDocument, visit } from 'yaml';
import { parseEnvironment } from '../load';

/** What {@link scaffold} puts in place of the example's names. */
export interface ScaffoldOptions {
  /** Environment name: the file is `envs/<name>.yaml`, selected with `LZ_ENV=<name>`. */
  readonly name: string;
  /** Resource and workspace prefix (default: `name`, if it is a valid prefix). */
  readonly prefix?: string;
  /** Company name for descriptions (default: `name`). */
  readonly company?: string;
  /** Email and DNS domain (default `<prefix>.example`, a reserved name that receives no mail). */
  readonly domain?: string;
  /** Terraform Cloud organization (default: `prefix`). */
  readonly tfcOrganization?: string;
}

const ENV_NAME = /^[a-z0-9][a-z0-9_-]*$/;
const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The example's text with its names replaced.
 * @param example the example environment's YAML text
 * @throws Error if a value is not usable (the message names the option)
 */
export function scaffold(example: string, options: ScaffoldOptions): string {
  if (!ENV_NAME.test(options.name))
    throw new Error(`name "${options.name}": use lowercase letters, digits, "-" or "_"`);
  const prefix = options.prefix ?? options.name;
  const doc = parseDocument(example);
  const str = (path: string[]): string => String(doc.getIn(path) ?? '');
  const firstEmail = Object.values(
    (doc.toJS().organization?.accounts ?? {}) as Record<string, { email?: string }>,
  ).find((a) => a.email)?.email;
  const old = {
    company: str(['name']),
    prefix: str(['prefix']),
    org: str(['terraformCloud', 'organization']),
    domain: firstEmail?.split('@')[1] ?? '',
  };
  const next = {
    company: options.company ?? options.name,
    prefix,
    org: options.tfcOrganization ?? prefix,
    domain: options.domain ?? `${prefix}.example`,
  };
  // Longest first, so `acme-analytics` and `acme.example` are not taken for the prefix `acme`.
  const rules: [RegExp, string][] = (
    [
      [old.company, next.company, false],
      [old.org, next.org, true],
      [old.domain, next.domain, true],
      [old.prefix, next.prefix, true],
    ] as const
  )
    .filter(([from]) => from !== '')
    .map(([from, to, word]) => [
      new RegExp(word ? `\\b${escape(from)}\\b` : escape(from), 'g'),
      to,
    ]);
  const substitute = (text: string): string =>
    rules.reduce((t, [re, to]) => t.replace(re, () => to), text);

  const edits: { start: number; end: number; text: string }[] = [];
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value !== 'string' || !node.range) return;
      const value = substitute(node.value);
      if (value === node.value) return;
      const [start, end] = node.range;
      const text =
        node.type === Scalar.QUOTE_DOUBLE
          ? JSON.stringify(value)
          : node.type === Scalar.QUOTE_SINGLE
            ? `'${value.replace(/'/g, "''")}'`
            : /^[\w .@/+-]+$/.test(value) && !/^[\s-]/.test(value)
              ? value
              : JSON.stringify(value);
      edits.push({ start, end, text });
    },
  });
  let offset = 0;
  for (const token of new Lexer().lex(example)) {
    if (token.startsWith('#')) {
      const text = substitute(token);
      if (text !== token) edits.push({ start: offset, end: offset + token.length, text });
    }
    // The lexer's control tokens (document start, flow end, scalar start) take no source text.
    if (!['\x02', '\x18', '\x1f'].includes(token)) offset += token.length;
  }
  let out = example;
  for (const e of edits.sort((a, b) => b.start - a.start))
    out = out.slice(0, e.start) + e.text + out.slice(e.end);
  // Say where the file came from, below the editor's schema line (which must stay first).
  const origin = `# envs/${options.name}.yaml: made from envs/example.yaml by \`npm run new-env\`; edit freely.\n`;
  const eol = out.indexOf('\n') + 1;
  out = out.startsWith('# yaml-language-server:')
    ? out.slice(0, eol) + origin + out.slice(eol)
    : origin + out;
  const check = parseDocument(out);
  if (!isScalar(check.get('prefix', true)) || check.get('prefix') !== prefix)
    throw new Error(`prefix "${prefix}" could not be set`);
  return out;
}

/** The next steps printed after scaffolding `file` as environment `name`. */
export function nextSteps(file: string, name: string, domain: string): string[] {
  return [
    `wrote ${file}`,
    '',
    'Next steps:',
    `  1. Edit ${file} (your editor checks it against envs/environment.schema.json):`,
    `     - organization.accounts: one unique email per account, on a domain you receive mail for${domain.endsWith('.example') ? ` (now @${domain}: set --domain or edit)` : ''};`,
    '     - identityCenter.users: the example people are placeholders; put your own;',
    '     - network.cidr, clusters, terraformCloud (organization, project, version).',
    `  2. Synthesize it:  LZ_ENV=${name} npx cdktf synth`,
    '     Every problem is listed at once; then read cdktf.out/landing-zone.md (accounts, stacks, workspaces, address plan, trust).',
    '  3. Bootstrap Terraform Cloud and deploy in order: docs/terraform-cloud.md.',
  ];
}

/** Parses `--key value` options after the environment name. */
export function parseArgs(argv: readonly string[]): ScaffoldOptions {
  const [name, ...rest] = argv;
  if (!name || name.startsWith('-'))
    throw new Error(
      'usage: npm run new-env -- <name> [--prefix p] [--company "Name"] [--domain d] [--tfc-org o]',
    );
  const keys: Record<string, keyof ScaffoldOptions> = {
    '--prefix': 'prefix',
    '--company': 'company',
    '--domain': 'domain',
    '--tfc-org': 'tfcOrganization',
  };
  const options: Record<string, string> = { name };
  for (let i = 0; i < rest.length; i += 2) {
    const key = keys[rest[i]];
    if (!key || rest[i + 1] === undefined)
      throw new Error(
        `unknown or incomplete option "${rest[i]}" (known: ${Object.keys(keys).join(', ')})`,
      );
    options[key] = rest[i + 1];
  }
  return options as unknown as ScaffoldOptions;
}

/**
 * Writes `<dir>/<name>.yaml` from `<dir>/example.yaml`.
 * @returns the lines to print
 * @throws Error if the file exists, an option is unusable, or the result does not validate
 *   (nothing is written then)
 */
export function newEnvironment(options: ScaffoldOptions, dir = join(__dirname, '..')): string[] {
  const file = join(dir, `${options.name}.yaml`);
  const shown = relative(process.cwd(), file) || file;
  if (existsSync(file))
    throw new Error(`${shown} exists; not overwritten (pick another name or delete it)`);
  const text = scaffold(readFileSync(join(dir, 'example.yaml'), 'utf8'), options);
  parseEnvironment(parseDocument(text).toJS(), shown); // throws ConfigError with every problem
  writeFileSync(file, text, { flag: 'wx' });
  const prefix = options.prefix ?? options.name;
  return nextSteps(shown, options.name, options.domain ?? `${prefix}.example`);
}

if (require.main === module) {
  try {
    for (const line of newEnvironment(parseArgs(process.argv.slice(2)))) console.log(line);
  } catch (e) {
    console.error((e as Error).message);
    process.exit(1);
  }
}
