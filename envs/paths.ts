/**
 * Where the repository's data files are, for code that may run compiled: `bin/app.js`
 * compiles the sources into `<root>/.build/` (same tree), and a compiled module's `__dirname`
 * is then `<root>/.build/<dir>`, not `<root>/<dir>`.
 */
import { basename, dirname, resolve } from 'node:path';

/** The folder (under the repository root) the compiled app lives in; gitignored. */
export const BUILD_DIR = '.build';

/**
 * The repository root: the parent of `envs/`, also when this module runs from
 * `<root>/.build/envs/paths.js`.
 */
export const REPO_ROOT: string = (() => {
  const up = resolve(__dirname, '..');
  return basename(up) === BUILD_DIR ? dirname(up) : up;
})();

/**
 * A path inside the source tree, whether the caller runs from source or compiled.
 * @param segments path segments relative to the repository root (e.g. `'envs', 'example.yaml'`)
 * @returns the absolute path
 */
export function sourcePath(...segments: string[]): string {
  return resolve(REPO_ROOT, ...segments);
}
