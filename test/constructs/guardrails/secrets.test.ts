/**
 * Secret-like literal detection: the shared detectors, the `test/support/secret-scan.ts` CI scan
 * (as a function and as a CLI), and the synthesized example app being clean.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findSecrets, isSecretKey, mask } from '../../../constructs/guardrails/secrets';
import { main, scanDirectory } from '../../support/secret-scan';
import { sharedExample, synthJson } from '../../support/synth';

// Fake credentials, assembled at run time so no scanner mistakes this file for a leak.
const FAKE = {
  accessKeyId: ['AKIA', 'IOSFODNN7EXAMPLE'].join(''),
  privateKey: ['-----BEGIN ', 'RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----'].join(
    '',
  ),
  github: ['ghp', '_', 'a'.repeat(36)].join(''),
  tfc: ['abcdefghijklmn', 'atlasv1', 'x'.repeat(64)].join('.'),
  slack: ['xoxb', '1234567890-abcdefghij'].join('-'),
};

describe('isSecretKey', () => {
  it.each([
    'password',
    'db_password',
    'POSTGRES_PASSWORD',
    'clientSecret',
    'authToken',
    'api_key',
    'apiKey',
    'AWS_SECRET_ACCESS_KEY',
    'private-key',
    'slackWebhookUrl',
    'secret',
    'token',
  ])('%s names a secret', (key) => expect(isSecretKey(key)).toBe(true));
  it.each([
    'existingSecret',
    'secretName',
    'passwordSecretKey',
    'tokenFile',
    'createSecret',
    'secretKey',
    'secret_arn',
    'kms_key_id',
    'token_endpoint',
    'username',
    'sensitive',
  ])('%s does not', (key) => expect(isSecretKey(key)).toBe(false));
});

describe('findSecrets', () => {
  it('finds credentials by their shape under any key, masked', () => {
    const found = findSecrets({
      a: FAKE.accessKeyId,
      b: [{ c: FAKE.privateKey }],
      d: FAKE.github,
      e: FAKE.tfc,
      f: `x ${FAKE.slack}`,
    });
    expect(found.map((f) => [f.path, f.kind])).toEqual([
      ['a', 'AWS access key ID'],
      ['b[0].c', 'private key'],
      ['d', 'GitHub token'],
      ['e', 'Terraform Cloud token'],
      ['f', 'Slack token'],
    ]);
    expect(found[0].preview).toBe('AKIA********');
    expect(JSON.stringify(found)).not.toContain(FAKE.accessKeyId);
  });

  it('finds literals under secret-like keys, in objects and in multi-line YAML text', () => {
    const found = findSecrets({
      resource: {
        helm_release: {
          r: { values: ['auth:\n  password: hunter2hunter2\n  existingSecret: pg\n'] },
        },
      },
      tfe: { key: 'x', db_password: 'changeme' },
    });
    expect(found.map((f) => [f.path, f.kind])).toEqual([
      ['resource.helm_release.r.values[0] (line 2)', 'literal under secret-like key "password"'],
      ['tfe.db_password', 'literal under secret-like key "db_password"'],
    ]);
  });

  it('ignores references, expressions, empty values, non-strings and cdktf metadata', () => {
    expect(
      findSecrets({
        password: '${var.db_password}',
        token: '${random_password.x.result}',
        secret: '',
        api_key: true,
        '//': { metadata: { password: 'not scanned' } },
        existingSecret: 'dagster-postgresql',
        automountServiceAccountToken: 'true',
        values2: ['spec:\n  automountServiceAccountToken: false\n  tokenTtl: 3600\n'],
        values: ['auth:\n  existingSecret: x\n  password: "${var.pw}"\n'],
      }),
    ).toEqual([]);
  });

  it('masks all but four characters', () => {
    expect(mask('abcdefghijkl')).toBe('abcd********');
    expect(mask('abc')).toBe('abc');
  });
});

describe('test/support/secret-scan.ts', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'lz-secret-scan-'));
    mkdirSync(join(dir, 'clean', 'stacks', 'a'), { recursive: true });
    mkdirSync(join(dir, 'dirty', 'stacks', 'b'), { recursive: true });
    const clean = {
      provider: { aws: [{ region: 'eu-central-1' }] },
      resource: { tfe_variable: { v: { key: 'password', value: '${var.pw}', sensitive: true } } },
    };
    writeFileSync(join(dir, 'clean', 'manifest.json'), JSON.stringify({ version: '0.21.0' }));
    writeFileSync(join(dir, 'clean', 'stacks', 'a', 'cdk.tf.json'), JSON.stringify(clean));
    const dirty = {
      resource: {
        tfe_variable: { v: { key: 'AWS_ACCESS_KEY_ID', value: FAKE.accessKeyId } },
        x: { y: { master_password: 'p4ssw0rd!' } },
      },
    };
    writeFileSync(join(dir, 'dirty', 'stacks', 'b', 'cdk.tf.json'), JSON.stringify(dirty));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('scanDirectory lists every finding with its file and path', () => {
    expect(scanDirectory(join(dir, 'clean'))).toEqual({ files: 2, findings: [] });
    const { files, findings } = scanDirectory(join(dir, 'dirty'));
    expect(files).toBe(1);
    expect(findings.map((f) => `${f.file}: ${f.path}: ${f.kind}`)).toEqual([
      `${join('stacks', 'b', 'cdk.tf.json')}: resource.tfe_variable.v.value: AWS access key ID`,
      `${join('stacks', 'b', 'cdk.tf.json')}: resource.x.y.master_password: literal under secret-like key "master_password"`,
    ]);
  });

  it('main: 1 listing the findings masked, 0 when clean, 2 without output to scan', () => {
    const printed: string[] = [];
    const capture = (...args: unknown[]) => void printed.push(args.join(' '));
    const error = jest.spyOn(console, 'error').mockImplementation(capture);
    const log = jest.spyOn(console, 'log').mockImplementation(capture);
    try {
      const status = (target: string) => ((printed.length = 0), main([join(dir, target)]));
      expect(status('dirty')).toBe(1);
      expect(printed.join('\n')).toContain(
        'resource.tfe_variable.v.value: AWS access key ID (AKIA********)',
      );
      expect(printed.join('\n')).not.toContain(FAKE.accessKeyId);
      expect(status('clean')).toBe(0);
      expect(printed.join('\n')).toContain('no secret-like literals');
      expect(status('missing')).toBe(2);
    } finally {
      error.mockRestore();
      log.mockRestore();
    }
  });

  it("as a CLI (.ci/run's step): main's status is the exit status, the findings on stderr", () => {
    // one process: the statuses themselves are main's (above)
    const dirty = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        join(__dirname, '..', '..', 'support', 'secret-scan.ts'),
        join(dir, 'dirty'),
      ],
      {
        encoding: 'utf8',
        cwd: join(__dirname, '..', '..', '..'),
        timeout: 60_000, // no per-test timeout under jest-light-runner (docs/testing.md)
      },
    );
    expect(dirty.status).toBe(1);
    expect(dirty.stderr).toContain(
      'resource.tfe_variable.v.value: AWS access key ID (AKIA********)',
    );
    expect(dirty.stderr).not.toContain(FAKE.accessKeyId);
  });

  it('finds nothing in the synthesized example app', () => {
    const lz = sharedExample();
    const findings = lz.stacks.flatMap((s) =>
      findSecrets(synthJson(s), s.node.id).map((f) => `${f.path}: ${f.kind}`),
    );
    expect(findings).toEqual([]);
  });
});
