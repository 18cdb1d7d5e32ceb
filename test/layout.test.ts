/**
 * The layout is the architecture: layers import one way, `envs/` (config) ← `constructs/` ←
 * `stacks/` ← `main.ts`, there are no import cycles, and no file of code (sources, `bin/`, and
 * the tests, which mirror the sources) grows past the size a reader can hold. Imports are read with TypeScript's own scanner (`ts.preProcessFile`), type-only
 * imports included.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const root = resolve(__dirname, '..');
const LAYERS = ['envs', 'constructs', 'stacks', 'main.ts'] as const;
/** Longest source file, lines (about 400, as the contributors' standards say; a file this long should be split by responsibility). */
const MAX_LINES = 420;

function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map((f) => join(dir, f))
    .sort();
}

const files = ['main.ts', ...sources('envs'), ...sources('constructs'), ...sources('stacks')];
const known = new Set(files);

/** Repo-relative source files `file` imports (relative specifiers only). */
function importsOf(file: string): string[] {
  const info = ts.preProcessFile(readFileSync(join(root, file), 'utf8'), true, true);
  return info.importedFiles
    .map((f) => f.fileName)
    .filter((s) => s.startsWith('.'))
    .map((s) => {
      const base = relative(root, resolve(root, dirname(file), s));
      return [`${base}.ts`, join(base, 'index.ts'), base].find((c) => known.has(c)) ?? base;
    });
}

const graph = new Map(files.map((f) => [f, importsOf(f)]));
const layerOf = (f: string) => LAYERS.findIndex((l) => f === l || f.startsWith(`${l}/`));

describe('repository layout', () => {
  it('imports only from the same or a lower layer (envs ← constructs ← stacks ← main.ts)', () => {
    const upward = [...graph].flatMap(([f, deps]) =>
      deps.filter((d) => layerOf(d) > layerOf(f)).map((d) => `${f} → ${d}`),
    );
    expect(upward).toEqual([]);
  });

  it('has no import cycles', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (f: string, path: string[]) => {
      if (state.get(f) === 'done') return;
      if (state.get(f) === 'open') {
        cycles.push([...path.slice(path.indexOf(f)), f].join(' → '));
        return;
      }
      state.set(f, 'open');
      for (const d of graph.get(f) ?? []) visit(d, [...path, f]);
      state.set(f, 'done');
    };
    for (const f of files) visit(f, []);
    expect(cycles).toEqual([]);
  });

  it(`keeps every source file under ${MAX_LINES} lines`, () => {
    const long = files
      .map((f) => [f, readFileSync(join(root, f), 'utf8').split('\n').length] as const)
      .filter(([, n]) => n > MAX_LINES)
      .map(([f, n]) => `${f}: ${n} lines`);
    expect(long).toEqual([]);
  });

  it(`keeps every file of bin/ and test/ under ${MAX_LINES} lines (a long test file is split by the source or the aspect it covers)`, () => {
    const code = ['bin', 'test']
      .flatMap((dir) =>
        readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' }).map((f) =>
          join(dir, f),
        ),
      )
      .filter((f) => /\.(ts|js|mjs|cjs)$/.test(f) && !f.endsWith('.d.ts'));
    expect(code.length).toBeGreaterThan(100);
    const long = code
      .map((f) => [f, readFileSync(join(root, f), 'utf8').split('\n').length] as const)
      .filter(([, n]) => n > MAX_LINES)
      .map(([f, n]) => `${f}: ${n} lines`);
    expect(long).toEqual([]);
  });

  it('resolves every relative import to a source file', () => {
    const broken = [...graph].flatMap(([f, deps]) =>
      deps.filter((d) => !known.has(d) && !/\.(json|ya?ml)$/.test(d)).map((d) => `${f} → ${d}`),
    );
    expect(broken).toEqual([]);
  });
});
