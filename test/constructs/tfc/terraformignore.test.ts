/**
 * `.terraformignore` in each synthesized stack folder. A CLI-driven run uploads the directory
 * Terraform runs in (`<outdir>/stacks/<id>`, cdktf 0.21 `lib/manifest.js`), and "only the
 * `.terraformignore` at the root of the configuration directory is considered"; without the file
 * the defaults are ".git/ directories" and ".terraform/ directories (exclusive of
 * .terraform/modules)" (hashicorp/terraform `website/docs/cli/cloud/settings.mdx`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Testing, TerraformStack } from 'cdktf';
import { addTerraformIgnore } from '../../../constructs/tfc/terraformignore';

describe('addTerraformIgnore', () => {
  it('writes the file into the stack folder at synth, keeping the defaults and dropping state and plans', () => {
    const app = Testing.app();
    const a = new TerraformStack(app, 'alpha');
    new TerraformStack(app, 'beta');
    addTerraformIgnore(a);
    app.synth();
    const file = join(app.outdir, 'stacks', 'alpha', '.terraformignore');
    const lines = readFileSync(file, 'utf8').split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        '.git/',
        '.terraform/',
        '!.terraform/modules/',
        '*.tfstate',
        '*.tfstate.*',
      ]),
    );
    expect(existsSync(join(app.outdir, 'stacks', 'beta', '.terraformignore'))).toBe(false);
  });
});
