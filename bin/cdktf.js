#!/usr/bin/env node
/**
 * The cdktf CLI of this project (cdktf-cli in node_modules, pinned in package.json), started
 * with less work before it runs a command: `npm run synth`, `npm run diff`, `npm run deploy`,
 * and `npm run cdktf -- <command>` for any other. Same CLI, commands, arguments, exit codes and
 * written files; `npx cdktf <command>` still works and does the same, only slower to start.
 * What it prints differs in one way: the stock start runs one more `terraform version -json`
 * (from `@cdktf/commons`, which `@cdktf/hcl2cdk` loads), so a warning Terraform prints on every
 * call (a missing `TF_CLI_CONFIG_FILE`, say) appears once more there.
 *
 * What a `cdktf synth` of the example spent before its own work (2-core machine, 2026-12-01,
 * CPU profile; docs/performance.md): about 1.7 s loading `@cdktf/hcl2cdk` (jsii-rosetta and
 * the TypeScript compiler), 0.4 s starting the Go runtimes of `@cdktf/hcl-tools` and
 * `@cdktf/hcl2json` (WebAssembly), 1.3 s compiling the CLI's own 4.6 MB of JavaScript. The
 * CLI's handlers require the three packages when they load, for a few commands only. So:
 *
 * 1. **Deferred packages** ({@link DEFERRED}): a `require` of one of them from the CLI's bundle
 *    gets a stand-in with the package's export names as getters, and `__esModule` as the real
 *    package has it (so esbuild's `__toESM` in the bundle makes the same namespace, copying
 *    the names as getters without reading them); reading a name loads the package, once. Only
 *    with cdktf-cli {@link CLI_VERSION}, whose bundle the names and the call sites were read
 *    from (test/bin/cdktf.test.ts pins both); any other version starts without stand-ins.
 * 2. **cdktf's `archiver` and `semver`**, which the CLI's `require("cdktf")` loads, the same
 *    stand-ins as in the app's bundle (bin/lazy-modules.js).
 * 3. **V8's code cache** for the CLI's two bundle files and yoga-layout's asm.js file
 *    (bin/code-cache.js), in `node_modules/.cache/landing-zone/` (gone with the installed
 *    packages; `LZ_CODE_CACHE_DIR` names another folder), written by `cdktf synth` runs only;
 *    off with `--enable-source-maps` (Node's own loader then maps the CLI's stack traces
 *    through the bundle's source maps).
 * 4. **asm.js as plain JavaScript** (V8's `--no-validate-asm`, set only while yoga's two files
 *    load and while the cache is made: a V8 flag set for the whole process would make Node
 *    reject its own code cache of every built-in module loaded after it): the terminal UI's layout
 *    engine, yoga-layout-prebuilt, is a 0.6 MB asm.js file that V8 otherwise compiles to
 *    WebAssembly on every start (0.27–0.33 s; as JavaScript about 0.1 s, and the code cache
 *    then covers it too). asm.js is a subset of JavaScript with the same results either way
 *    ("the execution semantics is simply that of JavaScript", http://asmjs.org/spec/latest/);
 *    V8 runs it as JavaScript whenever it fails validation.
 *
 * 5. **No `NODE_EXTRA_CA_CERTS` for the app's process** ({@link childrenSkipExtraCaCerts}):
 *    for the commands that start only the app and Terraform, the CLI's children do not get the
 *    variable, which costs every Node start about 60 ms, and the CLI's update check (npm, over
 *    TLS) is off unless `DISABLE_VERSION_CHECK` asks for it; the CLI itself keeps the
 *    certificates it loaded at its start.
 *
 * The bin script is started as the main module, as `cdktf` is. `LZ_DEBUG` set: none of the
 * five (the CLI starts as `npx cdktf` would).
 */
'use strict';
const path = require('node:path');
const Module = require('node:module');
const { lazy, requiredByCdktf } = require('./lazy-modules');
const { compileCached, requireOf, withV8Flags } = require('./code-cache');

const ROOT = path.resolve(__dirname, '..');

