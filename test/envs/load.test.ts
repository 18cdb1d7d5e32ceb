/**
 * Configuration tier: the example environment parses, and every rule of the core schema
 * (top level, terraformCloud, organization, identityCenter) has a failing case with its
 * expected message. Network, cluster, platform and Dagster rules are tested beside their
 * stacks and in bad-input.network.test.ts.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, environmentPath, formatPath, loadEnvironment } from '../../envs/load';
import { durationMinutes } from '../../envs/schema/identity-center';
import { exampleEnv, problemsOf } from '../support/env';

describe('the example environment', () => {
  it('parses with defaults applied', () => {
    const env = exampleEnv();
    expect(env.prefix).toBe('acme');
    expect(env.homeRegion).toBe('eu-central-1');
    expect(env.terraformCloud.hostname).toBe('app.terraform.io');
    expect(Object.keys(env.organization.accounts)).toEqual(
      expect.arrayContaining(['security', 'production']),
    );
    expect(env.organization.accounts.production.iamUserAccessToBilling).toBe('DENY');
    expect(env.organization.accountAccessRoleName).toBe('OrganizationAccountAccessRole');
    expect(Object.keys(env.identityCenter.permissionSets)).toEqual([
      'Administrator',
      'Developer',
      'ReadOnly',
    ]);
  });

  it('is what loadEnvironment() returns with LZ_ENV unset', () => {
    const saved = process.env.LZ_ENV;
    delete process.env.LZ_ENV;
    try {
      expect(loadEnvironment()).toEqual(exampleEnv());
      expect(environmentPath()).toMatch(/envs[\\/]example\.yaml$/);
    } finally {
      if (saved !== undefined) process.env.LZ_ENV = saved;
    }
  });
});

/** [description, edit of the raw example, expected problem]. */
const cases: [string, (raw: any) => void, string][] = [
  ['unknown top-level key', (r) => (r.extra = 1), 'extra: unknown key (not in the schema)'],
  [
    'prefix with upper case',
    (r) => (r.prefix = 'Acme'),
    'prefix: must be 2-16 lowercase letters, digits or hyphens, starting with a letter',
  ],
  ['unknown home region', (r) => (r.homeRegion = 'eu-moon-1'), 'homeRegion: unknown AWS region'],
  [
    'home region outside the allow-list',
    (r) => (r.homeRegion = 'us-east-1'),
    'homeRegion: region "us-east-1" is not in allowedRegions (eu-central-1, eu-west-1)',
  ],
  [
    'duplicate allowed region',
    (r) => r.allowedRegions.push('eu-west-1'),
    'allowedRegions[2]: duplicate region "eu-west-1"',
  ],
  [
    'empty allow-list',
    (r) => (r.allowedRegions = []),
    'allowedRegions: Too small: expected array to have >=1 items',
  ],
  [
    'TFC organization with a space',
    (r) => (r.terraformCloud.organization = 'acme corp'),
    'terraformCloud.organization: must be 3-40 letters, digits, underscores or hyphens',
  ],
  [
    'TFC Terraform version as a range',
    (r) => (r.terraformCloud.terraformVersion = '~> 1.11'),
    'terraformCloud.terraformVersion: must be an exact version like 1.11.4',
  ],
  [
    'account in an unknown OU',
    (r) => (r.organization.accounts.production.ou = 'sandbox'),
    'organization.accounts.production.ou: unknown organizational unit "sandbox"',
  ],
  [
    'account named management',
    (r) => (r.organization.accounts.management = { email: 'aws+m@acme.example', ou: 'security' }),
    'organization.accounts.management: "management" is reserved for the management account',
  ],
  [
    'invalid account email',
    (r) => (r.organization.accounts.security.email = 'not-an-email'),
    'organization.accounts.security.email: must be a valid email address',
  ],
  [
    'duplicate account email',
    (r) => (r.organization.accounts.production.email = 'AWS+security@acme.example'),
    'organization.accounts.production.email: duplicate email "AWS+security@acme.example" (also used by security)',
  ],
  [
    'duplicate account name',
    (r) => (r.organization.accounts.production.displayName = 'acme-security'),
    'organization.accounts.production: duplicate account name "acme-security" (also used by security)',
  ],
  [
    'SCP on an unknown OU',
    (r) =>
      (r.organization.serviceControlPolicies['deny-root-user'].targets = ['security', 'sandbox']),
    'organization.serviceControlPolicies.deny-root-user.targets[1]: unknown organizational unit "sandbox"',
  ],
  [
    'unknown SCP',
    (r) => (r.organization.serviceControlPolicies['deny-everything'] = { targets: ['root'] }),
    'organization.serviceControlPolicies.deny-everything: unknown key (not in the schema)',
  ],
  [
    'user in an unknown group',
    (r) => (r.identityCenter.users.jdoe.groups = ['platform-admins', 'admins']),
    'identityCenter.users.jdoe.groups[1]: unknown group "admins"',
  ],
  [
    'duplicate user email',
    (r) => (r.identityCenter.users.msmith.email = 'jane.doe@acme.example'),
    'identityCenter.users.msmith.email: duplicate email "jane.doe@acme.example" (also used by jdoe)',
  ],
  [
    'session shorter than PT1H',
    (r) => (r.identityCenter.permissionSets.Administrator.sessionDuration = 'PT30M'),
    'identityCenter.permissionSets.Administrator.sessionDuration: "PT30M" is outside PT1H-PT12H',
  ],
  [
    'session longer than PT12H',
    (r) => (r.identityCenter.permissionSets.ReadOnly.sessionDuration = 'PT12H1M'),
    'identityCenter.permissionSets.ReadOnly.sessionDuration: "PT12H1M" is outside PT1H-PT12H',
  ],
  [
    'session not ISO 8601',
    (r) => (r.identityCenter.permissionSets.Developer.sessionDuration = '8h'),
    'identityCenter.permissionSets.Developer.sessionDuration: "8h" is not an ISO 8601 duration like PT4H or PT1H30M',
  ],
  [
    'managed policy that is not an ARN',
    (r) => (r.identityCenter.permissionSets.Developer.managedPolicies = ['PowerUserAccess']),
    'identityCenter.permissionSets.Developer.managedPolicies[0]: must be an IAM managed policy ARN',
  ],
  [
    'permission set name too long',
    (r) => (r.identityCenter.permissionSets['A'.repeat(33)] = { sessionDuration: 'PT1H' }),
    `identityCenter.permissionSets.${'A'.repeat(33)}: must be 1-32 characters of [A-Za-z0-9_+=,.@-]`,
  ],
  [
    'assignment to an unknown group',
    (r) => (r.identityCenter.assignments[0].group = 'admins'),
    'identityCenter.assignments[0].group: unknown group "admins"',
  ],
  [
    'assignment of an unknown permission set',
    (r) => (r.identityCenter.assignments[1].permissionSet = 'DataEngineer'),
    'identityCenter.assignments[1].permissionSet: unknown permission set "DataEngineer"',
  ],
  [
    'assignment to an unknown account',
    (r) => (r.identityCenter.assignments[0].accounts = ['management', 'staging']),
    'identityCenter.assignments[0].accounts[1]: unknown account "staging"',
  ],
];

