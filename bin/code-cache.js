/**
 * V8's code cache for a CommonJS file that Node would otherwise parse and compile on every
 * start: what Node 22's `module.enableCompileCache` does, which Node 20 lacks; Node 20 has
 * `vm.Script`'s `cachedData` (https://nodejs.org/api/vm.html#scriptcreatecacheddata). Used for
 * the app's bundle (bin/app.js) and for three files of the cdktf CLI (bin/cdktf.js).
 *
 * V8 accepts a cache only for the flags it was made under, and checks the source only by its
 * length. So a cache is named after both: `<name>.<text>-<flags>.cache`, `<text>` the first 32
 * hex digits of the file's sha256 (about 3 ms for the 3.5 MB bundle), `<flags>` 8 of the sha256
 * of the process's V8 and Node flags (`process.execArgv`, `NODE_OPTIONS`, and those set around
 * this file). Without the flags in the name, runs started differently would reject and
 * rewrite each other's cache: `cdktf synth` starts the app with
 * `NODE_OPTIONS=--max-old-space-size=4096` when `NODE_OPTIONS` is unset
 * (@cdktf/cli-core `synth-stack.js`), `npm run synth:node` without it.
 *
 * A cache is written after a run that exited 0, when there was none or V8 rejected it, and
 * holds the bytecode of every function that run compiled; caches of other texts of the same
 * file are removed then (those of the same text under other flags stay). A cache that cannot
 * be written (a read-only folder, a full disk) is skipped: it only saves time.
 */
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const Module = require('node:module');

/**
 * Writes `file` via a temporary file and a rename, so a concurrent reader sees old or new.
 * @param {string} file
 * @param {string | Buffer} data
 */
function writeAtomic(file, data) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}

const sha256 = (data) => crypto.createHash('sha256').update(data).digest('hex');

/** The first 32 hex digits of the sha256 of a file's text: the `<text>` of a cache's name. */
const textHash = (bytes) => sha256(bytes).slice(0, 32);

/**
 * The cache file of a file's text under the process's flags.
 * @param {string} dir folder of the caches
 * @param {string} name the cached file's name (`main.js`, `handlers.js`)
 * @param {Buffer} bytes the file as this run read it
 * @param {readonly string[]} [v8Flags] V8 flags set around this file only (see {@link compileCached})
 * @returns {string} `<dir>/<name>.<text>-<flags>.cache` (see the file comment)
 */
function cacheFileOf(dir, name, bytes, v8Flags = []) {
  const flags = [...process.execArgv, process.env.NODE_OPTIONS ?? '', ...v8Flags].join('\0');
  return path.join(dir, `${name}.${textHash(bytes)}-${sha256(flags).slice(0, 8)}.cache`);
}

/**
 * Removes the caches of `name` in `dir` made from another text than `text` (all of them
 * without `text`).
 * @param {string} dir
 * @param {string} name
 * @param {string} [text] the `<text>` part of the caches to keep, whatever their flags
 */
function removeCaches(dir, name, text) {
  for (const f of fs.existsSync(dir) ? fs.readdirSync(dir) : [])
    if (f.startsWith(`${name}.`) && f.endsWith('.cache'))
      if (text === undefined || !f.startsWith(`${name}.${text}-`))
        fs.rmSync(path.join(dir, f), { force: true });
}

/** How many {@link withV8Flags} calls have each flag set now (they nest). */
const flagDepth = new Map();

/**
 * Runs `fn` with V8 flags set, each set back to its opposite (`--no-x` to `--x`) when the
 * outermost call that set it returns: for flags whose process default is that opposite
 * (v8.setFlagsFromString, https://nodejs.org/api/v8.html#v8setflagsfromstringflags). A V8
 * flag changes V8's flag hash, so while it is set, Node does not accept its own code cache of
 * a built-in module loaded then: hence only around what needs it.
 * @param {readonly string[]} flags such as `['--no-validate-asm']`
 * @param {() => T} fn
 * @returns {T} what `fn` returns
 * @template T
 */
function withV8Flags(flags, fn) {
  if (flags.length === 0) return fn();
  const v8 = require('node:v8');
  for (const flag of flags) {
    const depth = flagDepth.get(flag) ?? 0;
    if (depth === 0) v8.setFlagsFromString(flag);
    flagDepth.set(flag, depth + 1);
  }
  try {
    return fn();
  } finally {
    for (const flag of flags) {
      const depth = flagDepth.get(flag) - 1;
      flagDepth.set(flag, depth);
      if (depth === 0)
        v8.setFlagsFromString(
          flag.startsWith('--no-') ? `--${flag.slice(5)}` : `--no-${flag.slice(2)}`,
        );
    }
  }
}

/**
 * Compiles a CommonJS file wrapped as Node wraps a module, with the cache of this very text
 * (and flags) when there is one, and (unless `write` is false) arranges for a new cache to be
 * written when this process exits 0.
 * @param {string} file absolute path (the script's name in stack traces)
 * @param {string} dir folder of the caches
 * @param {{ write?: boolean, v8Flags?: readonly string[] }} [options] `write` (default true):
 *   false reads a cache but never writes one (for a run that compiles only a small part of
 *   the file); `v8Flags` (default none): V8 flags set while the file is compiled, while its
 *   module function runs and while its cache is made (see {@link withV8Flags})
 * @returns {Function} the module function `(exports, require, module, __filename, __dirname)`
 * @throws what reading or compiling `file` throws (a syntax error names the file)
 */
function compileCached(file, dir, { write = true, v8Flags = [] } = {}) {
  const bytes = fs.readFileSync(file);
  const name = path.basename(file);
  const cacheFile = cacheFileOf(dir, name, bytes, v8Flags);
  let cachedData;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    // first run of this text (under these flags): no cache yet
  }
  const script = withV8Flags(
    v8Flags,
    () =>
      new vm.Script(Module.wrap(bytes.toString('utf8')), {
        filename: file,
        cachedData,
        // `import()` inside the file, as in a module Node loaded itself (Node >= 20.12)
        importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
      }),
  );
  if (write && (!cachedData || script.cachedDataRejected)) {
    process.on('exit', (code) => {
      if (code !== 0) return;
      try {
        writeAtomic(
          cacheFile,
          withV8Flags(v8Flags, () => script.createCachedData()),
        );
        removeCaches(dir, name, textHash(bytes));
      } catch {
        // no cache this time: the next run compiles again
      }
    });
  }
  const fn = withV8Flags(v8Flags, () => script.runInThisContext());
  return function (...args) {
    return withV8Flags(v8Flags, () => fn.apply(this, args));
  };
}

/**
 * The `require` a module function gets, as Node's own (`makeRequireFunction`,
 * lib/internal/modules/helpers.js): `resolve` (with `paths`), `main` (the main module when it
 * is made), `extensions`, `cache`.
 * @param {Module} module
 * @returns {NodeJS.Require}
 */
function requireOf(module) {
  const req = (id) => module.require(id);
  req.resolve = (request, options) => Module._resolveFilename(request, module, false, options);
  req.resolve.paths = (request) => Module._resolveLookupPaths(request, module);
  req.main = process.mainModule;
  req.extensions = Module._extensions;
  req.cache = Module._cache;
  return req;
}

module.exports = { writeAtomic, cacheFileOf, removeCaches, withV8Flags, compileCached, requireOf };