/** The cdktf-cli version whose bundle {@link DEFERRED} was read from. */
const CLI_VERSION = '0.21.0';

/**
 * Packages the CLI's bundle (`bundle/bin/cmds/handlers.js` of cdktf-cli 0.21.0) requires when
 * it loads, with their export names, and the commands that call them there.
 */
const DEFERRED = Object.freeze({
  /** `convert` (`cdktf convert`); `convertProject`, `getTerraformConfigFromDir`,
   * `parseProviderRequirements` (`cdktf init --from-terraform-project`). */
  '@cdktf/hcl2cdk': [
    'CODE_MARKER',
    'getParsedHcl',
    'parseProviderRequirements',
    'convertToTypescript',
    'convert',
    'getTerraformConfigFromDir',
    'convertProject',
    'isRegistryModule',
    'attributeNameToCdktfName',
  ],
  /** `format` (`cdktf synth --hcl`, which this app refuses: its guardrails read the JSON). */
  '@cdktf/hcl-tools': ['format'],
  /** `convertFiles` (reading a Terraform module's HCL for `cdktf get` of `terraformModules`). */
  '@cdktf/hcl2json': [
    'parse',
    'convertFiles',
    'getReferencesInExpression',
    'getExpressionAst',
    'wrapTerraformExpression',
    'TFExpressionSyntaxTree',
  ],
});

/**
 * A stand-in for a CommonJS module compiled from ES modules (`__esModule` set): its export
 * names as getters that load the module on first read.
 * @param {() => object} load requires the real module
 * @param {readonly string[]} names the module's export names
 * @returns {object} `{ <name>: <getter> ... }`, `__esModule` true (not enumerable)
 */
function deferred(load, names) {
  let real;
  // `__esModule` as TypeScript's CommonJS output defines it: not enumerable
  const standIn = Object.defineProperty({}, '__esModule', { value: true });
  for (const name of names)
    Object.defineProperty(standIn, name, {
      enumerable: true,
      get: () => (real ??= load())[name],
    });
  return standIn;
}

/**
 * The files of yoga-layout-prebuilt (the layout engine of the CLI's terminal UI, ink) in the
 * package: its asm.js file (an emscripten build, "use asm"), and its main file, which requires
 * that and calls its asm.js module at once (`nbind({}, ...)`), which is when V8 compiles it.
 */
const YOGA_ASM = path.join('yoga-layout', 'build', 'Release', 'nbind.js');
const YOGA_MAIN = path.join('yoga-layout', 'dist', 'entry-browser.js');

/**
 * Where the installed CLI is.
 * @returns {{ dir: string, version: string, bin: string, bundles: string[], cached: string[],
 *   asmJs: string[] }} its folder, version, `bin` script, its two bundle files, the files the
 *   code cache covers (the bundles and, where the CLI finds yoga-layout-prebuilt, its asm.js
 *   file), and the files that load with asm.js run as JavaScript (yoga's main and asm.js files)
 * @throws Error if cdktf-cli is not installed (`npm ci` first)
 */
function locateCli() {
  let manifest;
  try {
    manifest = require.resolve('cdktf-cli/package.json', { paths: [ROOT] });
  } catch {
    throw new Error('cdktf-cli is not installed: run npm ci first');
  }
  const dir = path.dirname(manifest);
  const bin = path.join(dir, 'bundle', 'bin');
  const bundles = [path.join(bin, 'cdktf.js'), path.join(bin, 'cmds', 'handlers.js')];
  let yoga = [];
  try {
    const yogaManifest = require.resolve('yoga-layout-prebuilt/package.json', { paths: [dir] });
    yoga = [YOGA_MAIN, YOGA_ASM].map((f) => path.join(path.dirname(yogaManifest), f));
  } catch {
    // not installed where the CLI looks: nothing to cache
  }
  return {
    dir,
    version: require(manifest).version,
    bin: path.join(bin, 'cdktf'),
    bundles,
    cached: [...bundles, ...yoga.slice(1)],
    asmJs: yoga,
  };
}

