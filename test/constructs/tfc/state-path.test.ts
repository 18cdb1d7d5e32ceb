/**
 * The TFC stack's local state path. Terraform resolves a relative local-backend `path` against
 * the directory it runs in, which cdktf sets to `<outdir>/stacks/<id>` (cdktf 0.21
 * `lib/manifest.js`: `workingDirectory: path.join(Manifest.stacksFolder, node.id)`;
 * `@cdktf/cli-core` `models/terraform-cli.js` spawns terraform with `cwd: this.workdir`). So the
 * path, resolved from that directory, must reach the project root's file for any output folder.
 */
import { join, resolve } from 'node:path';
import {
  TFC_STATE_DIR_VARIABLE,
  tfcLocalStatePath,
  tfcStateFileName,
} from '../../../constructs/tfc/state-path';

const cwd = '/srv/repo';
const at = (outdir: string, extra: Partial<Parameters<typeof tfcLocalStatePath>[0]> = {}) =>
  tfcLocalStatePath({ prefix: 'acme', stackId: 'tfc', outdir, cwd, stateDir: '', ...extra });

describe('tfcLocalStatePath', () => {
  it('names the file per environment', () => {
    expect(tfcStateFileName('acme')).toBe('terraform.tfc.acme.tfstate');
    expect(tfcStateFileName('beta')).not.toBe(tfcStateFileName('acme'));
  });

  it.each(['cdktf.out', 'build/synth/out', '/srv/repo/other', './x'])(
    'outdir %s: relative to the stack folder, resolving to the project root file',
    (outdir) => {
      const p = at(outdir);
      expect(p.startsWith('/')).toBe(false);
      const stackDir = resolve(cwd, outdir, 'stacks', 'tfc');
      expect(resolve(stackDir, p)).toBe(join(cwd, 'terraform.tfc.acme.tfstate'));
    },
  );

  it('is ../../../ for the default cdktf.out', () => {
    expect(at('cdktf.out')).toBe('../../../terraform.tfc.acme.tfstate');
  });

  it('is absolute when the output folder is outside the project', () => {
    expect(at('/tmp/out')).toBe('/srv/repo/terraform.tfc.acme.tfstate');
  });

  it(`takes an absolute ${TFC_STATE_DIR_VARIABLE} and refuses a relative one`, () => {
    expect(at('cdktf.out', { stateDir: '/var/lib/lz' })).toBe(
      '/var/lib/lz/terraform.tfc.acme.tfstate',
    );
    expect(at('cdktf.out', { stateDir: '/srv/repo/state' })).toBe(
      '../../../state/terraform.tfc.acme.tfstate',
    );
    expect(() => at('cdktf.out', { stateDir: 'state' })).toThrow(
      'LZ_TFC_STATE_DIR: "state" must be an absolute directory',
    );
  });
});
