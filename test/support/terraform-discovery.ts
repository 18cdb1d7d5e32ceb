/**
 * Finds a Terraform CLI and a filesystem provider mirror without being told, quickly (file
 * checks only, no process is started and no disk is searched), for the offline Terraform tier
 * (test/support/terraform.ts calls it when `LZ_TF_PROVIDER_MIRROR` is unset).
 *
 * Where a mirror may be, in order:
 * 1. `LZ_TF_PROVIDER_MIRROR`;
 * 2. the CLI configuration (`TF_CLI_CONFIG_FILE`, else `~/.terraformrc`, on Windows
 *    `%APPDATA%/terraform.rc`): `filesystem_mirror { path = "…" }` and `plugin_cache_dir`;
 * 3. `TF_PLUGIN_CACHE_DIR` (a plugin cache has the unpacked mirror layout);
 * 4. Terraform's implied local mirror directories: `~/.terraform.d/plugins` (Windows
 *    `%APPDATA%/terraform.d/plugins`), `$XDG_DATA_HOME/terraform/plugins` (default
 *    `~/.local/share/terraform/plugins`), each `<dir>/terraform/plugins` of `$XDG_DATA_DIRS`
 *    (default `/usr/local/share` and `/usr/share`).
 * Sources: https://developer.hashicorp.com/terraform/cli/config/config-file#provider-installation
 * ("Implied Local Mirror Directories", "filesystem_mirror") and #provider-plugin-cache.
 *
 * A folder counts as a mirror when it holds `registry.terraform.io/hashicorp/aws` (the only
 * provider the tier needs).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

export interface TerraformDiscovery {
  /** The CLI (`LZ_TERRAFORM`, else `terraform` found on PATH), or undefined. */
  readonly terraform?: string;
  /** A provider mirror holding hashicorp/aws, or undefined. */
  readonly mirror?: string;
  /** Where the mirror was found (`LZ_TF_PROVIDER_MIRROR`, `~/.terraformrc filesystem_mirror`…). */
  readonly mirrorFrom?: string;
  /** Every folder looked at for a mirror, for the skip message. */
  readonly looked: string[];
}

const isMirror = (dir: string): boolean =>
  existsSync(join(dir, 'registry.terraform.io', 'hashicorp', 'aws'));

/** The `filesystem_mirror` paths and `plugin_cache_dir` of a CLI configuration file (HCL). */
export function mirrorsInCliConfig(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/filesystem_mirror\s*\{[^}]*?\bpath\s*=\s*"([^"]+)"/g))
    out.push(m[1]);
  for (const m of text.matchAll(/^\s*plugin_cache_dir\s*=\s*"([^"]+)"/gm)) out.push(m[1]);
  return out;
}

/** `name` on PATH (with Windows' extensions), or undefined. */
function onPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  const exts = process.platform === 'win32' ? ['.exe', '.cmd', ''] : [''];
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean))
    for (const ext of exts) {
      const file = join(dir, name + ext);
      try {
        if (statSync(file).isFile()) return file;
      } catch {
        // not here
      }
    }
  return undefined;
}

/** Finds the CLI and a mirror (see the module comment for where it looks). */
export function discoverTerraform(
  env: NodeJS.ProcessEnv = process.env,
  home = homedir(),
): TerraformDiscovery {
  const terraform = env.LZ_TERRAFORM || onPath('terraform', env);
  const candidates: [string, string][] = [];
  if (env.LZ_TF_PROVIDER_MIRROR)
    candidates.push([env.LZ_TF_PROVIDER_MIRROR, 'LZ_TF_PROVIDER_MIRROR']);
  const appData = env.APPDATA;
  const rc =
    env.TF_CLI_CONFIG_FILE ??
    (process.platform === 'win32' && appData
      ? join(appData, 'terraform.rc')
      : join(home, '.terraformrc'));
  if (existsSync(rc)) {
    const expand = (p: string) => p.replace(/^~(?=$|[\\/])/, home);
    for (const p of mirrorsInCliConfig(readFileSync(rc, 'utf8'))) candidates.push([expand(p), rc]);
  }
  if (env.TF_PLUGIN_CACHE_DIR) candidates.push([env.TF_PLUGIN_CACHE_DIR, 'TF_PLUGIN_CACHE_DIR']);
  const implied = [
    process.platform === 'win32' && appData
      ? join(appData, 'terraform.d', 'plugins')
      : join(home, '.terraform.d', 'plugins'),
    join(env.XDG_DATA_HOME || join(home, '.local', 'share'), 'terraform', 'plugins'),
    ...(env.XDG_DATA_DIRS || '/usr/local/share:/usr/share')
      .split(':')
      .filter(Boolean)
      .map((d) => join(d, 'terraform', 'plugins')),
  ];
  for (const d of implied) candidates.push([d, 'implied local mirror directory']);
  const found = candidates.find(([dir]) => isMirror(dir));
  return {
    terraform,
    mirror: found?.[0],
    mirrorFrom: found?.[1],
    looked: candidates.map(([dir]) => dir),
  };
}
