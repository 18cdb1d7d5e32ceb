#!/usr/bin/env node
/**
 * The app command of cdktf.json (`cdktf synth`, `npm run synth:node`): brings the compiled app
 * in `.build/` (gitignored) up to date with the TypeScript sources, then runs `.build/main.js`
 * with plain Node. A fresh clone needs no build step: the first run compiles everything.
 *
 * Why compiled, and why this way (measurements in docs/performance.md):
 * - Plain Node on compiled JavaScript skips tsx's start-up and its scan of every `.js` file it
 *   loads; that is most of the distance between a synth and the floor (Node plus requiring
 *   cdktf and the provider modules).
 * - Only sources that changed since the last run are compiled, each on its own with
 *   TypeScript's `transpileModule` (the project sets `isolatedModules`, so a file compiles the
 *   same on its own as in a whole-program build; this is what tsx and esbuild do too). A run
 *   with nothing changed costs one `stat` per source file; a run after an edit about 0.5 s
 *   more (loading TypeScript). Type checking stays `npm run typecheck` (CI runs it), as it was
 *   under tsx: a full incremental `tsc` build costs 3-4 s even when nothing changed.
 * - Source maps (`.js.map` beside each file, paths relative) are read only when a real error's
 *   stack is formatted: cdktf captures a stack trace for every token it creates, and mapping
 *   those frames is about a third of a synth. See {@link mapStackText}.
 *
 * Sources: `main.ts` and every `.ts` file under `envs/`, `constructs/`, `stacks/`
 * (`.d.ts` excluded); they keep finding their data files (envs/*.yaml, the local Helm chart)
 * through `envs/paths.ts`, which maps `.build/<dir>` back to `<dir>`. The stamp file
 * `.build/sources.json` records each source's mtime and size, plus the compiler version and
 * tsconfig.json; outputs of deleted sources are removed.
 *
 * Options: `--build-only` compiles and exits (nothing is synthesized).
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');

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

/** Writes `file` via a temporary file and a rename, so a concurrent reader sees old or new. */
function writeAtomic(file, text) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

/** The output `.js` of a repo-relative source path. */
const outputOf = (rel) => path.join(OUT, rel.replace(/\.ts$/, '.js'));

/**
 * Compiles every source whose signature changed since the stamp (all of them when the
 * compiler version or tsconfig.json changed) and removes outputs of deleted sources.
 * @returns the number of files compiled
 * @throws Error listing the syntax errors of every file that failed to compile
 */
function build() {
  let previous = {};
  try {
    previous = JSON.parse(fs.readFileSync(STAMP, 'utf8'));
  } catch {
    // no stamp yet: compile everything
  }
  const list = sources();
  // The compiler's version from its package.json (cheap), so an up-to-date tree costs no
  // `require('typescript')`: the same key is written and compared on every run.
  const tsVersion = JSON.parse(
    fs.readFileSync(require.resolve('typescript/package.json', { paths: [ROOT] }), 'utf8'),
  ).version;
  const current = {
    '//compiler': `${signature(path.join(ROOT, 'tsconfig.json'))} ${signature(__filename)} typescript ${tsVersion}`,
  };
  for (const rel of list) current[rel] = signature(path.join(ROOT, rel));
  const stale = previous['//compiler'] === current['//compiler'] ? previous : {};
  const changed = list.filter(
    (rel) => stale[rel] !== current[rel] || !fs.existsSync(outputOf(rel)),
  );
  const removed = Object.keys(previous).filter((rel) => !rel.startsWith('//') && !(rel in current));
  if (changed.length === 0 && removed.length === 0) return 0;

  for (const rel of removed) {
    fs.rmSync(outputOf(rel), { force: true });
    fs.rmSync(`${outputOf(rel)}.map`, { force: true });
  }
  if (changed.length > 0) {
    const ts = require('typescript');
    const config = ts.readConfigFile(path.join(ROOT, 'tsconfig.json'), ts.sys.readFile);
    const { options } = ts.convertCompilerOptionsFromJson(config.config.compilerOptions, ROOT);
    Object.assign(options, { noEmit: false, sourceMap: true, inlineSources: false });
    const errors = [];
    for (const rel of changed) {
      const out = outputOf(rel);
      const r = ts.transpileModule(fs.readFileSync(path.join(ROOT, rel), 'utf8'), {
        compilerOptions: options,
        fileName: path.basename(rel),
        reportDiagnostics: true,
      });
      const diagnostics = r.diagnostics ?? [];
      if (diagnostics.length > 0) {
        errors.push(
          ts.formatDiagnostics(
            diagnostics.map((d) => ({ ...d, file: d.file && { ...d.file, fileName: rel } })),
            {
              getCanonicalFileName: (f) => f,
              getCurrentDirectory: () => ROOT,
              getNewLine: () => '\n',
            },
          ),
        );
        delete current[rel]; // compile it again next run
        continue;
      }
      const map = JSON.parse(r.sourceMapText);
      map.file = path.basename(out);
      map.sources = [
        path.relative(path.dirname(out), path.join(ROOT, rel)).split(path.sep).join('/'),
      ];
      writeAtomic(`${out}.map`, JSON.stringify(map));
      writeAtomic(out, r.outputText);
    }
    if (errors.length > 0) {
      writeAtomic(STAMP, JSON.stringify(current));
      throw new Error(`TypeScript syntax errors:\n${errors.join('')}`);
    }
  }
  writeAtomic(STAMP, JSON.stringify(current));
  return changed.length;
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
 * Why not `--enable-source-maps` or an `Error.prepareStackTrace` hook: cdktf captures a stack
 * trace for every token it creates, so both would run for tens of thousands of traces per
 * synth (a hook alone, even one that maps nothing, adds a third to the CPU time). This runs
 * only on text that is printed, i.e. for real errors.
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

if (require.main === module) {
  try {
    build();
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  }
  if (!process.argv.includes('--build-only')) {
    mapErrorOutput();
    // Run `.build/main.js` as the main module (`require.main === module` holds there).
    process.argv[1] = path.join(OUT, 'main.js');
    Module.runMain();
  }
}

module.exports = { build, mapStackText, OUT };
