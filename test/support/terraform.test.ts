/**
 * The offline tier's shared `terraform init` templates (terraform.ts, `initTemplate`): one init
 * per provider set and run, also when both workers ask at once. Terraform here is a stand-in
 * script that records its calls and leaves what an init leaves (`.terraform.lock.hcl`,
 * `.terraform/providers`), or fails as an init does (exit 1, the error on stderr).
 */
import { spawn } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initTemplate, templateFolder, type OfflineTerraform } from './terraform';

const PROVIDERS = { aws: { source: 'aws', version: '5.100.0' } };

let root: string;
let templates: string;
let tf: OfflineTerraform;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'lz-tf-template-'));
  templates = join(root, 'lz-tf-init');
  const fake = join(root, 'terraform');
  writeFileSync(
    fake,
    [
      '#!/bin/sh',
      `echo "$1" >> "${join(root, 'calls')}"`,
      `if [ -f "${join(root, 'fail')}" ]; then echo "Error: no provider in the mirror" >&2; exit 1; fi`,
      'mkdir -p .terraform/providers && touch .terraform.lock.hcl',
      '',
    ].join('\n'),
  );
  chmodSync(fake, 0o755);
  tf = { available: true, reason: '', terraform: fake, mirror: join(root, 'mirror') };
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** The Terraform commands the stand-in ran. */
const calls = () => {
  const file = join(root, 'calls');
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
};

const posix = process.platform !== 'win32';

(posix ? describe : describe.skip)('initTemplate', () => {
  it('initialises once per provider set; the next stack reuses the template', () => {
    const first = initTemplate(tf, PROVIDERS, templates);
    expect(first).toBe(templateFolder(PROVIDERS, templates));
    expect(existsSync(join(first, '.terraform.lock.hcl'))).toBe(true);
    expect(initTemplate(tf, PROVIDERS, templates)).toBe(first);
    expect(calls()).toEqual(['init']);
  });

  it('waits for the init of the worker that holds the lock instead of running its own', async () => {
    const template = templateFolder(PROVIDERS, templates);
    mkdirSync(`${template}.lock`, { recursive: true });
    // the other worker: its template is in place 0.3 s from now
    const other = spawn('sh', [
      '-c',
      `sleep 0.3; mkdir -p "${template}/.terraform/providers"; touch "${template}/.terraform.lock.hcl"`,
    ]);
    const exited = new Promise((done) => other.on('exit', done));
    const started = Date.now();
    expect(initTemplate(tf, PROVIDERS, templates)).toBe(template);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(calls()).toEqual([]);
    await exited;
  });

  it("runs its own init when the lock holder's failed, so that each worker reports the error", () => {
    writeFileSync(join(root, 'fail'), '');
    expect(() => initTemplate(tf, PROVIDERS, templates)).toThrow(/no provider in the mirror/);
    const template = templateFolder(PROVIDERS, templates);
    expect(existsSync(`${template}.failed`)).toBe(true);
    // a second worker (the lock is taken): it does not wait, it tries and reports the same
    const started = Date.now();
    expect(() => initTemplate(tf, PROVIDERS, templates)).toThrow(/no provider in the mirror/);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(calls()).toEqual(['init', 'init']);
  });
});
