/**
 * bin/code-cache.js: V8's code cache for a CommonJS file (vm.Script `cachedData`,
 * https://nodejs.org/api/vm.html#scriptcreatecacheddata), named after the file it was made
 * from, written at a successful exit, never a reason for a run to fail. Each case runs in its
 * own Node process (the cache is written by an `exit` handler).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const codeCache = resolve(__dirname, '..', '..', 'bin', 'code-cache.js');

/**
 * Runs `file` through compileCached in a fresh Node process (a script file, so the process's
 * flags are only what `nodeOptions` adds); its exit status and stdout.
 */
function run(
  file: string,
  cacheDir: string,
  { exitCode = 0, nodeOptions = '' } = {},
): { status: number | null; stdout: string } {
  const script = join(file, '..', 'run.js');
  writeFileSync(
    script,
    `const m = { exports: {} };
    require(${JSON.stringify(codeCache)}).compileCached(${JSON.stringify(file)}, ${JSON.stringify(cacheDir)})(m.exports, require, m, ${JSON.stringify(file)}, '.');
    console.log(m.exports.value);
    process.exitCode = ${exitCode};`,
  );
  const env = { ...process.env, NODE_OPTIONS: nodeOptions };
  const r = spawnSync(process.execPath, [script], { encoding: 'utf8', env, timeout: 60_000 });
  return { status: r.status, stdout: r.stdout.trim() };
}

describe('bin/code-cache.js', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lz-code-cache-'));
  const file = join(dir, 'mod.js');
  const caches = join(dir, 'caches');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  // named after the text (V8 itself checks only its length) and the process's flags
  const ofText = () =>
    expect.stringMatching(
      new RegExp(
        `^mod\\.js\\.${createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 32)}-[0-9a-f]{8}\\.cache$`,
      ),
    );

  it('writes the cache of the file it ran after a successful exit, and none after a failed one', () => {
    writeFileSync(file, 'module.exports.value = "one";');
    expect(run(file, caches, { exitCode: 1 })).toEqual({ status: 1, stdout: 'one' });
    expect(() => readdirSync(caches)).toThrow(); // nothing written
    expect(run(file, caches)).toEqual({ status: 0, stdout: 'one' });
    expect(readdirSync(caches)).toEqual([ofText()]);
  });

  it('reads a file as UTF-8, as Node loads a module: an ASCII one and one that is not', () => {
    const other = join(dir, 'text');
    mkdirSync(other, { recursive: true });
    const texts = ['plain ASCII', 'caf\u00e9 \u201Cquoted\u201D \u{1F600}'];
    for (const [i, text] of texts.entries()) {
      const f = join(other, `m${i}.js`);
      // the text as a literal and in a comment, as written (not as escapes)
      writeFileSync(f, `// ${text}\nmodule.exports.value = ${JSON.stringify(text)};`);
      expect(run(f, join(other, 'caches')).stdout).toBe(text);
    }
  });

  it('keeps a cache per set of flags (V8 rejects one made under others), for the same text', () => {
    expect(run(file, caches, { nodeOptions: '--max-old-space-size=4096' }).stdout).toBe('one');
    const both = readdirSync(caches);
    expect(both).toEqual([ofText(), ofText()]);
    // and each is accepted again: a run under either rewrites nothing (V8 rejecting a cache
    // would make the run write it anew)
    const written = both.map((f) => statSync(join(caches, f)).mtimeMs);
    run(file, caches, { nodeOptions: '--max-old-space-size=4096' });
    run(file, caches);
    expect(readdirSync(caches)).toEqual(both);
    expect(both.map((f) => statSync(join(caches, f)).mtimeMs)).toEqual(written);
  });

  it('a changed file of the same length gets its own cache, and the old one goes', () => {
    writeFileSync(file, 'module.exports.value = "two";');
    // V8 would accept the old cache for this text (same length) and run "one": the name keeps
    // it away
    expect(run(file, caches)).toEqual({ status: 0, stdout: 'two' });
    expect(readdirSync(caches)).toEqual([ofText()]); // both caches of "one" went
  });

  it('writes no cache when told not to', () => {
    writeFileSync(file, 'module.exports.value = "four";');
    const script = `
      const m = { exports: {} };
      require(${JSON.stringify(codeCache)}).compileCached(${JSON.stringify(file)}, ${JSON.stringify(caches)}, { write: false })(m.exports, require, m, 'f', '.');`;
    expect(spawnSync(process.execPath, ['-e', script], { timeout: 60_000 }).status).toBe(0);
    expect(readdirSync(caches)).not.toContainEqual(ofText());
  });

  it("gives a module the require Node would: the same members (Node's makeRequireFunction)", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { requireOf } = require(codeCache) as { requireOf(m: NodeJS.Module): NodeJS.Require };
    const ours = requireOf(module);
    expect(Object.keys(ours).sort()).toEqual(Object.keys(require).sort());
    expect(Object.keys(ours.resolve).sort()).toEqual(Object.keys(require.resolve).sort());
    expect(ours.main).toBe(require.main);
    expect(ours.extensions).toBe(require.extensions);
    expect(ours.cache).toBe(require.cache);
    expect(ours.resolve('./code-cache.test')).toBe(require.resolve('./code-cache.test'));
    expect(ours.resolve.paths('x')).toEqual(require.resolve.paths('x'));
  });

  it('runs when the cache cannot be written', () => {
    writeFileSync(file, 'module.exports.value = "three";');
    const notAFolder = join(dir, 'not-a-folder');
    writeFileSync(notAFolder, '');
    expect(run(file, notAFolder)).toEqual({ status: 0, stdout: 'three' });
  });
});
