/**
 * Packages cdktf requires when it loads but calls only inside functions our app never reaches,
 * loaded on first use instead: bin/lazy/<name>.js stands in for each in bin/app.js's bundle
 * (esbuild `alias`).
 *
 * cdktf 0.21.0 loads 379 modules; 245 of them are these two packages and what they require
 * (archiver brings lodash's per-method modules, readable-stream, compress-commons, glob…).
 * Requiring `cdktf` took 180–270 ms with them and 100–130 ms without (2-core machine,
 * 2026-12-01).
 * - `archiver`: node_modules/cdktf/lib/private/fs.js, called only in `archiveSync`, for
 *   `TerraformAsset`s of `AssetType.ARCHIVE` (ours are `DIRECTORY`: constructs/platform/manifests.ts);
 * - `semver`: node_modules/cdktf/lib/validations/validate-binary-version.js, called only in
 *   `validate()`, for a provider's or Terraform's binary version check.
 * Behaviour is unchanged: the first call loads the real package. test/bin/lazy-modules.test.ts
 * checks both requires are still where this says (a cdktf upgrade that moves them fails it),
 * and bin/app.js refuses a bundle in which any other file requires them by name (esbuild's
 * `alias` applies to the whole bundle).
 */
'use strict';
const path = require('node:path');

/** Package name -> the one cdktf file that requires it. */
const LAZY = Object.freeze({
  archiver: path.join('cdktf', 'lib', 'private', 'fs.js'),
  semver: path.join('cdktf', 'lib', 'validations', 'validate-binary-version.js'),
});

/**
 * A stand-in for a module whose export is a function or an object: calling it or reading a
 * property loads the module (`load()`, once) and forwards to it.
 * @param {() => any} load requires the real module
 * @returns {Function} a Proxy over a function
 */
function lazy(load) {
  let real;
  const get = () => (real ??= load());
  return new Proxy(function lazyModule() {}, {
    apply: (_target, self, args) => Reflect.apply(get(), self, args),
    get: (_target, key) => get()[key],
    has: (_target, key) => key in get(),
  });
}

/**
 * The stand-in for `name`, one of {@link LAZY}: on first use it requires the package as cdktf
 * would (resolved from cdktf's requiring file, with Node's own `require`, outside the bundle).
 * @param {keyof typeof LAZY} name
 * @returns {Function} see {@link lazy}
 * @throws Error if `name` is not in {@link LAZY}
 */
function fromCdktf(name) {
  if (!Object.prototype.hasOwnProperty.call(LAZY, name)) throw new Error(`not lazy: ${name}`);
  return lazy(() => {
    const { createRequire } = require('node:module');
    const root = path.resolve(__dirname, '..');
    const file = require.resolve(LAZY[name], { paths: [root] });
    return createRequire(file)(name);
  });
}

/**
 * Whether a `require(request)` from `parent` is cdktf's own require of one of {@link LAZY}
 * (the file {@link LAZY} names, under a `node_modules` folder): where a `Module._load` hook puts
 * a {@link lazy} stand-in (bin/cdktf.js for the CLI, test/support/setup-early.ts for the tests).
 * @param {string} request what is required
 * @param {{ filename?: string } | undefined} parent the requiring module
 * @returns {boolean}
 */
function requiredByCdktf(request, parent) {
  return (
    Object.prototype.hasOwnProperty.call(LAZY, request) &&
    Boolean(parent?.filename?.endsWith(`${path.sep}node_modules${path.sep}${LAZY[request]}`))
  );
}

module.exports = { LAZY, lazy, fromCdktf, requiredByCdktf };
