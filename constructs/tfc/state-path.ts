/**
 * Where the TFC stack keeps its state while `terraformCloud.stateBackend` is `local` (the first
 * bootstrap step only; afterwards its own workspace holds it).
 *
 * Terraform resolves a relative `backend "local" { path }` against the directory it runs in,
 * which for a cdktf stack is `<outdir>/stacks/<id>` (cdktf 0.21 `lib/manifest.js`,
 * `workingDirectory: path.join(Manifest.stacksFolder, node.id)`). A fixed `../../../…` therefore
 * points elsewhere as soon as `CDKTF_OUTDIR` or `cdktf synth -o` changes the output folder; this
 * module computes the path from the real output folder instead.
 */
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Construct } from 'constructs';
import { TfcWorkspace, type TfcWorkspaceProps } from './workspace';

/** Environment variable naming the directory (absolute) that holds the TFC stack's local state. */
export const TFC_STATE_DIR_VARIABLE = 'LZ_TFC_STATE_DIR';

/**
 * The TFC stack's local state file name for an environment: `terraform.tfc.<prefix>.tfstate`
 * (one per environment, so two environment files never share a state).
 */
export function tfcStateFileName(prefix: string): string {
  return `terraform.tfc.${prefix}.tfstate`;
}

/** Inputs of {@link tfcLocalStatePath}. */
export interface TfcLocalStatePathOptions {
  /** The environment's prefix (names the file). */
  readonly prefix: string;
  /** The stack ID (its folder under `<outdir>/stacks/`). */
  readonly stackId: string;
  /** The app's output folder (`App.outdir`), absolute or relative to `cwd`. */
  readonly outdir: string;
  /** The project root, where the file lives by default (default `process.cwd()`: cdktf runs the app there). */
  readonly cwd?: string;
  /** An absolute directory for the file (default: `LZ_TFC_STATE_DIR`, else `cwd`). */
  readonly stateDir?: string;
}

/**
 * The `path` for the TFC stack's local backend: relative to the stack's folder when both the
 * output folder and the state directory lie inside the project (so synthesized JSON carries no
 * machine path), else absolute.
 * @returns e.g. `../../../terraform.tfc.acme.tfstate` for the default `cdktf.out`
 * @throws Error if the state directory is given but not absolute
 */
export function tfcLocalStatePath(options: TfcLocalStatePathOptions): string {
  const cwd = resolve(options.cwd ?? process.cwd());
  const stateDir = options.stateDir ?? process.env[TFC_STATE_DIR_VARIABLE];
  if (stateDir !== undefined && stateDir !== '' && !isAbsolute(stateDir))
    throw new Error(`${TFC_STATE_DIR_VARIABLE}: "${stateDir}" must be an absolute directory`);
  const dir = stateDir ? resolve(stateDir) : cwd;
  const file = join(dir, tfcStateFileName(options.prefix));
  const stackDir = resolve(cwd, options.outdir, 'stacks', options.stackId);
  const inside = (p: string) => p === cwd || p.startsWith(cwd + sep);
  if (!inside(stackDir) || !inside(dir)) return file;
  return relative(stackDir, file).split(sep).join('/');
}

/**
 * The workspace that holds the TFC stack's own state (`stateBackend: workspace`): in the
 * organization's default project (no `projectId`: outside the landing-zone project the CI teams
 * are granted), `local` execution (the TFC stack always runs on the operator's machine with
 * `TFE_TOKEN`; "HCP Terraform does not evaluate workspace variables or variable sets in local
 * execution mode"), no variables, and `prevent_destroy`.
 * @param scope the TFC stack
 * @param props workspace props; `projectId` and `vcs` are ignored
 */
export function addStateWorkspace(
  scope: Construct,
  props: Omit<TfcWorkspaceProps, 'projectId' | 'vcs'>,
): TfcWorkspace {
  const ws = new TfcWorkspace(scope, 'workspace-state', {
    ...props,
    projectId: undefined,
    vcs: undefined,
  });
  ws.runLocally();
  ws.workspace.addOverride('lifecycle.prevent_destroy', true);
  return ws;
}
