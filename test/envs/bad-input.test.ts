/**
 * Bad input: a table of invalid environments (each an edit of the example). Each one fails
 * validation with its exact `path: rule` messages, and run through main.ts's `synthesize`
 * it stops at the `config` stage: no stack is built and no cdktf.out is left behind. A run
 * of main.ts as a process (bin/app.js) checks the exit status and stderr.
 *
 * This file: the top level, Terraform Cloud, the organization and Identity Center; the network,
 * clusters, platform and Dagster are in bad-input.network.test.ts, the security baseline and
 * guardrails in bad-input.security.test.ts (the shared check: test/support/bad-input-cases.ts).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { problemsOf, rawExample } from '../support/env';
import {
  expectStopsAtConfig,
  REASON,
  set,
  type Case,
  type Edit,
  type Raw,
} from '../support/bad-input-cases';
import * as app from '../../stacks/app';
import { synthesize } from '../../main';

/** An edit that appends `item` to the array at `path`. */
const push =
  (path: string, item: unknown): Edit =>
  (raw) =>
    path
      .split('.')
      .reduce((o, k) => o[k], raw)
      .push(item);

/** [what, edit, every expected message in order]. */
const CASES: Case[] = [
  // ---- top level and Terraform Cloud ----
  [
    'prefix with capitals',
    set('prefix', 'Acme'),
    ['prefix: must be 2-16 lowercase letters, digits or hyphens, starting with a letter'],
  ],
  [
    'unknown region',
    set('allowedRegions', ['eu-central-1', 'mars-north-1']),
    ['allowedRegions[1]: unknown AWS region'],
  ],
  [
    'duplicate region',
    set('allowedRegions', ['eu-central-1', 'eu-central-1']),
    ['allowedRegions[1]: duplicate region "eu-central-1"'],
  ],
  [
    'Terraform version range',
    set('terraformCloud.terraformVersion', '~> 1.11'),
    ['terraformCloud.terraformVersion: must be an exact version like 1.11.4'],
  ],
  [
    'misspelt key',
    set('network.cidrs', '10.0.0.0/16'),
    ['network.cidrs: unknown key (did you mean "cidr"?)'],
  ],
  // ---- organization: emails, OUs, reserved names ----
  [
    'invalid account email',
    set('organization.accounts.security.email', 'security-at-acme'),
    ['organization.accounts.security.email: must be a valid email address'],
  ],
  [
    'duplicate account email (case-insensitive)',
    set('organization.accounts.production.email', 'AWS+security@acme.example'),
    [
      'organization.accounts.production.email: duplicate email "AWS+security@acme.example" (also used by security)',
    ],
  ],
  [
    'account in an unknown OU',
    set('organization.accounts.production.ou', 'sandbox'),
    ['organization.accounts.production.ou: unknown organizational unit "sandbox"'],
  ],
  [
    'member account named management',
    set('organization.accounts.management', { email: 'm@acme.example', ou: 'security' }),
    ['organization.accounts.management: "management" is reserved for the management account'],
  ],
  [
    'SCP attached to an unknown OU',
    set('organization.serviceControlPolicies.deny-root-user.targets', ['security', 'sandbox']),
    [
      'organization.serviceControlPolicies.deny-root-user.targets[1]: unknown organizational unit "sandbox"',
    ],
  ],
  // ---- identity center: group / account / permission-set references, sessions ----
  [
    'user in an unknown group',
    set('identityCenter.users.jdoe.groups', ['platform-admins', 'admins']),
    ['identityCenter.users.jdoe.groups[1]: unknown group "admins"'],
  ],
  [
    'assignment of an unknown group',
    push('identityCenter.assignments', {
      group: 'admins',
      permissionSet: 'ReadOnly',
      accounts: ['security'],
    }),
    ['identityCenter.assignments[4].group: unknown group "admins"'],
  ],
  [
    'duplicate user email',
    set('identityCenter.users.msmith.email', 'Jane.Doe@acme.example'),
    [
      'identityCenter.users.msmith.email: duplicate email "Jane.Doe@acme.example" (also used by jdoe)',
    ],
  ],
  [
    'session longer than 12 hours',
    set('identityCenter.permissionSets.ReadOnly.sessionDuration', 'PT13H'),
    ['identityCenter.permissionSets.ReadOnly.sessionDuration: "PT13H" is outside PT1H-PT12H'],
  ],
  [
    'session shorter than 1 hour',
    set('identityCenter.permissionSets.ReadOnly.sessionDuration', 'PT30M'),
    ['identityCenter.permissionSets.ReadOnly.sessionDuration: "PT30M" is outside PT1H-PT12H'],
  ],
  [
    'session not ISO 8601',
    set('identityCenter.permissionSets.ReadOnly.sessionDuration', '8 hours'),
    [
      'identityCenter.permissionSets.ReadOnly.sessionDuration: "8 hours" is not an ISO 8601 duration like PT4H or PT1H30M',
    ],
  ],
  [
    'assignment to an unknown account',
    push('identityCenter.assignments', {
      group: 'auditors',
      permissionSet: 'ReadOnly',
      accounts: ['sandbox'],
    }),
    ['identityCenter.assignments[4].accounts[0]: unknown account "sandbox"'],
  ],
  [
    'assignment of an unknown permission set',
    push('identityCenter.assignments', {
      group: 'auditors',
      permissionSet: 'Auditor',
      accounts: ['security'],
    }),
    ['identityCenter.assignments[4].permissionSet: unknown permission set "Auditor"'],
  ],
  [
    'managed policy that is not an ARN',
    set('identityCenter.permissionSets.ReadOnly.managedPolicies', ['ReadOnlyAccess']),
    [
      'identityCenter.permissionSets.ReadOnly.managedPolicies[0]: must be an IAM managed policy ARN',
    ],
  ],
  // ---- organization guardrails ----
  [
    'SCP exception for an unknown OU, with a short reason',
    set('organization.serviceControlPolicies.region-allow-list.exceptions', { sandbox: 'test' }),
    [
      'organization.serviceControlPolicies.region-allow-list.exceptions.sandbox: must explain the exception in at least 20 characters',
      'organization.serviceControlPolicies.region-allow-list.exceptions.sandbox: unknown organizational unit "sandbox"',
    ],
  ],
  [
    'SCP exception on a policy not attached at the root',
    (raw) =>
      (raw.organization.serviceControlPolicies['deny-root-user'] = {
        targets: ['workloads'],
        exceptions: { security: REASON },
      }),
    [
      'organization.serviceControlPolicies.deny-root-user.exceptions: exceptions apply to a policy attached at the root (targets: [root]); list the OUs in targets instead',
    ],
  ],
  [
    'SCP attached twice to the same target',
    set('organization.serviceControlPolicies.deny-root-user.targets', ['root', 'root']),
    ['organization.serviceControlPolicies.deny-root-user.targets[1]: duplicate target "root"'],
  ],
  [
    'more SCPs at the root than AWS allows (with the adopted organization own)',
    set('organization.adopt', { otherScpAttachments: { root: 1 } }),
    [
      'organization.serviceControlPolicies: the root would have 6 SCPs attached (4 of this landing zone, 1 others and FullAWSAccess); AWS allows 5 per root, OU or account',
    ],
  ],
  [
    'adopted SCP count on an unknown OU',
    set('organization.adopt', { otherScpAttachments: { sandbox: 1 } }),
    ['organization.adopt.otherScpAttachments.sandbox: unknown organizational unit "sandbox"'],
  ],
  [
    'service principal that is not one',
    set('organization.serviceAccessPrincipals', ['backup']),
    [
      'organization.serviceAccessPrincipals[0]: must be a service principal like backup.amazonaws.com',
    ],
  ],
  [
    'unknown policy type',
    set('organization.policyTypes', ['QUOTA_POLICY']),
    [expect.stringMatching(/^organization\.policyTypes\[0\]: Invalid option: expected one of /)],
  ],
];

