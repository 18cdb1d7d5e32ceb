/**
 * A `.terraformignore` written into a stack's synthesized folder (`<outdir>/stacks/<id>/`).
 *
 * A CLI-driven run (`cdktf deploy`/`diff` with a `cloud` block) uploads the directory Terraform
 * runs in, which for cdktf is `<outdir>/stacks/<id>` (cdktf 0.21 `lib/manifest.js`:
 * `workingDirectory: path.join(Manifest.stacksFolder, node.id)`; `@cdktf/cli-core`
 * `terraform-cli.js` spawns terraform with `cwd: this.workdir`), and Terraform reads the
 * `.terraformignore` at the root of that upload only ("Note that unlike `.gitignore`, only the
 * `.terraformignore` at the root of the configuration directory is considered.", hashicorp/terraform
 * `website/docs/cli/cloud/settings.mdx`). So the file has to be emitted into every stack folder
 * at synth time.
 */
import type { TerraformStack } from 'cdktf';
import { addCustomSynthesis } from 'cdktf/lib/synthesize/synthesizer';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * What a stack folder may hold that must never be uploaded: local state of `LZ_BACKEND=local`
 * runs and its backups, crash logs, saved plans. The defaults Terraform applies only when no
 * `.terraformignore` exists ("If this file is not present, the archive will exclude the
 * following by default: .git/ directories, .terraform/ directories (exclusive of
 * .terraform/modules)", same page) are repeated.
 */
export const STACK_TERRAFORMIGNORE = [
  '# written by the landing zone at synth time (constructs/tfc/terraformignore.ts)',
  '.git/',
  '.terraform/',
  '!.terraform/modules/',
  '*.tfstate',
  '*.tfstate.*',
  'crash.log',
  '*.tfplan',
  'plan',
] as const;

/**
 * Makes every synth of `stack` write {@link STACK_TERRAFORMIGNORE} (or `lines`) to
 * `.terraformignore` in the stack's folder.
 * @param stack the stack
 * @param lines the file's lines (default {@link STACK_TERRAFORMIGNORE})
 */
export function addTerraformIgnore(
  stack: TerraformStack,
  lines: readonly string[] = STACK_TERRAFORMIGNORE,
): void {
  addCustomSynthesis(stack, {
    onSynthesize(session) {
      const dir = join(session.outdir, session.manifest.forStack(stack).workingDirectory);
      writeFileSync(join(dir, '.terraformignore'), `${lines.join('\n')}\n`);
    },
  });
}
