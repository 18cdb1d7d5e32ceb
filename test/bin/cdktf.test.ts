/**
 * bin/cdktf.js, the cdktf CLI as `npm run synth`, `diff`, `deploy` and `cdktf` start it: the
 * installed cdktf-cli with three packages its handlers load on start deferred to first use,
 * cdktf's `archiver` and `semver` likewise, V8's code cache for its two bundle files and for
 * yoga-layout's asm.js file, which runs as plain JavaScript (`--no-validate-asm`).
 * Checked against cdktf-cli 0.21.0 as installed (node_modules/cdktf-cli/bundle/bin/): the
 * bundle files are pinned by hash, and every `require` of a deferred package in them and every
 * name read from it are found in the file itself. The asm.js step on its own:
 * cdktf.asm-js.test.ts; the children without NODE_EXTRA_CA_CERTS: cdktf.extra-ca-certs.test.ts
 * (the synth run here checks its app's environment).
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { transformSync } from 'esbuild';

const root = resolve(__dirname, '..', '..');
/** What bin/cdktf.js's locateCli returns. */
interface Cli {
  dir: string;
  version: string;
  bin: string;
  bundles: string[];
  cached: string[];
}
/** `Module._load` or `Module._extensions['.js']` (their arguments, as the test passes them). */
type Hook = (...args: any[]) => any;
/* eslint-disable @typescript-eslint/no-require-imports */
const launcher = require(join(root, 'bin', 'cdktf.js')) as {
  CLI_VERSION: string;
  DEFERRED: Record<string, string[]>;
  deferred(load: () => object, names: readonly string[]): Record<string, unknown>;
  locateCli(): Cli;
  hooks(
    cli: Cli,
    options: { cacheDir: string; load?: Hook; loadJs?: Hook },
  ): { load?: Hook; loadJs: Hook };
  writesCodeCache(args: string[]): boolean;
};
const { LAZY } = require(join(root, 'bin', 'lazy-modules.js')) as { LAZY: Record<string, string> };
/* eslint-enable @typescript-eslint/no-require-imports */
const cli = launcher.locateCli();
/** What test/fixtures/record-loads.js records: the deferred packages and cdktf's lazy ones. */
const WATCHED = [...Object.keys(launcher.DEFERRED), ...Object.keys(LAZY)];

/** sha256 of cdktf-cli 0.21.0's bundle files as npm installs them (registry tarball). */
const BUNDLE_SHA256: Record<string, string> = {
  'cdktf.js': 'f7787759b02b482a92325629bfc1d0687e055f2c99b8a50a704e1893ba778930',
  'handlers.js': 'b088a50495c1081c9434ada53c7f2882cf1808763a69ea0891bd12df93507992',
};

/** A child process the CLI started, with two variables of its environment (record-loads.js). */
interface Spawn {
  command: string;
  extraCaCerts: string | null;
  disableVersionCheck: string | null;
}

interface Load {
  request: string;
  parent?: string;
  exports: string[];
  esModule: boolean;
}

