/**
 * bin/cdktf.js, the CLI's children without `NODE_EXTRA_CA_CERTS`: which commands, how the
 * command is found among the CLI's global options (cdktf-cli 0.21.0's yargs setup, read from its
 * bundle), and the Node 20 behaviour it relies on. The synth through the launcher, whose app
 * starts without the variable, is in test/bin/cdktf.test.ts ("cdktf synth").
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { rootCertificates } from 'node:tls';

const root = resolve(__dirname, '..', '..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const launcher = require(join(root, 'bin', 'cdktf.js')) as {
  locateCli(): { bundles: string[] };
  commandOf(args: string[]): string | undefined;
  childrenSkipExtraCaCerts(args: string[], env?: NodeJS.ProcessEnv): boolean;
  GLOBAL_OPTIONS_WITH_VALUE: Set<string>;
};
const cli = launcher.locateCli();

describe('bin/cdktf.js: the children without NODE_EXTRA_CA_CERTS', () => {
  it('starts the app without NODE_EXTRA_CA_CERTS for the commands that start only the app and Terraform', () => {
    const cases: [string[], string | undefined, boolean][] = [
      [['synth'], 'synth', true],
      [['--log-level', 'debug', 'deploy', 'network'], 'deploy', true],
      [['--log-level=debug', 'diff'], 'diff', true],
      // the global options that take a value (cdktf-cli's yargs setup): not the command
      [['--log-file-directory', 'synth', 'get'], 'get', false],
      [
        ['--context-json', '{}', '--experimental-provider-schema-cache-path', 'deploy', 'init'],
        'init',
        false,
      ],
      [['--disable-plugin-cache-env', 'synth'], 'synth', true],
      [['synthesize', '--output', 'x'], 'synthesize', true],
      [['destroy', 'platform-main-01', '--auto-approve'], 'destroy', true],
      [['output'], 'output', true],
      // may run npm, which talks to the registry over TLS
      [['init', '--template', 'typescript'], 'init', false],
      [['provider', 'add', 'aws'], 'provider', false],
      [['get'], 'get', false],
      [['login'], 'login', false],
      [['--version'], undefined, false],
      [[], undefined, false],
    ];
    for (const [args, command, skips] of cases) {
      expect(launcher.commandOf(args)).toBe(command);
      expect(launcher.childrenSkipExtraCaCerts(args, {})).toBe(skips);
    }
    // the CLI's update check runs npm over TLS: asked for, the variable stays
    // (@cdktf/commons environment.js: only `true` and `1` turn the check off)
    for (const [value, skips] of [
      ['true', true],
      ['1', true],
      ['false', false],
      ['0', false],
    ] as const)
      expect(launcher.childrenSkipExtraCaCerts(['synth'], { DISABLE_VERSION_CHECK: value })).toBe(
        skips,
      );
  });

  it("skips the values of exactly the CLI's global options that take one (its yargs setup)", () => {
    // bundle/bin/cdktf.js: the global `.option(...)` chain ends in `.completion("completion"`;
    // an option that is not `type:"boolean"` takes the next argument as its value
    const text = readFileSync(cli.bundles[0], 'utf8');
    const end = text.indexOf('.completion("completion"');
    const start = text.lastIndexOf('.option("experimental-provider-schema-cache-path"', end);
    expect(start).toBeGreaterThan(0);
    const options = text
      .slice(start, end)
      .split('.option("')
      .filter(Boolean)
      .map((o) => ({
        name: `--${o.slice(0, o.indexOf('"'))}`,
        boolean: o.includes('type:"boolean"'),
      }));
    expect(options.map((o) => o.name)).toEqual([
      '--experimental-provider-schema-cache-path',
      '--disable-plugin-cache-env',
      '--log-level',
      '--log-file-directory',
      '--context-json',
    ]);
    expect(new Set(options.filter((o) => !o.boolean).map((o) => o.name))).toEqual(
      launcher.GLOBAL_OPTIONS_WITH_VALUE,
    );
  });

  it("Node reads NODE_EXTRA_CA_CERTS at its start only: the CLI's own connections keep the extra certificates", () => {
    // The flag Node's own test reads (test/parallel/test-tls-env-extra-ca-file-load.js,
    // nodejs/node): the extra file was loaded into the root store. Still true once the variable
    // is gone from process.env, as bin/cdktf.js removes it before the CLI starts its children.
    const dir = mkdtempSync(join(tmpdir(), 'lz-extra-ca-'));
    try {
      const file = join(dir, 'extra-ca.pem');
      writeFileSync(file, rootCertificates[0]);
      const probe = `
        const { internalBinding } = require('internal/test/binding');
        delete process.env.NODE_EXTRA_CA_CERTS;
        process.stdout.write(String(internalBinding('crypto').isExtraRootCertsFileLoaded()));`;
      const run = (env: NodeJS.ProcessEnv) =>
        spawnSync(process.execPath, ['--expose-internals', '-e', probe], {
          encoding: 'utf8',
          env,
          timeout: 60_000,
        }).stdout;
      const without = { ...process.env };
      delete without.NODE_EXTRA_CA_CERTS;
      expect(run({ ...without, NODE_EXTRA_CA_CERTS: file })).toBe('true');
      expect(run(without)).toBe('false');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
