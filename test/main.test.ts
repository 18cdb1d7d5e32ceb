/**
 * main.ts: cdktf's construct validations run once, without the CloudBackend's local
 * `terraform version` probe; the environment is named (or the example announced); a build
 * error is reported without a stack trace; the synth goes through a staging directory, so a
 * guardrail failure leaves the previous output as it was.
 */
import { App, CloudBackend, NamedCloudWorkspace, TerraformStack } from 'cdktf';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { stringify } from 'yaml';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { constructValidationErrors, synthesize } from '../main';
import { rawExample } from './support/env';
import { TfcStack } from '../stacks/tfc-stack';

describe('constructValidationErrors', () => {
  it('reports a resource without its provider, with the construct path', () => {
    const app = new App({ skipValidation: true });
    const stack = new TerraformStack(app, 'no-provider');
    new Vpc(stack, 'vpc', { cidrBlock: '10.0.0.0/16' });
    const errors = constructValidationErrors(app);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^no-provider: .*provider/i);
  });

  it('does not run the CloudBackend check of the local terraform binary', () => {
    const app = new App({ skipValidation: true });
    const stack = new TerraformStack(app, 'cloud');
    const backend = new CloudBackend(stack, {
      organization: 'o',
      workspaces: new NamedCloudWorkspace('w'),
    });
    const spy = jest.spyOn(backend.node, 'validate');
    expect(constructValidationErrors(app)).toEqual([]);
    expect(spy).not.toHaveBeenCalled();
  });
});

