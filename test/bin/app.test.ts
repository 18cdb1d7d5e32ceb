/**
 * bin/app.js, the app command of cdktf.json: compiles the sources into `.build/` (only what
 * changed), and maps `.build` positions in printed errors back to the TypeScript sources.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '..', '..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const app = require(join(root, 'bin', 'app.js')) as {
  OUT: string;
  build(): number;
  mapStackText(text: string): string;
};

describe('bin/app.js', () => {
  beforeAll(() => {
    execFileSync(process.execPath, [join(root, 'bin', 'app.js'), '--build-only'], { cwd: root });
  });

  it('is the app command of cdktf.json and of npm run synth:node', () => {
    const cdktf = JSON.parse(readFileSync(join(root, 'cdktf.json'), 'utf8'));
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    expect(cdktf.app).toBe('node bin/app.js');
    expect(pkg.scripts['synth:node']).toBe('CHECKPOINT_DISABLE=1 node bin/app.js');
  });

  it('compiles nothing when nothing changed (an up-to-date tree costs no compile)', () => {
    expect(app.build()).toBe(0);
    expect(app.build()).toBe(0);
  });

  it('compiles every source with a relative source map and records what it compiled', () => {
    const stamp = JSON.parse(readFileSync(join(app.OUT, 'sources.json'), 'utf8'));
    expect(Object.keys(stamp)).toEqual(expect.arrayContaining(['main.ts', 'envs/load.ts']));
    const map = JSON.parse(readFileSync(join(app.OUT, 'stacks', 'app.js.map'), 'utf8'));
    expect(map.sources).toEqual(['../../stacks/app.ts']);
    expect(existsSync(join(app.OUT, 'main.js'))).toBe(true);
  });

  it('finds the data files from the compiled tree', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const paths = require(join(app.OUT, 'envs', 'paths.js')) as { REPO_ROOT: string };
    expect(paths.REPO_ROOT).toBe(root);
  });

  it('maps a compiled frame to its TypeScript line, and leaves other frames alone', () => {
    const lineOf = (file: string, text: string) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .findIndex((l) => l.includes(text)) + 1;
    const js = join(app.OUT, 'stacks', 'app.js');
    const jsLine = lineOf(js, 'function buildLandingZone(');
    const tsLine = lineOf(join(root, 'stacks', 'app.ts'), 'export function buildLandingZone(');
    const text = `Error: x\n    at f (${js}:${jsLine}:1)\n    at g (node:internal/x:1:1)`;
    const mapped = app.mapStackText(text);
    expect(mapped).toContain(`at f (stacks/app.ts:${tsLine}:`);
    expect(mapped).toContain('at g (node:internal/x:1:1)');
  });
});