/** Runs bin/cdktf.js with test/fixtures/record-loads.js preloaded. */
function runCli(
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; input?: string },
): Promise<{
  status: number | null;
  stdout: string;
  stderr: string;
  loads: Load[];
  compiledByNode: string[];
  spawns: Spawn[];
}> {
  const dir = mkdtempSync(join(tmpdir(), 'lz-cli-'));
  const loadsFile = join(dir, 'loads.json');
  return new Promise((done, fail) => {
    const child = spawn(
      process.execPath,
      [
        '--require',
        join(root, 'test', 'fixtures', 'record-loads.js'),
        join(root, 'bin', 'cdktf.js'),
        ...args,
      ],
      {
        cwd: options.cwd,
        env: {
          ...process.env,
          CHECKPOINT_DISABLE: '1',
          LZ_TEST_LOADS: loadsFile,
          LZ_TEST_WATCHED: JSON.stringify(WATCHED),
          ...options.env,
        },
        timeout: 120_000,
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', fail);
    child.on('close', (status) => {
      let recorded = {
        loads: [] as Load[],
        compiledByNode: [] as string[],
        spawns: [] as Spawn[],
      };
      try {
        recorded = JSON.parse(readFileSync(loadsFile, 'utf8'));
      } catch {
        // the run ended before its exit handler: the status and stderr say why
      }
      rmSync(dir, { recursive: true, force: true });
      done({ status, stdout, stderr, ...recorded });
    });
    child.stdin.end(options.input ?? '');
  });
}

describe('bin/cdktf.js against cdktf-cli as installed', () => {
  const bundleText = cli.bundles.map((f) => readFileSync(f, 'utf8'));

  it('starts the pinned CLI version, whose bundle files are the ones read here', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    expect(pkg.devDependencies['cdktf-cli']).toBe(launcher.CLI_VERSION);
    expect(cli.version).toBe(launcher.CLI_VERSION);
    expect(cli.bin).toBe(
      join(cli.dir, JSON.parse(readFileSync(join(cli.dir, 'package.json'), 'utf8')).bin.cdktf),
    );
    // the bin script only requires the first bundle file
    expect(readFileSync(cli.bin, 'utf8')).toBe('#!/usr/bin/env node\nrequire("./cdktf.js");\n');
    const hashes = Object.fromEntries(
      cli.bundles.map((f, i) => [
        f.split('/').pop(),
        createHash('sha256').update(bundleText[i]).digest('hex'),
      ]),
    );
    expect(hashes).toEqual(BUNDLE_SHA256);
  });

  it('is how npm run synth, diff, deploy and cdktf start the CLI', () => {
    const { scripts } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    expect(scripts.synth).toBe(
      'CHECKPOINT_DISABLE=1 CDKTF_LOG_FILE_DIRECTORY=. node bin/cdktf.js synth',
    );
    for (const command of ['diff', 'deploy'])
      expect(scripts[command]).toBe(`CHECKPOINT_DISABLE=1 node bin/cdktf.js ${command}`);
    expect(scripts.cdktf).toBe('CHECKPOINT_DISABLE=1 node bin/cdktf.js');
  });

  it.each(Object.keys(launcher.DEFERRED))(
    '%s: required by handlers.js only, and only the listed names are read from it',
    (name) => {
      const [cdktfJs, handlers] = bundleText;
      expect(cdktfJs).not.toContain(`require("${name}")`);
      // `X=require("<name>")` or `X=ge(require("<name>"))` (esbuild's __toESM), at the top
      // level of a module or inside one of esbuild's lazy module initialisers
      const call = `require("${name}")`;
      const bindings: string[] = [];
      for (let at = handlers.indexOf(call); at >= 0; at = handlers.indexOf(call, at + 1)) {
        const before = /([\w$]+)=(?:[\w$]+\()?$/.exec(handlers.slice(Math.max(0, at - 40), at));
        expect(before).not.toBeNull();
        bindings.push(before![1]);
      }
      expect(bindings.length).toBeGreaterThan(0);
      // every `<binding>.<name>` read in the file (a binding is a minified name: the preceding
      // character must not continue an identifier or a member access)
      const read = new Set<string>();
      for (const b of bindings)
        for (let at = handlers.indexOf(`${b}.`); at >= 0; at = handlers.indexOf(`${b}.`, at + 1))
          if (!/[\w$.]/.test(handlers[at - 1]))
            read.add(/^[\w$]+/.exec(handlers.slice(at + b.length + 1, at + b.length + 80))![0]);
      expect(read.size).toBeGreaterThan(0);
      expect([...read].filter((n) => !launcher.DEFERRED[name].includes(n))).toEqual([]);
    },
  );

  it('@cdktf/hcl-tools: the stand-in has its export names (the other two: the convert run below)', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const real = require('@cdktf/hcl-tools');
    expect(Object.keys(real)).toEqual(launcher.DEFERRED['@cdktf/hcl-tools']);
    expect(real.__esModule).toBe(true);
  });

  it("a stand-in loads nothing until a name is read, also through esbuild's __toESM", () => {
    let loads = 0;
    const real = { __esModule: true, format: (s: string) => `formatted ${s}`, other: 1 };
    const standIn = launcher.deferred(() => (loads++, real), ['format', 'other']);
    // what the CLI's bundle does with it: esbuild's ES module interop, from esbuild itself
    const { code } = transformSync(
      'import * as tools from "@cdktf/hcl-tools"; export const format = (s) => tools.format(s);',
      { format: 'cjs', loader: 'js' },
    );
    const mod = { exports: {} as { format(s: string): string } };
    new Function('module', 'exports', 'require', code)(mod, mod.exports, () => standIn);
    expect(loads).toBe(0);
    expect(mod.exports.format('x')).toBe('formatted x');
    expect(standIn.other).toBe(1);
    expect(loads).toBe(1);
  });

  it('writes the code caches from cdktf synth only (its alias too, whatever options come first)', () => {
    for (const args of [
      ['synth'],
      ['synthesize'],
      ['--log-level=debug', 'synth', '--output', 'x'],
      ['--log-level', 'debug', 'synth'],
    ])
      expect(launcher.writesCodeCache(args)).toBe(true);
    for (const args of [[], ['--version'], ['convert'], ['diff'], ['deploy', 'network']])
      expect(launcher.writesCodeCache(args)).toBe(false);
  });

  it('starts without stand-ins for another cdktf-cli version, with the code cache still', () => {
    const load = () => 'loaded';
    const loadJs = () => 'compiled';
    const other = launcher.hooks(
      { ...cli, version: '0.20.11' },
      { cacheDir: tmpdir(), load, loadJs },
    );
    expect(other.load).toBeUndefined();
    expect(typeof other.loadJs).toBe('function');
    const pinned = launcher.hooks(cli, { cacheDir: tmpdir(), load, loadJs });
    expect(typeof pinned.load).toBe('function');
    // anything but the cached files is compiled by Node as before
    expect(pinned.loadJs({}, join(root, 'bin', 'app.js'))).toBe('compiled');
    // from the CLI's bundle a deferred package is a stand-in; from elsewhere the real one
    let loads = 0;
    const counted = () => (loads++, { convert: 'real' });
    const hcl2cdk = launcher.hooks(cli, { cacheDir: tmpdir(), load: counted, loadJs }).load!(
      '@cdktf/hcl2cdk',
      { filename: cli.bundles[1] },
      false,
    );
    expect(Object.keys(hcl2cdk)).toEqual(launcher.DEFERRED['@cdktf/hcl2cdk']);
    expect(hcl2cdk.__esModule).toBe(true);
    expect(loads).toBe(0);
    expect(hcl2cdk.convert).toBe('real');
    expect(loads).toBe(1);
    expect(pinned.load!('@cdktf/hcl2cdk', { filename: join(root, 'main.js') }, false)).toBe(
      'loaded',
    );
  });

  describe('runs', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'lz-cli-out-'));
    const convertDir = mkdtempSync(join(tmpdir(), 'lz-cli-convert-'));
    // The synth's code caches where `npm run synth` keeps them (on a fresh clone, as in CI,
    // this run writes them: .ci/run tests before it synthesizes); convert and the plain
    // --version get an empty folder of their own (LZ_CODE_CACHE_DIR), to show they write none
    // (the LZ_DEBUG and source-map runs do not use the cache).
    const cacheDir = join(root, 'node_modules', '.cache', 'landing-zone');
    const otherCacheDir = mkdtempSync(join(tmpdir(), 'lz-cli-cache-'));
    afterAll(() => {
      for (const dir of [outdir, convertDir, otherCacheDir])
        rmSync(dir, { recursive: true, force: true });
    });
    // all at once: each is a child process
    // with NODE_EXTRA_CA_CERTS set, as on this machine and behind many company proxies: one of
    // Node's own roots (a public certificate) as the extra file
    const extraCa = join(outdir, 'extra-ca.pem');
    writeFileSync(extraCa, rootCertificates[0]);
    const synth = runCli(['synth', '--output', outdir], {
      cwd: root,
      env: {
        LZ_ENV: 'example',
        LZ_BACKEND: 'local',
        LZ_CODE_CACHE_DIR: '',
        NODE_EXTRA_CA_CERTS: extraCa,
      },
    });
    const convert = runCli(['convert', '--language', 'typescript'], {
      cwd: convertDir,
      env: { LZ_CODE_CACHE_DIR: otherCacheDir },
      input: 'variable "a" {\n  type = string\n}\noutput "b" {\n  value = var.a\n}\n',
    });

    const version = (args: string[], env: NodeJS.ProcessEnv = {}) =>
      runCli(args, { cwd: root, env: { LZ_CODE_CACHE_DIR: otherCacheDir, ...env } }).then((r) => ({
        ...r,
        version: r.stdout.split('\n')[0],
      }));
    const versions = Promise.all([
      version(['--version']),
      version(['--version'], { LZ_DEBUG: '1', LZ_CODE_CACHE_DIR: '' }),
      version(['--version'], { NODE_OPTIONS: '--enable-source-maps', LZ_CODE_CACHE_DIR: '' }),
    ]);

    it("cdktf --version: the CLI's own (yargs reads it above require.main); Node compiles the bundle files itself only under LZ_DEBUG or source maps", async () => {
      const [plain, debug, sourceMaps] = await versions;
      for (const r of [plain, debug, sourceMaps]) {
        expect(r.status).toBe(0);
        expect(r.version).toBe(launcher.CLI_VERSION);
      }
      expect(plain.compiledByNode).not.toContain(cli.bundles[0]);
      expect(debug.compiledByNode).toContain(cli.bundles[0]);
      expect(sourceMaps.compiledByNode).toContain(cli.bundles[0]);
    });

    it('cdktf synth: the example, with no deferred package loaded', async () => {
      const r = await synth;
      expect(r.status).toBe(0);
      const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8'));
      expect(Object.keys(manifest.stacks)).toHaveLength(9);
      const fromCli = r.loads.filter(
        (l) =>
          (l.request in launcher.DEFERRED && l.parent?.startsWith(join(cli.dir, 'bundle'))) ||
          (l.request in LAZY && l.parent?.includes(`${join('node_modules', 'cdktf', 'lib')}`)),
      );
      expect(fromCli).toEqual([]);
      // the app (cdktf.json's command) started without NODE_EXTRA_CA_CERTS
      const apps = r.spawns.filter((s) => s.command.includes('bin/app.js'));
      expect(apps.length).toBeGreaterThan(0);
      expect(apps.map((s) => s.extraCaCerts)).toEqual(apps.map(() => null));
      // and the CLI's update check (npm over TLS, on a terminal) was off: its setting reached the
      // CLI's environment (read by @cdktf/commons when it loads), and the app inherited it
      expect(apps.map((s) => s.disableVersionCheck)).toEqual(apps.map(() => 'true'));
      // after it, the code cache of each bundle file and of yoga-layout's asm.js file, named
      // `<file>.<its text's sha256>-<the flags'>.cache` (V8 checks only the length of the text,
      // and rejects a cache made under other flags: the asm.js file's are its own), which V8
      // accepts under the flags the CLI compiles each with; Node's loader compiled none of
      // them; the other runs (convert, --version) wrote no cache
      await Promise.all([convert, versions]);
      expect(cli.cached).toEqual([...cli.bundles, expect.stringMatching(/nbind\.js$/)]);
      expect(r.compiledByNode.filter((f) => cli.cached.includes(f))).toEqual([]);
      // (caches of the same texts under other flags may be there too: other ways of starting)
      const written = readdirSync(cacheDir).filter((f) =>
        cli.cached.some((file) => f.startsWith(`${file.split('/').pop()}.`)),
      );
      const expected = cli.cached.map((file) => {
        const text = createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 32);
        return new RegExp(
          `^${file.split('/').pop()!.replace('.', '\\.')}\\.${text}-[0-9a-f]{8}\\.cache$`,
        );
      });
      expect(written).toEqual(
        expect.arrayContaining(expected.map((e) => expect.stringMatching(e))),
      );
      for (const name of written) expect(expected.some((e) => e.test(name))).toBe(true);
      // the asm.js file's cache is made under its own flags
      const flagsOf = (name: string) => name.slice(-14, -6);
      const variants = expected.map((e) => written.filter((w) => e.test(w)));
      for (const flags of variants[2].map(flagsOf))
        expect(variants[0].map(flagsOf)).not.toContain(flags);
      expect(readdirSync(otherCacheDir)).toEqual([]);
      // a cache of asm.js that V8 validated would be empty (next test): the bytecode shows it
      // ran as JavaScript (the bundles' caches are 0.9 MB and more today)
      for (const name of written)
        expect(statSync(join(cacheDir, name)).size).toBeGreaterThan(200_000);
      // V8 accepts one of each file's caches (the one for this run's flags), compiled as the CLI
      // compiles that file
      const check = `
        const { Script } = require('node:vm'); const { readFileSync } = require('node:fs');
        const Module = require('node:module'); const v8 = require('node:v8');
        const files = ${JSON.stringify(
          cli.cached.map((file, i) => [file, variants[i].map((v) => join(cacheDir, v)), i === 2]),
        )};
        console.log(JSON.stringify(files.map(([file, caches, asmAsJs]) => caches.some((cache) => {
          if (asmAsJs) v8.setFlagsFromString('--no-validate-asm');
          const s = new Script(Module.wrap(readFileSync(file, 'utf8')), { filename: file, cachedData: readFileSync(cache) });
          if (asmAsJs) v8.setFlagsFromString('--validate-asm');
          return !s.cachedDataRejected;
        }))));`;
      const accepted = spawnSync(process.execPath, ['-e', check], {
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(JSON.parse(accepted.stdout)).toEqual([true, true, true]);
    });

    it('cdktf convert: @cdktf/hcl2cdk loads on use and converts (expected text: the stock CLI)', async () => {
      const r = await convert;
      expect(r.status).toBe(0);
      // written by `npx cdktf convert --language typescript` (cdktf-cli 0.21.0) for this input
      expect(r.stdout).toContain(
        [
          'class MyConvertedCode extends Construct {',
          '  constructor(scope: Construct, name: string) {',
          '    super(scope, name);',
          '    /*Terraform Variables are not always the best fit for getting inputs in the context of Terraform CDK.',
          '    You can read more about this at https://cdk.tf/variables*/',
          '    const a = new TerraformVariable(this, "a", {',
          '      type: VariableType.STRING,',
          '    });',
          '    new TerraformOutput(this, "b", {',
          '      value: a.value,',
          '    });',
          '  }',
          '}',
        ].join('\n'),
      );
      // the real packages behind the stand-ins have exactly the names the stand-ins offer
      for (const name of ['@cdktf/hcl2cdk', '@cdktf/hcl2json']) {
        const real = r.loads.find((l) => l.request === name);
        expect(real).toMatchObject({ exports: launcher.DEFERRED[name], esModule: true });
      }
    });
  });
});