/**
 * The loader hooks for the CLI `cli` describes (installed by {@link main}).
 * @param {ReturnType<typeof locateCli>} cli
 * @param {{ cacheDir: string, write?: boolean, load?: Function, loadJs?: Function }} options
 *   where the code caches go; whether this run may write them (default true; `main` passes
 *   {@link writesCodeCache}); Node's `Module._load` and `Module._extensions['.js']` to wrap
 *   (default: the current ones)
 * @returns {{ load?: Function, loadJs: Function }} `Module._load` with the stand-ins (only for
 *   cdktf-cli {@link CLI_VERSION}), and `Module._extensions['.js']` with the code cache
 */
function hooks(
  cli,
  { cacheDir, write = true, load = Module._load, loadJs = Module._extensions['.js'] },
) {
  const inCli = (parent) => parent?.filename?.startsWith(path.join(cli.dir, 'bundle') + path.sep);
  const withStandIns = function (request, parent, isMain) {
    const real = () => load.call(this, request, parent, isMain);
    if (Object.hasOwn(DEFERRED, request) && inCli(parent)) return deferred(real, DEFERRED[request]);
    if (requiredByCdktf(request, parent)) return lazy(real);
    return real();
  };
  const withCodeCache = function (module, filename) {
    const v8Flags = cli.asmJs.includes(filename) ? ['--no-validate-asm'] : [];
    // with `--enable-source-maps`, Node's own loader (it reads the bundle's source map)
    if (!cli.cached.includes(filename) || process.sourceMapsEnabled)
      return withV8Flags(v8Flags, () => loadJs.call(this, module, filename));
    const run = compileCached(filename, cacheDir, { write, v8Flags });
    run.call(
      module.exports,
      module.exports,
      requireOf(module),
      module,
      filename,
      path.dirname(filename),
    );
  };
  return { load: cli.version === CLI_VERSION ? withStandIns : undefined, loadJs: withCodeCache };
}

/**
 * Whether a CLI run may write the code caches: a `cdktf synth` (alias `synthesize`), the
 * command that compiles the most of the cached files, so that a first `cdktf --version` does
 * not leave a cache of the little it compiled. Any argument that is the command's name counts
 * (global options may come first, with values); a stack named `synth` only makes a `deploy`
 * write a cache too, which costs nothing but time.
 * @param {string[]} args the CLI's arguments (`process.argv.slice(2)`)
 * @returns {boolean} whether an argument is `synth` or `synthesize`
 */
function writesCodeCache(args) {
  return args.some((a) => a === 'synth' || a === 'synthesize');
}

/**
 * The CLI's global options that take a separate value (`yargs` `.option(...)` in cdktf-cli
 * 0.21.0's bundle/bin/cdktf.js: `log-level` and `experimental-provider-schema-cache-path` are
 * strings, `log-file-directory` and `context-json` have no type, so they take the next argument
 * too; `disable-plugin-cache-env` is a boolean).
 */
const GLOBAL_OPTIONS_WITH_VALUE = new Set([
  '--log-level',
  '--log-file-directory',
  '--context-json',
  '--experimental-provider-schema-cache-path',
]);

/**
 * The CLI's command in its arguments: the first that is neither an option nor the value of one
 * of {@link GLOBAL_OPTIONS_WITH_VALUE}.
 * @param {string[]} args the CLI's arguments (`process.argv.slice(2)`)
 * @returns {string | undefined} e.g. `synth`; undefined for `cdktf --version`
 */
function commandOf(args) {
  for (let i = 0; i < args.length; i++) {
    if (GLOBAL_OPTIONS_WITH_VALUE.has(args[i])) i++;
    else if (!args[i].startsWith('-')) return args[i];
  }
  return undefined;
}

