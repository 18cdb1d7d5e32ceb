#!/usr/bin/env node
/**
 * The app command of cdktf.json (`cdktf synth`, `npm run synth:node`): brings the bundle
 * `.build/main.js` (gitignored) up to date with the TypeScript sources, then runs it with plain
 * Node. A fresh clone needs no build step: the first run bundles.
 *
 * Why a bundle, and why this way (measurements in docs/performance.md):
 * - Plain Node on one JavaScript file skips tsx's start-up and its scan of every `.js` file it
 *   loads, and Node's module resolution for the ~1,000 files the app requires (cdktf, the
 *   provider resources, zod, yaml): a stat and a package.json lookup per `require`.
 * - esbuild (https://esbuild.github.io/api/#build) strips the types of each source on its own
 *   (the project sets `isolatedModules`, so a file compiles the same alone as in a whole
 *   program) and inlines what `main.ts` imports. It runs only when a source, tsconfig.json,
 *   this file, esbuild or the installed packages changed; an up-to-date tree costs one `stat`
 *   per source file. Type checking stays `npm run typecheck` (CI runs it).
 * - The bundle runs with V8's code cache (`.build/main.js.<text>-<flags>.cache`,
 *   {@link runBundle}): a run after the first compiles almost nothing.
 * - Source maps (`.build/main.js.map`, paths relative to it, no `sourceMappingURL` comment) are
 *   read only when a real error's stack is formatted: see {@link mapStackText}.
 *
 * Sources: `main.ts` and every `.ts` file under `envs/`, `constructs/`, `stacks/`
 * (`.d.ts` excluded); they find their data files (envs/*.yaml, the local Helm chart) through
 * `envs/paths.ts` (the bundle's `__dirname` is `.build`, one level below the root like
 * `envs/`). The stamp file `.build/sources.json` records each source's mtime and size and the
 * build key ({@link buildKey}).
 *
 * Options: `--build-only` bundles and exits (nothing is synthesized).
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const LAZY_MODULES = require.resolve('./lazy-modules');
const { LAZY } = require(LAZY_MODULES);
const { writeAtomic, removeCaches, compileCached, requireOf } = require('./code-cache');

const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, '.build');
const STAMP = path.join(OUT, 'sources.json');
const SOURCE_DIRS = ['envs', 'constructs', 'stacks'];

/** Repo-relative paths of every source file. */
function sources() {
  const found = ['main.ts'];
  const walk = (dir) => {
    for (const e of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      const rel = path.join(dir, e.name);
      if (e.isDirectory()) walk(rel);
      else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) found.push(rel);
    }
  };
  SOURCE_DIRS.forEach(walk);
  return found;
}

/** `mtime:size` of a file, the unit of change detection. */
function signature(file) {
  const s = fs.statSync(file);
  return `${s.mtimeMs}:${s.size}`;
}

/** The bundle `node bin/app.js` runs, and its source map (`<bundle>.map`). */
const BUNDLE = path.join(OUT, 'main.js');
/** Removes every code cache of the bundle (bin/code-cache.js). */
const removeCodeCaches = () => removeCaches(OUT, path.basename(BUNDLE));

/**
 * What else the bundle is made of, besides the sources: the bundler, its settings, and the
 * installed packages it inlines (npm rewrites `node_modules/.package-lock.json` on every
 * install, so `npm ci` after a dependency bump rebuilds).
 */
function buildKey() {
  const optional = (file) => (fs.existsSync(file) ? signature(file) : 'none');
  const esbuild = JSON.parse(
    fs.readFileSync(require.resolve('esbuild/package.json', { paths: [ROOT] }), 'utf8'),
  ).version;
  return [
    `esbuild ${esbuild}`,
    `node ${process.versions.node}`,
    `tsconfig ${signature(path.join(ROOT, 'tsconfig.json'))}`,
    `app.js ${signature(__filename)}`,
    ...[LAZY_MODULES, ...Object.keys(LAZY).map((n) => path.join(__dirname, 'lazy', `${n}.js`))].map(
      (f) => `${path.relative(ROOT, f)} ${signature(f)}`,
    ),
    `packages ${optional(path.join(ROOT, 'node_modules', '.package-lock.json'))}`,
    `lock ${optional(path.join(ROOT, 'package-lock.json'))}`,
  ].join(' | ');
}