describe('synthesize: naming the environment', () => {
  const saved = { LZ_ENV: process.env.LZ_ENV, CI: process.env.CI };
  let outdir: string;
  beforeEach(() => {
    outdir = join(mkdtempSync(join(tmpdir(), 'lz-main-')), 'out');
    delete process.env.LZ_ENV;
  });
  afterEach(() => {
    rmSync(join(outdir, '..'), { recursive: true, force: true });
    for (const [k, v] of Object.entries(saved))
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
  });

  it('without LZ_ENV outside CI: the example, and the first line says so', () => {
    const lines: string[] = [];
    const result = synthesize({
      outdir,
      log: (l) => lines.push(l),
      requireExplicitEnvironment: false,
    });
    expect(result.ok).toBe(true);
    expect(lines[0]).toMatch(
      /^environment: .*envs[\\/]example\.yaml \(the example: LZ_ENV is unset; set LZ_ENV=<name> for your own/,
    );
  });

  it('without LZ_ENV in CI: refused before anything is built, nothing written', () => {
    process.env.CI = 'true';
    const result = synthesize({ outdir, log: () => undefined });
    expect(result).toEqual({
      ok: false,
      stage: 'config',
      message: expect.stringContaining(
        'LZ_ENV: required in CI (CI is set): name the environment to synthesize, e.g. LZ_ENV=prod, or LZ_ENV=example for the example',
      ),
    });
    expect(existsSync(outdir)).toBe(false);
  });

  it('refuses cdktf synth --hcl (SYNTH_HCL_OUTPUT) before building: the guardrails read the JSON', () => {
    const saved = process.env.SYNTH_HCL_OUTPUT;
    process.env.SYNTH_HCL_OUTPUT = 'true';
    try {
      const result = synthesize({ environment: 'example', outdir, log: () => undefined });
      expect(result).toMatchObject({ ok: false, stage: 'config' });
      expect(result.ok ? '' : result.message).toContain(
        'SYNTH_HCL_OUTPUT=true (cdktf synth --hcl): not supported',
      );
      expect(existsSync(outdir)).toBe(false);
    } finally {
      if (saved === undefined) delete process.env.SYNTH_HCL_OUTPUT;
      else process.env.SYNTH_HCL_OUTPUT = saved;
    }
  });

  it('an error while building is reported without a stack trace (LZ_DEBUG=1 shows it)', () => {
    const build = () => {
      throw new Error('boom');
    };
    const result = synthesize({ environment: 'example', outdir, log: () => undefined, build });
    expect(result).toMatchObject({ ok: false, stage: 'build' });
    const message = result.ok ? '' : result.message;
    expect(message).toMatch(
      /^error while building the stacks: boom\n\(set LZ_DEBUG=1 for the stack trace/,
    );
    expect(message).not.toMatch(/\n\s+at /);
  });
});

describe('synthesize: staging, then publish', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'lz-main-stage-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  /** An environment file whose only suppression names no resource (a guardrail failure). */
  function failingEnvironment(): string {
    const raw = rawExample();
    raw.guardrails = {
      suppressions: [
        { rule: 'LZ-LOG-001', resource: 'network/nothing', reason: 'exercise the failure path' },
      ],
    };
    const file = join(root, 'failing.yaml');
    writeFileSync(file, stringify(raw));
    return file;
  }

  it('a passing synth replaces what cdktf writes, keeps the Terraform files, leaves no staging', () => {
    const outdir = join(root, 'out');
    const network = join(outdir, 'stacks', 'network');
    mkdirSync(join(network, '.terraform', 'providers'), { recursive: true });
    writeFileSync(join(network, 'cdk.tf.json'), '{"previous":true}');
    writeFileSync(join(network, '.terraform.lock.hcl'), '# lock');
    writeFileSync(join(network, 'terraform.network.tfstate'), '{"version":4}');
    mkdirSync(join(outdir, '.staging-999999999'), { recursive: true }); // a killed run's
    const result = synthesize({ environment: 'example', outdir, log: () => undefined });
    expect(result.ok).toBe(true);
    expect(readdirSync(outdir).sort()).toEqual(['landing-zone.md', 'manifest.json', 'stacks']);
    expect(readFileSync(join(network, 'cdk.tf.json'), 'utf8')).not.toContain('previous');
    // Terraform's working files and a local state survive (cdktf's synthesizer only writes
    // its own files; the CLI reuses the lock file)
    expect(readFileSync(join(network, '.terraform.lock.hcl'), 'utf8')).toBe('# lock');
    expect(readFileSync(join(network, 'terraform.network.tfstate'), 'utf8')).toBe('{"version":4}');
    expect(existsSync(join(network, '.terraform', 'providers'))).toBe(true);
    const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8'));
    for (const s of Object.values<{ synthesizedStackPath: string }>(manifest.stacks))
      expect(existsSync(join(outdir, s.synthesizedStackPath))).toBe(true);
  });

  it('a guardrail failure leaves the previous output untouched', () => {
    const outdir = join(root, 'out');
    mkdirSync(join(outdir, 'stacks', 'network'), { recursive: true });
    writeFileSync(join(outdir, 'manifest.json'), '{"previous":true}');
    writeFileSync(join(outdir, 'stacks', 'network', 'cdk.tf.json'), '{"previous":true}');
    const result = synthesize({ environment: failingEnvironment(), outdir, log: () => undefined });
    expect(result).toMatchObject({ ok: false, stage: 'build' });
    expect(readdirSync(outdir).sort()).toEqual(['manifest.json', 'stacks']);
    expect(readdirSync(join(outdir, 'stacks'))).toEqual(['network']);
    expect(readFileSync(join(outdir, 'manifest.json'), 'utf8')).toBe('{"previous":true}');
    expect(readFileSync(join(outdir, 'stacks', 'network', 'cdk.tf.json'), 'utf8')).toBe(
      '{"previous":true}',
    );
  });
});

describe('synthesize: each stack prepared once', () => {
  it('the TFC stack (prepared last by App.synth) is not prepared again for the overview', () => {
    const outdir = join(mkdtempSync(join(tmpdir(), 'lz-main-prep-')), 'out');
    const spy = jest.spyOn(TfcStack.prototype, 'prepareStack');
    try {
      expect(synthesize({ environment: 'example', outdir, log: () => undefined }).ok).toBe(true);
      // cdktf's App.synth() prepares every stack once (node_modules/cdktf/lib/app.js, synth)
      expect(spy).toHaveBeenCalledTimes(1);
    } finally {
      spy.mockRestore();
      rmSync(join(outdir, '..'), { recursive: true, force: true });
    }
  });
});
