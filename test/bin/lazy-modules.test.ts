/**
 * bin/lazy-modules.js: the packages cdktf loads but our app never calls are stand-ins that load
 * the real package on first use, in the app's bundle (bin/app.js, esbuild `alias`). Checked
 * against cdktf 0.21.0 as installed (node_modules/cdktf/lib): where each package is required,
 * and that nothing else there needs it.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const root = resolve(__dirname, '..', '..');
/* eslint-disable @typescript-eslint/no-require-imports */
const lazyModules = require(join(root, 'bin', 'lazy-modules.js')) as {
  LAZY: Record<string, string>;
  fromCdktf(name: string): any;
  requiredByCdktf(request: string, parent?: { filename?: string }): boolean;
};
/* eslint-enable @typescript-eslint/no-require-imports */

const cdktfLib = dirname(require.resolve('cdktf/lib/index.js'));
const cdktfFiles = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.js'))
    .map((f) => join(dir, f));

describe('bin/lazy-modules.js against cdktf as installed', () => {
  const files = cdktfFiles(cdktfLib);

  it.each(Object.entries(lazyModules.LAZY))(
    '%s: required by %s only, and only called inside functions there',
    (name, where) => {
      const requiring = files.filter((f) => readFileSync(f, 'utf8').includes(`require("${name}")`));
      expect(requiring.map((f) => relative(join(cdktfLib, '..', '..'), f))).toEqual([where]);
      // the binding is used below the top level only (an indented call), never at load time
      const text = readFileSync(requiring[0], 'utf8');
      const binding = new RegExp(`^const (\\w+) = require\\("${name}"\\);$`, 'm').exec(text)![1];
      const uses = text.split('\n').filter((l) => new RegExp(`\\b${binding}\\b`).test(l));
      expect(uses.length).toBeGreaterThan(1);
      for (const line of uses.slice(1)) expect(line).toMatch(/^\s+/);
    },
  );

  it("in a test worker too (test/support/setup-early.ts): cdktf's archiver loads only when used", () => {
    // cdktf and a TerraformAsset (whose file requires archiver) are loaded by now
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    expect(typeof require('cdktf').TerraformAsset).toBe('function');
    const loaded = Object.keys(require.cache).filter((f) =>
      f.includes(`${join('node_modules', 'archiver')}${sep}`),
    );
    expect(loaded).toEqual([]);
  });

  it('requiredByCdktf: only the cdktf file LAZY names, requiring that package', () => {
    const fsJs = { filename: require.resolve('cdktf/lib/private/fs.js') };
    expect(lazyModules.requiredByCdktf('archiver', fsJs)).toBe(true);
    expect(lazyModules.requiredByCdktf('semver', fsJs)).toBe(false);
    expect(lazyModules.requiredByCdktf('archiver', { filename: join(root, 'main.ts') })).toBe(
      false,
    );
    expect(lazyModules.requiredByCdktf('lodash', fsJs)).toBe(false);
    expect(lazyModules.requiredByCdktf('archiver', undefined)).toBe(false);
  });

  it('the stand-ins load the real packages on first use', () => {
    const semver = lazyModules.fromCdktf('semver');
    expect(semver.satisfies('1.11.4', '>=1.2.0')).toBe(true);
    expect(semver.satisfies('0.15.0', '>=1.2.0')).toBe(false);
    const archiver = lazyModules.fromCdktf('archiver');
    const zip = archiver('zip');
    expect(typeof zip.pipe).toBe('function');
    zip.abort();
    expect(() => lazyModules.fromCdktf('lodash')).toThrow('not lazy: lodash');
  });
});
