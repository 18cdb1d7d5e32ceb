/**
 * main.ts: cdktf's construct validations run once, without the CloudBackend's local
 * `terraform version` probe; the environment is named (or the example announced); a build
 * error is reported without a stack trace.
 */
import { App, CloudBackend, NamedCloudWorkspace, TerraformStack } from 'cdktf';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as app from '../stacks/app';
import { constructValidationErrors, synthesize } from '../main';

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

  it('an error while building is reported without a stack trace (LZ_DEBUG=1 shows it)', () => {
    const spy = jest.spyOn(app, 'buildLandingZone').mockImplementation(() => {
      throw new Error('boom');
    });
    try {
      const result = synthesize({ environment: 'example', outdir, log: () => undefined });
      expect(result).toMatchObject({ ok: false, stage: 'build' });
      const message = result.ok ? '' : result.message;
      expect(message).toMatch(
        /^error while building the stacks: boom\n\(set LZ_DEBUG=1 for the stack trace/,
      );
      expect(message).not.toMatch(/\n\s+at /);
    } finally {
      spy.mockRestore();
    }
  });
});