/** A scratch directory for this file's environment files and output directories. */
let scratch: string;
beforeAll(() => (scratch = mkdtempSync(join(tmpdir(), 'lz-bad-input-'))));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('invalid environments: exact messages; main.ts stops before building and writes nothing', () => {
  // Every build the synth starts goes through this (SynthOptions.build).
  const build = jest.fn(app.buildLandingZone);

  it('the table has at least 25 cases and the example itself is valid', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(25);
    expect(problemsOf(() => undefined)).toEqual([]);
  });

  it.each(CASES.map((c, i) => [...c, i] as const))('%s', (_what, edit, expected, i) =>
    expectStopsAtConfig(scratch, build, edit, expected, i),
  );

  it('a guardrail failure stops after building, before writing anything', () => {
    const raw = rawExample();
    raw.guardrails = {
      suppressions: [
        {
          rule: 'LZ-LOG-001',
          resource: 'network/no-such-log-group',
          reason: 'exercise the pre-synth guardrail failure',
        },
      ],
    };
    const file = join(scratch, 'guardrail.yaml');
    writeFileSync(file, stringify(raw));
    const outdir = join(scratch, 'guardrail.out');
    build.mockClear();
    const result = synthesize({ environment: file, outdir, log: () => undefined, build });
    expect(build).toHaveBeenCalledTimes(1); // the spy the table relies on sees builds
    expect(result).toMatchObject({ ok: false, stage: 'build' });
    const text = result.ok ? '' : result.message;
    expect(text).toContain(
      'guardrails.suppressions[0].resource: "network/no-such-log-group" matches no resource',
    );
    expect(text).toContain('nothing was synthesized');
    expect(existsSync(outdir)).toBe(false);
  });

  it('lists every problem of an environment at once', () => {
    const found = problemsOf((r) => {
      r.prefix = 'Acme';
      r.network.account = 'sandbox';
      r.security.passwordPolicy.minimumLength = 8;
    });
    expect(found).toEqual([
      'prefix: must be 2-16 lowercase letters, digits or hyphens, starting with a letter',
      // field rules first, then the cross-field checks
      'security.passwordPolicy.minimumLength: must be 14-128 characters (CIS AWS Foundations: at least 14)',
      'network.account: unknown account "sandbox"',
    ]);
  });
});