/**
 * Bundles `main.ts` with everything it imports (the sources and the packages under
 * `node_modules`) into {@link BUNDLE} with esbuild, when a source or the {@link buildKey}
 * changed since the stamp. esbuild strips the types of each TypeScript file on its own, as
 * `isolatedModules` promises is safe; type checking is `npm run typecheck`.
 * @returns 1 if it bundled, 0 if the bundle was up to date
 * @throws Error listing every syntax error or unresolved import (`file:line:column: message`)
 */
function build() {
  let previous = {};
  try {
    previous = JSON.parse(fs.readFileSync(STAMP, 'utf8'));
  } catch {
    // no stamp yet: bundle
  }
  const current = { '//build': buildKey() };
  for (const rel of sources()) current[rel] = signature(path.join(ROOT, rel));
  const same =
    fs.existsSync(BUNDLE) &&
    Object.keys(current).length === Object.keys(previous).length &&
    Object.entries(current).every(([k, v]) => previous[k] === v);
  if (same) return 0;

  const esbuild = require(require.resolve('esbuild', { paths: [ROOT] }));
  // Written beside the bundle (source paths in the map are relative to it), then renamed.
  const tmp = path.join(OUT, `main.${process.pid}.tmp.js`);
  fs.mkdirSync(OUT, { recursive: true });
  let result;
  try {
    result = esbuild.buildSync({
      absWorkingDir: ROOT,
      entryPoints: ['main.ts'],
      outfile: tmp,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: `node${process.versions.node.split('.')[0]}`,
      // No sourceMappingURL comment: bin/app.js reads `<bundle>.map` itself, only for errors.
      sourcemap: 'external',
      // An ASCII bundle: esbuild writes non-ASCII characters of strings and names as escapes
      // (`charset: 'ascii'`, its default, pinned here: https://esbuild.github.io/api/#charset)
      // but keeps comments and regular-expression literals as written (so the sources write
      // those as escapes); minified whitespace drops the comments, and `legalComments: 'none'`
      // the license comments esbuild would otherwise gather at the end (this bundle is a local
      // build artifact, gitignored, never distributed). Decoding the bundle then takes about
      // 4 ms, where the 5.2 MB unminified bundle, whose comments held non-ASCII text, took
      // 23-25 ms (V8's UTF-8 decoder is fast for ASCII only). Names are not minified: stack
      // traces keep them, and are mapped to the sources (mapStackText).
      charset: 'ascii',
      minifyWhitespace: true,
      legalComments: 'none',
      tsconfig: path.join(ROOT, 'tsconfig.json'),
      // Packages cdktf loads but we never call, replaced by stand-ins (bin/lazy-modules.js).
      alias: Object.fromEntries(Object.keys(LAZY).map((name) => [name, `./bin/lazy/${name}.js`])),
      logLevel: 'silent',
      write: true,
      metafile: true,
    });
  } catch (e) {
    for (const f of [tmp, `${tmp}.map`]) fs.rmSync(f, { force: true });
    const errors = (e && e.errors) || [];
    if (errors.length === 0) throw e;
    throw new Error(
      `bundling failed (syntax errors or unresolved imports):\n${errors
        .map((m) =>
          m.location
            ? `${m.location.file}:${m.location.line}:${m.location.column + 1}: ${m.text}`
            : m.text,
        )
        .join('\n')}`,
    );
  }
  // The alias applies to the whole bundle: it is meant for cdktf's requires only.
  const strays = Object.entries(result.metafile.inputs).flatMap(([file, input]) =>
    input.imports
      .filter(
        (i) =>
          i.original in LAZY &&
          !file.endsWith(`node_modules/${LAZY[i.original].split(path.sep).join('/')}`),
      )
      .map((i) => `${file} requires ${i.original}`),
  );
  if (strays.length > 0) {
    for (const f of [tmp, `${tmp}.map`]) fs.rmSync(f, { force: true });
    throw new Error(
      `bundling failed: bin/lazy-modules.js replaces these packages for cdktf only, but:\n${strays.join('\n')}`,
    );
  }
  // Into place, map first: whoever runs the new bundle finds its map.
  fs.renameSync(`${tmp}.map`, `${BUNDLE}.map`);
  fs.renameSync(tmp, BUNDLE);
  removeCodeCaches();
  // What an earlier layout of `.build/` left (per-file output folders): not read any more.
  for (const e of fs.readdirSync(OUT, { withFileTypes: true }))
    if (e.isDirectory()) fs.rmSync(path.join(OUT, e.name), { recursive: true, force: true });
  writeAtomic(STAMP, JSON.stringify(current));
  return 1;
}

