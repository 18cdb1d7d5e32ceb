/**
 * bin/app.js, the app command of cdktf.json: bundles the app into `.build/main.js` with esbuild
 * (only when a source, the bundler or the installed packages changed), runs the bundle with
 * V8's code cache, and maps bundle positions in printed errors back to the TypeScript sources.
 */
import { isAscii } from 'node:buffer';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
    // no per-test timeout under jest-light-runner (docs/testing.md): each child process has one
    execFileSync(process.execPath, [join(root, 'bin', 'app.js'), '--build-only'], {
      cwd: root,
      timeout: 120_000,
    });
  });

  it('is the app command of cdktf.json and of npm run synth:node', () => {
    const cdktf = JSON.parse(readFileSync(join(root, 'cdktf.json'), 'utf8'));
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    expect(cdktf.app).toBe('node bin/app.js');
    expect(pkg.scripts['synth:node']).toBe('CHECKPOINT_DISABLE=1 node bin/app.js');
  });

  it('bundles nothing when nothing changed (an up-to-date tree costs one stat per source)', () => {
    expect(app.build()).toBe(0);
    expect(app.build()).toBe(0);
  });

  it('records every source and what the bundle depends on; the map is relative to the bundle', () => {
    const stamp = JSON.parse(readFileSync(join(app.OUT, 'sources.json'), 'utf8'));
    expect(Object.keys(stamp)).toEqual(
      expect.arrayContaining(['main.ts', 'envs/load.ts', 'stacks/app.ts']),
    );
    expect(stamp['//build']).toMatch(
      /^esbuild \d+\.\d+\.\d+ \| node \d+\.\d+\.\d+ \| tsconfig .* \| packages .* \| lock /,
    );
    const map = JSON.parse(readFileSync(join(app.OUT, 'main.js.map'), 'utf8'));
    expect(map.sources).toEqual(expect.arrayContaining(['../stacks/app.ts', '../main.ts']));
    // No sourceMappingURL comment: Node would otherwise not care, but tools that honour it
    // would load a 9 MB map for every run.
    expect(readFileSync(join(app.OUT, 'main.js'), 'utf8')).not.toMatch(/sourceMappingURL=/);
    // ASCII only (esbuild charset ascii, no comments, no license comments): a non-ASCII
    // character in a regular expression literal, which esbuild keeps as written
    // (https://esbuild.github.io/api/#charset; seen with esbuild 0.28.2), would make
    // V8's UTF-8 decoding of the bundle take its slow path again (about 20 ms more per run)
    expect(isAscii(readFileSync(join(app.OUT, 'main.js')))).toBe(true);
    // bin/lazy-modules.js: cdktf's archiver and semver are stand-ins, their packages not inlined
    expect(map.sources).toEqual(
      expect.arrayContaining(['../bin/lazy/archiver.js', '../bin/lazy/semver.js']),
    );
    expect(map.sources.filter((s: string) => /node_modules\/(archiver|semver)\//.test(s))).toEqual(
      [],
    );
    // and, after a successful run, V8's code cache of the bundle (main.js.<file id>.cache)
    expect(
      readdirSync(app.OUT).filter((f) => f !== 'sources.json' && !/^main\.js\..+\.cache$/.test(f)),
    ).toEqual(['main.js', 'main.js.map']);
  });

  it('maps a bundle frame to its TypeScript line, and leaves other frames alone', () => {
    // 1-based line and column of `text` in `file` (the bundle's whitespace is minified)
    const at = (file: string, text: string) => {
      const lines = readFileSync(file, 'utf8').split('\n');
      const line = lines.findIndex((l) => l.includes(text));
      return { line: line + 1, column: lines[line].indexOf(text) + 1 };
    };
    const js = join(app.OUT, 'main.js');
    const fn = at(js, 'function buildLandingZone(');
    const tsLine = at(join(root, 'stacks', 'app.ts'), 'export function buildLandingZone(').line;
    const text = `Error: x\n    at f (${js}:${fn.line}:${fn.column})\n    at g (node:internal/x:1:1)`;
    const mapped = app.mapStackText(text);
    expect(mapped).toContain(`at f (stacks/app.ts:${tsLine}:`);
    expect(mapped).toContain('at g (node:internal/x:1:1)');
  });

  it('synthesizes the example through the bundle (data files found from .build/)', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'lz-bundle-'));
    try {
      const r = spawnSync(process.execPath, [join(root, 'bin', 'app.js')], {
        cwd: root,
        encoding: 'utf8',
        env: { ...process.env, CDKTF_OUTDIR: outdir, LZ_ENV: 'example', LZ_BACKEND: 'local' },
        timeout: 120_000,
      });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/^stacks: 9$/m);
      expect(existsSync(join(outdir, 'stacks', 'platform-main-01', 'cdk.tf.json'))).toBe(true);
      // The run left V8's code cache of exactly this bundle text (named after its sha256,
      // since V8 itself checks only the source length, and after the run's flags, one cache per
      // set: `npm run synth` starts the app with other V8 flags than `node bin/app.js`;
      // bin/code-cache.js), which V8 accepts under the flags the run had.
      const hash = createHash('sha256')
        .update(readFileSync(join(app.OUT, 'main.js')))
        .digest('hex');
      const caches = readdirSync(app.OUT).filter((f) => f.endsWith('.cache'));
      expect(caches.length).toBeGreaterThan(0);
      for (const cache of caches)
        expect(cache).toMatch(new RegExp(`^main\\.js\\.${hash.slice(0, 32)}-[0-9a-f]{8}\\.cache$`));
      const check = `
        const { Script } = require('node:vm'); const { readFileSync } = require('node:fs');
        const bundle = ${JSON.stringify(join(app.OUT, 'main.js'))};
        const source = require('node:module').wrap(readFileSync(bundle, 'utf8'));
        const caches = ${JSON.stringify(caches.map((c) => join(app.OUT, c)))};
        console.log(caches.some((c) => !new Script(source, { filename: bundle, cachedData: readFileSync(c) }).cachedDataRejected));`;
      const accepted = spawnSync(process.execPath, ['-e', check], {
        encoding: 'utf8',
        env: process.env, // the app run's
        timeout: 60_000,
      });
      expect(accepted.stdout.trim()).toBe('true');
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  it('no source uses an ARCHIVE asset (cdktf zips those by running its own file, the bundle here)', () => {
    // node_modules/cdktf/lib/private/fs.js: execSync(`node ${__filename} ${src} ${dest}`)
    const sources = execFileSync('git', ['ls-files', 'main.ts', 'envs', 'constructs', 'stacks'], {
      cwd: root,
      encoding: 'utf8',
      timeout: 60_000,
    })
      .split('\n')
      .filter((f) => f.endsWith('.ts'));
    const offenders = sources.filter((f) =>
      /AssetType\.ARCHIVE/.test(readFileSync(join(root, f), 'utf8')),
    );
    expect(offenders).toEqual([]);
  });
});