describe('the app command (cdktf.json: node bin/app.js) as a process on a bad environment', () => {
  // The guardrail failure path is checked in-process above; the exit status is shared. The
  // bundle bin/app.js runs is main.ts (test/bin/app.test.ts); it is built if missing or stale.
  const repo = join(__dirname, '..', '..');

  /** Runs the app command with `raw` as the environment in a fresh cwd; cdktf's outdir is `<cwd>/cdktf.out`. */
  function run(name: string, raw: Raw) {
    const cwd = mkdtempSync(join(scratch, `${name}-`));
    const envFile = join(cwd, `${name}.yaml`);
    writeFileSync(envFile, stringify(raw));
    const outdir = join(cwd, 'cdktf.out');
    const proc = spawnSync(process.execPath, [join(repo, 'bin', 'app.js')], {
      cwd,
      encoding: 'utf8',
      env: { ...process.env, LZ_ENV: envFile, LZ_BACKEND: 'local', CDKTF_OUTDIR: outdir },
      timeout: 120_000, // no per-test timeout under jest-light-runner (docs/testing.md)
    });
    return { ...proc, outdir, cwd };
  }

  it('exits 1 with every problem listed and writes nothing (config errors)', () => {
    const raw = rawExample();
    raw.prefix = 'Acme';
    raw.clusters['main-01'].dagster.codeLocations[0].image.tag = 'latest';
    const proc = run('config', raw);
    expect(proc.status).toBe(1);
    expect(proc.stderr).toContain('2 problem(s) in the environment');
    expect(proc.stderr).toContain('  - prefix: must be 2-16 lowercase letters');
    expect(proc.stderr).toContain(
      '  - clusters.main-01.dagster.codeLocations[0].image.tag: must be pinned; "latest" is not allowed',
    );
    expect(existsSync(proc.outdir)).toBe(false);
    expect(readdirSync(proc.cwd)).toEqual(['config.yaml']);
  });
});