/** Parsed source maps of `.build` files by output path (`null`: none). */
const maps = new Map();

/** `file:line:column` (1-based) of a generated position in its TypeScript source, or undefined. */
function original(file, line, column) {
  let map = maps.get(file);
  if (map === undefined) {
    try {
      map = new Module.SourceMap(JSON.parse(fs.readFileSync(`${file}.map`, 'utf8')));
    } catch {
      map = null;
    }
    maps.set(file, map);
  }
  const entry = map?.findEntry(line - 1, column - 1);
  if (!entry || entry.originalSource === undefined) return undefined;
  const source = path.resolve(path.dirname(file), entry.originalSource);
  const shown = path.relative(process.cwd(), source);
  return `${shown.startsWith('..') ? source : shown}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
}

const FRAME = new RegExp(
  `${OUT.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[^\\s():]*\\.js:(\\d+):(\\d+)`,
  'g',
);

/**
 * Rewrites every `.build/<file>.js:<line>:<column>` in `text` (a stack trace, an error
 * message) to the TypeScript source position, e.g. `stacks/app.ts:52:11`.
 *
 * Why not `--enable-source-maps`: Node would read and parse the 9 MB map on every run. This
 * runs only on text that is printed, i.e. for real errors; the map is parsed on first use.
 */
function mapStackText(text) {
  return text.replace(FRAME, (at, line, column) => {
    const file = at.slice(0, at.length - `:${line}:${column}`.length);
    return original(file, Number(line), Number(column)) ?? at;
  });
}

/** Maps `.build` positions in everything printed to stderr through `console.error`, and in uncaught errors. */
function mapErrorOutput() {
  const error = console.error.bind(console);
  console.error = (...args) =>
    error(...args.map((a) => (typeof a === 'string' ? mapStackText(a) : a)));
  process.on('uncaughtException', (e) => {
    error(mapStackText(e instanceof Error ? (e.stack ?? String(e)) : String(e)));
    process.exit(1);
  });
}

/**
 * Runs the bundle as the main module (`require.main === module` holds in it) with V8's code
 * cache (bin/code-cache.js: `.build/main.js.<text>-<flags>.cache`): the bytecode of
 * every function the last successful run compiled, so this run neither parses the 3.5 MB bundle
 * nor compiles those functions again.
 */
function runBundle() {
  const main = new Module(BUNDLE, null);
  main.filename = BUNDLE;
  main.paths = Module._nodeModulePaths(OUT);
  main.loaded = true;
  Module._cache[BUNDLE] = main;
  const req = requireOf(main);
  req.main = main;
  const run = compileCached(BUNDLE, OUT);
  process.argv[1] = BUNDLE;
  run(main.exports, req, main, BUNDLE, OUT);
}

if (require.main === module) {
  try {
    build();
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  }
  if (!process.argv.includes('--build-only')) {
    mapErrorOutput();
    runBundle();
  }
}

module.exports = { build, mapStackText, OUT };
