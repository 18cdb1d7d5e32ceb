/**
 * `npm run new-env -- <name>`: the example with the company, prefix, TFC organization and email
 * domain replaced, comments and layout kept, validated before it is written, never overwriting.
 */
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ConfigError, parseEnvironment } from '../../../envs/load';
import { newEnvironment, parseArgs, scaffold } from '../../../envs/tools/new-env';

const exampleFile = join(__dirname, '..', '..', '..', 'envs', 'example.yaml');
const example = readFileSync(exampleFile, 'utf8');
const comments = (text: string) => text.split('\n').filter((l) => /^\s*#/.test(l)).length;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lz-new-env-'));
  copyFileSync(exampleFile, join(dir, 'example.yaml'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('scaffold', () => {
  const text = scaffold(example, { name: 'globex', company: 'Globex Corp', domain: 'globex.com' });
  const env = parseEnvironment(parse(text));

  it('replaces the prefix, company, TFC organization and every email domain', () => {
    expect(env.prefix).toBe('globex');
    expect(env.name).toBe('Globex Corp');
    expect(env.terraformCloud.organization).toBe('globex');
    const emails = [
      ...Object.values(env.organization.accounts).map((a) => a.email),
      ...Object.values(env.identityCenter.users).map((u) => u.email),
    ];
    expect(emails.length).toBeGreaterThan(2);
    for (const e of emails) expect(e).toMatch(/@globex\.com$/);
    expect(text).not.toMatch(/acme/i);
  });

  it('keeps every comment and the line layout of the example, the schema line first', () => {
    expect(comments(text)).toBe(comments(example) + 1); // + the line saying where it came from
    expect(text.split('\n').length).toBe(example.split('\n').length + 1);
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=./environment.schema.json');
    expect(text.split('\n')[1]).toContain('made from envs/example.yaml by `npm run new-env`');
  });

  it('defaults: prefix = name, organization = prefix, domain <prefix>.example', () => {
    const env2 = parseEnvironment(parse(scaffold(example, { name: 'initech' })));
    expect([env2.prefix, env2.name, env2.terraformCloud.organization]).toEqual([
      'initech',
      'initech',
      'initech',
    ]);
    expect(env2.organization.accounts.security.email).toMatch(/@initech\.example$/);
  });
});

describe('newEnvironment', () => {
  it('writes <name>.yaml and prints the next steps (synth with LZ_ENV, the overview)', () => {
    const lines = newEnvironment({ name: 'globex', domain: 'globex.com' }, dir);
    expect(existsSync(join(dir, 'globex.yaml'))).toBe(true);
    expect(lines.join('\n')).toContain('LZ_ENV=globex npx cdktf synth');
    expect(lines.join('\n')).toContain('cdktf.out/landing-zone.md');
  });

  it('refuses to overwrite an existing file and leaves it as it was', () => {
    writeFileSync(join(dir, 'globex.yaml'), 'mine\n');
    expect(() => newEnvironment({ name: 'globex' }, dir)).toThrow(/exists; not overwritten/);
    expect(readFileSync(join(dir, 'globex.yaml'), 'utf8')).toBe('mine\n');
  });

  it('writes nothing when the result does not validate (one-letter prefix and organization), naming the fields', () => {
    let error: unknown;
    try {
      newEnvironment({ name: 'x' }, dir);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      'prefix: must be 2-16 lowercase letters, digits or hyphens, starting with a letter',
      'terraformCloud.organization: must be 3-40 letters, digits, underscores or hyphens',
    ]);
    expect(existsSync(join(dir, 'x.yaml'))).toBe(false);
  });

  it('refuses a name that LZ_ENV could not select', () => {
    expect(() => newEnvironment({ name: '../evil' }, dir)).toThrow(/lowercase letters/);
  });
});

describe('parseArgs', () => {
  it('reads the name and the options', () => {
    expect(
      parseArgs(['prod', '--prefix', 'acme2', '--company', 'Acme Two', '--tfc-org', 'a2']),
    ).toEqual({
      name: 'prod',
      prefix: 'acme2',
      company: 'Acme Two',
      tfcOrganization: 'a2',
    });
  });
  it('refuses an unknown option and a missing name with the usage', () => {
    expect(() => parseArgs(['prod', '--prefx', 'a'])).toThrow(
      /unknown or incomplete option "--prefx"/,
    );
    expect(() => parseArgs([])).toThrow(/usage: npm run new-env -- <name>/);
  });
});
