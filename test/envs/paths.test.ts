/**
 * envs/paths.ts: data files are found from the source tree (here) and from the bundle in
 * `.build/` (test/bin/app.test.ts synthesizes through it).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BUILD_DIR, REPO_ROOT, sourcePath } from '../../envs/paths';

describe('envs/paths', () => {
  it('finds the repository root and its data files from the sources', () => {
    expect(REPO_ROOT).toBe(resolve(__dirname, '..', '..'));
    expect(JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).name).toBe(
      'landing-zone',
    );
    expect(existsSync(sourcePath('envs', 'example.yaml'))).toBe(true);
    expect(
      existsSync(sourcePath('constructs', 'platform', 'charts', 'manifests', 'Chart.yaml')),
    ).toBe(true);
  });

  it('names a gitignored build folder', () => {
    const ignored = readFileSync(join(REPO_ROOT, '.gitignore'), 'utf8').split('\n');
    expect(ignored).toContain(`${BUILD_DIR}/`);
  });
});
