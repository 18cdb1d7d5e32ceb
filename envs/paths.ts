/**
 * Where the repository's data files are, for code that may run bundled: `bin/app.js` bundles
 * the app into `<root>/.build/main.js`, where every module's `__dirname` is `<root>/.build`;
 * from the sources (tsx, jest) this module's is `<root>/envs`. Both are one level below the
 * root.
 */
import { resolve } from 'node:path';

/** The folder (under the repository root) the compiled app lives in; gitignored. */
export const BUILD_DIR = '.build';

/** The repository root: the parent of `envs/`, or of `.build/` when bundled. */
export const REPO_ROOT: string = resolve(__dirname, '..');

/**
 * A path inside the source tree, whether the caller runs from source or compiled.
 * @param segments path segments relative to the repository root (e.g. `'envs', 'example.yaml'`)
 * @returns the absolute path
 */
export function sourcePath(...segments: string[]): string {
  return resolve(REPO_ROOT, ...segments);
}