/**
 * Commands whose child processes (cdktf-cli 0.21.0, bundle/bin/cmds/handlers.js and
 * @cdktf/cli-core) are the app (`cdktf.json` `app`, through `/bin/sh`), Terraform and
 * `node --version`, plus the CLI's update check: the app synthesizes offline, Terraform (Go)
 * reads the system's certificates, not `NODE_EXTRA_CA_CERTS`, and `node --version` exits
 * before Node reads them. The update check (`displayVersionMessage`: `npm view cdktf-cli
 * version`, on a terminal, once a day) is npm talking to its registry over TLS, so it is off
 * whenever the variable is removed ({@link childrenSkipExtraCaCerts}). Not `init`, `get`,
 * `provider` or `login`.
 */
const APP_AND_TERRAFORM_ONLY = new Set([
  'synth',
  'synthesize',
  'diff',
  'plan',
  'deploy',
  'apply',
  'destroy',
  'list',
  'output',
  'outputs',
]);

/**
 * Whether the CLI's children start without `NODE_EXTRA_CA_CERTS`: for the commands of
 * {@link APP_AND_TERRAFORM_ONLY}, unless `DISABLE_VERSION_CHECK` is set to anything but `true`
 * or `1` (@cdktf/commons `environment.js`), which asks for the update check. Its caller also
 * sets `DISABLE_VERSION_CHECK=true` when it is unset: this project pins cdktf-cli in
 * package.json, and HashiCorp archived cdktf (2025-12-10), so the check has nothing to offer.
 *
 * Why: Node 20 reads the variable once, at process start, before any JavaScript runs
 * (src/node.cc, `InitializeOncePerProcess`, calls `crypto::UseExtraCaCerts`), and with it set
 * builds its root certificate store right then (src/crypto/crypto_context.cc
 * `UseExtraCaCerts`: `NewRootCertStore()`, the ~140 bundled roots, plus the file), which
 * without it waits for a first TLS connection: about 60 ms more for every `node` start with a
 * 140-certificate bundle on the 2-core machine (0.03–0.05 s against 0.10–0.15 s for
 * `node -e 0`, 2026-12-01). The CLI's own process keeps what it loaded (the store is built;
 * test/bin/cdktf.extra-ca-certs.test.ts reads, after the variable is gone, the flag Node's own
 * test/parallel/test-tls-env-extra-ca-file-load.js reads), for any TLS connection it makes
 * itself (the checkpoint call, when `CHECKPOINT_DISABLE` is unset).
 * @param {string[]} args the CLI's arguments
 * @param {NodeJS.ProcessEnv} [env] where `DISABLE_VERSION_CHECK` is read (default `process.env`)
 * @returns {boolean}
 */
function childrenSkipExtraCaCerts(args, env = process.env) {
  const check = env.DISABLE_VERSION_CHECK;
  return (
    APP_AND_TERRAFORM_ONLY.has(commandOf(args)) &&
    (check === undefined || check === 'true' || check === '1')
  );
}

/** Starts the CLI with `process.argv` as `cdktf` would get it. */
function main() {
  let cli;
  try {
    cli = locateCli();
  } catch (e) {
    console.error(e.message);
    process.exit(1);
  }
  if (!process.env.LZ_DEBUG) {
    const { load, loadJs } = hooks(cli, {
      cacheDir:
        process.env.LZ_CODE_CACHE_DIR || path.join(ROOT, 'node_modules', '.cache', 'landing-zone'),
      write: writesCodeCache(process.argv.slice(2)),
    });
    if (load) Module._load = load;
    Module._extensions['.js'] = loadJs;
    if (childrenSkipExtraCaCerts(process.argv.slice(2))) {
      // read by @cdktf/commons when it loads, so before the CLI starts
      process.env.DISABLE_VERSION_CHECK ??= 'true';
      delete process.env.NODE_EXTRA_CA_CERTS;
    }
  }
  // the bin script as the main module, as `cdktf` starts: yargs reads the CLI's own version from
  // the package.json above `require.main.filename`
  process.argv[1] = cli.bin;
  Module._load(cli.bin, null, true);
}

if (require.main === module) main();

module.exports = {
  CLI_VERSION,
  DEFERRED,
  deferred,
  locateCli,
  hooks,
  writesCodeCache,
  commandOf,
  childrenSkipExtraCaCerts,
  GLOBAL_OPTIONS_WITH_VALUE,
};
