/**
 * V8's code cache for a CommonJS file that Node would otherwise parse and compile on every
 * start: what Node 22's `module.enableCompileCache` does, which Node 20 lacks; Node 20 has
 * `vm.Script`'s `cachedData` (https://nodejs.org/api/vm.html#scriptcreatecacheddata). Used for
 * the app's bundle (bin/app.js) and for the cdktf CLI's two bundle files (bin/cdktf.js).
 *
 * V8 checks a cache against the source's length only (and its own version and flags), so a
 * cache is named after the very text it was made from: `<name>.<sha256 of the file, 32 hex>.cache`
 * (hashing the 5 MB bundle takes about 4 ms). A cache is written after a run that exited 0,
 * when there was none or V8 rejected it, and holds the bytecode of every function that run
 * compiled; older caches of the same name are removed then. A cache that cannot be written (a
 * read-only folder, a full disk) is skipped: it only saves time.
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

/**
 * The cache file of a file's text.
 * @param {string} dir folder of the caches
 * @param {string} name the cached file's name (`main.js`, `handlers.js`)
 * @param {Buffer} bytes the file as this run read it
 * @returns {string} `<dir>/<name>.<first 32 hex digits of its sha256>.cache`
 */
function cacheFileOf(dir, name, bytes) {
  const hash = crypto.createHash('sha256').update(bytes).digest('hex').slice(0, 32);
  return path.join(dir, `${name}.${hash}.cache`);
}

/**
 * Removes every cache of `name` in `dir` except `keep`.
 * @param {string} dir
 * @param {string} name
 * @param {string} [keep] a cache file path to leave
 */
function removeCaches(dir, name, keep) {
  const own = (f) => f.startsWith(`${name}.`) && f.endsWith('.cache');
  for (const f of fs.existsSync(dir) ? fs.readdirSync(dir) : [])
    if (own(f) && path.join(dir, f) !== keep) fs.rmSync(path.join(dir, f), { force: true });
}

/**
 * Compiles a CommonJS file wrapped as Node wraps a module, with the cache of this very text
 * when there is one, and (unless `write` is false) arranges for a new cache to be written when
 * this process exits 0.
 * @param {string} file absolute path (the script's name in stack traces)
 * @param {string} dir folder of the caches
 * @param {{ write?: boolean }} [options] `write` (default true): false reads a cache but never
 *   writes one (for a run that compiles only a small part of the file)
 * @returns {Function} the module function `(exports, require, module, __filename, __dirname)`
 * @throws what reading or compiling `file` throws (a syntax error names the file)
 */
function compileCached(file, dir, { write = true } = {}) {
  const bytes = fs.readFileSync(file);
  const name = path.basename(file);
  const cacheFile = cacheFileOf(dir, name, bytes);
  let cachedData;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    // first run of this text: no cache yet
  }
  const script = new vm.Script(Module.wrap(bytes.toString('utf8')), {
    filename: file,
    cachedData,
    // `import()` inside the file, as in a module Node loaded itself (Node >= 20.12)
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  if (write && (!cachedData || script.cachedDataRejected)) {
    process.on('exit', (code) => {
      if (code !== 0) return;
      try {
        writeAtomic(cacheFile, script.createCachedData());
        removeCaches(dir, name, cacheFile);
      } catch {
        // no cache this time: the next run compiles again
      }
    });
  }
  return script.runInThisContext();
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

module.exports = { writeAtomic, cacheFileOf, removeCaches, compileCached, requireOf };
