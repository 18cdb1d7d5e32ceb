/**
 * Discovery of the Terraform CLI and a provider mirror: the places Terraform itself reads
 * (https://developer.hashicorp.com/terraform/cli/config/config-file#implied-local-mirror-directories,
 * #filesystem_mirror, #provider-plugin-cache), by file checks only.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { discoverTerraform, mirrorsInCliConfig } from './terraform-discovery';

let root: string;
beforeEach(() => (root = mkdtempSync(join(tmpdir(), 'lz-tf-discovery-'))));
afterEach(() => rmSync(root, { recursive: true, force: true }));
const mirrorAt = (dir: string) => {
  mkdirSync(join(dir, 'registry.terraform.io', 'hashicorp', 'aws', '5.100.0', 'linux_amd64'), {
    recursive: true,
  });
  return dir;
};

describe('discoverTerraform', () => {
  it('takes LZ_TF_PROVIDER_MIRROR first', () => {
    const m = mirrorAt(join(root, 'm'));
    expect(discoverTerraform({ LZ_TF_PROVIDER_MIRROR: m, PATH: '' }, root)).toMatchObject({
      mirror: m,
      mirrorFrom: 'LZ_TF_PROVIDER_MIRROR',
    });
  });

  it('reads filesystem_mirror from the CLI configuration file', () => {
    const m = mirrorAt(join(root, 'fsmirror'));
    const rc = join(root, 'cli.tfrc');
    writeFileSync(
      rc,
      `provider_installation {\n  filesystem_mirror {\n    path    = "${m}"\n    include = ["registry.terraform.io/*/*"]\n  }\n}\n`,
    );
    expect(discoverTerraform({ TF_CLI_CONFIG_FILE: rc, PATH: '' }, root)).toMatchObject({
      mirror: m,
      mirrorFrom: rc,
    });
  });

  it("finds an implied local mirror directory under the user's home", () => {
    const m = mirrorAt(join(root, '.terraform.d', 'plugins'));
    if (process.platform !== 'win32')
      expect(discoverTerraform({ PATH: '', XDG_DATA_DIRS: join(root, 'none') }, root).mirror).toBe(
        m,
      );
  });

  it('reports every folder it looked at when there is none, and finds terraform on PATH', () => {
    const bin = join(root, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'terraform'), '#!/bin/sh\n');
    chmodSync(join(bin, 'terraform'), 0o755);
    const found = discoverTerraform({ PATH: bin, XDG_DATA_DIRS: join(root, 'none') }, root);
    expect(found.mirror).toBeUndefined();
    expect(found.looked).toContain(join(root, '.terraform.d', 'plugins'));
    if (process.platform !== 'win32') expect(found.terraform).toBe(join(bin, 'terraform'));
  });

  it('parses filesystem_mirror paths and plugin_cache_dir', () => {
    expect(
      mirrorsInCliConfig(
        'plugin_cache_dir = "/c"\nprovider_installation {\n filesystem_mirror { path = "/m" }\n}',
      ),
    ).toEqual(['/m', '/c']);
  });
});