describe('environment rules', () => {
  it.each(cases)('rejects %s', (_name, edit, expected) => {
    expect(problemsOf(edit)).toContain(expected);
  });

  it('lists every problem of a file, not just the first', () => {
    const problems = problemsOf((r) => {
      r.identityCenter.users.jdoe.groups = ['admins'];
      r.identityCenter.assignments[0].accounts = ['staging'];
      r.organization.accounts.production.email = 'aws+security@acme.example';
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        'identityCenter.users.jdoe.groups[0]: unknown group "admins"',
        'identityCenter.assignments[0].accounts[0]: unknown account "staging"',
        'organization.accounts.production.email: duplicate email "aws+security@acme.example" (also used by security)',
      ]),
    );
  });
});

describe('loading', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lz-env-'));

  it('reports a missing file', () => {
    expect(() => loadEnvironment(join(dir, 'missing.yaml'))).toThrow(/file not found/);
  });

  it('reports YAML that does not parse', () => {
    const file = join(dir, 'broken.yaml');
    writeFileSync(file, 'name: [unclosed\n');
    expect(() => loadEnvironment(file)).toThrow(ConfigError);
    expect(() => loadEnvironment(file)).toThrow(/not valid YAML/);
  });

  it('rejects an LZ_ENV that is neither a name nor a file path', () => {
    expect(() => environmentPath('../etc/passwd')).toThrow(
      /neither an environment name nor a .yaml\/.json path/,
    );
  });

  it('formats paths like the docs', () => {
    expect(formatPath(['identityCenter', 'users', 'jdoe', 'groups', 1])).toBe(
      'identityCenter.users.jdoe.groups[1]',
    );
  });

  it('reads ISO 8601 durations', () => {
    expect(durationMinutes('PT1H30M')).toBe(90);
    expect(durationMinutes('PT12H')).toBe(720);
    expect(durationMinutes('P1D')).toBeUndefined();
    expect(durationMinutes('PT')).toBeUndefined();
  });
});

describe('adopting an existing organization', () => {
  it('rejects malformed IDs and unknown keys', () => {
    const problems = problemsOf((r) => {
      r.organization.adopt = {
        organizationId: 'org-1',
        organizationalUnits: { sandbox: 'ou-ab12-cdef3456' },
        accounts: { production: '12345' },
      };
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        'organization.adopt.organizationId: must be an organization ID like o-abcd123456',
        'organization.adopt.accounts.production: must be a 12-digit AWS account ID',
      ]),
    );
    expect(
      problemsOf(
        (r) => (r.organization.adopt = { organizationalUnits: { sandbox: 'ou-ab12-cdef3456' } }),
      ),
    ).toContain(
      'organization.adopt.organizationalUnits.sandbox: unknown organizational unit "sandbox"',
    );
  });
});

describe('cross-section rules are wired into the schema', () => {
  it('rejects TFC workspace settings for a stack the app does not build', () => {
    const problems = problemsOf(
      (r) => (r.terraformCloud.workspaces = { 'cluster-main-02': { autoApply: true } }),
    );
    expect(
      problems.some((p) =>
        p.startsWith(
          'terraformCloud.workspaces.cluster-main-02: no workspace for stack "cluster-main-02"',
        ),
      ),
    ).toBe(true);
  });
});

describe('Terraform version of the workspaces', () => {
  it('must be 1.11 or newer: the stacks use ephemeral resources and write-only arguments', () => {
    expect(problemsOf((r) => (r.terraformCloud.terraformVersion = '1.10.5'))).toContain(
      'terraformCloud.terraformVersion: must be 1.11.0 or newer (ephemeral resources and write-only arguments need it)',
    );
    expect(problemsOf((r) => (r.terraformCloud.terraformVersion = '1.12.0'))).toEqual([]);
  });
});
