/**
 * Bad input: a table of invalid environments (each an edit of the example), each failing
 * validation with its exact `path: rule` message before any stack is built; and main.ts
 * run on a bad environment exits non-zero and leaves no cdktf.out behind.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { stringify } from 'yaml';
import { z } from 'zod';
import { formatIssues } from '../envs/load';
import { checkSecurity } from '../envs/schema/security';
import { exampleEnv, problemsOf, rawExample } from './support/env';

type Edit = (raw: Record<string, any>) => void;
const main01 = (raw: Record<string, any>) => raw.clusters['main-01'];

/**
 * The problems of an edited example: the schema's, plus the security cross-field rules
 * (`checkSecurity`) run on the parsed result in case envs/schema.ts does not call them yet.
 */
function problems(edit: Edit): string[] {
  const found = problemsOf(edit);
  if (found.length > 0) return found;
  const env = exampleEnv(edit);
  const result = z
    .any()
    .superRefine((e, ctx) => checkSecurity(e, ctx))
    .safeParse(env);
  return result.success ? [] : formatIssues(result.error.issues);
}

/** [what, edit, every expected message]. */
const CASES: [string, Edit, string[]][] = [
  // ---- top level and Terraform Cloud ----
  [
    'prefix with capitals',
    (r) => (r.prefix = 'Acme'),
    ['prefix: must be 2-16 lowercase letters, digits or hyphens, starting with a letter'],
  ],
  [
    'unknown region',
    (r) => (r.allowedRegions = ['eu-central-1', 'mars-north-1']),
    ['allowedRegions[1]: unknown AWS region'],
  ],
  [
    'duplicate region',
    (r) => (r.allowedRegions = ['eu-central-1', 'eu-central-1']),
    ['allowedRegions[1]: duplicate region "eu-central-1"'],
  ],
  [
    'Terraform version range',
    (r) => (r.terraformCloud.terraformVersion = '~> 1.11'),
    ['terraformCloud.terraformVersion: must be an exact version like 1.11.4'],
  ],
  [
    'misspelt key',
    (r) => (r.network.cidrs = '10.0.0.0/16'),
    ['network.cidrs: unknown key (not in the schema)'],
  ],
  // ---- organization ----
  [
    'invalid account email',
    (r) => (r.organization.accounts.security.email = 'security-at-acme'),
    ['organization.accounts.security.email: must be a valid email address'],
  ],
  [
    'duplicate account email (case-insensitive)',
    (r) => (r.organization.accounts.production.email = 'AWS+security@acme.example'),
    [
      'organization.accounts.production.email: duplicate email "AWS+security@acme.example" (also used by security)',
    ],
  ],
  [
    'account in an unknown OU',
    (r) => (r.organization.accounts.production.ou = 'sandbox'),
    ['organization.accounts.production.ou: unknown organizational unit "sandbox"'],
  ],
  [
    'member account named management',
    (r) => (r.organization.accounts.management = { email: 'm@acme.example', ou: 'security' }),
    ['organization.accounts.management: "management" is reserved for the management account'],
  ],
  [
    'SCP attached to an unknown OU',
    (r) =>
      (r.organization.serviceControlPolicies['deny-root-user'].targets = ['security', 'sandbox']),
    [
      'organization.serviceControlPolicies.deny-root-user.targets[1]: unknown organizational unit "sandbox"',
    ],
  ],
  // ---- identity center ----
  [
    'user in an unknown group',
    (r) => (r.identityCenter.users.jdoe.groups = ['platform-admins', 'admins']),
    ['identityCenter.users.jdoe.groups[1]: unknown group "admins"'],
  ],
  [
    'duplicate user email',
    (r) => (r.identityCenter.users.msmith.email = 'Jane.Doe@acme.example'),
    [
      'identityCenter.users.msmith.email: duplicate email "Jane.Doe@acme.example" (also used by jdoe)',
    ],
  ],
  [
    'session longer than 12 hours',
    (r) => (r.identityCenter.permissionSets.ReadOnly.sessionDuration = 'PT13H'),
    ['identityCenter.permissionSets.ReadOnly.sessionDuration: "PT13H" is outside PT1H-PT12H'],
  ],
  [
    'session not ISO 8601',
    (r) => (r.identityCenter.permissionSets.ReadOnly.sessionDuration = '8 hours'),
    [
      'identityCenter.permissionSets.ReadOnly.sessionDuration: "8 hours" is not an ISO 8601 duration like PT4H or PT1H30M',
    ],
  ],
  [
    'assignment to an unknown account',
    (r) =>
      r.identityCenter.assignments.push({
        group: 'auditors',
        permissionSet: 'ReadOnly',
        accounts: ['sandbox'],
      }),
    ['identityCenter.assignments[4].accounts[0]: unknown account "sandbox"'],
  ],
  [
    'assignment of an unknown permission set',
    (r) =>
      r.identityCenter.assignments.push({
        group: 'auditors',
        permissionSet: 'Auditor',
        accounts: ['security'],
      }),
    ['identityCenter.assignments[4].permissionSet: unknown permission set "Auditor"'],
  ],
  [
    'managed policy that is not an ARN',
    (r) => (r.identityCenter.permissionSets.ReadOnly.managedPolicies = ['ReadOnlyAccess']),
    [
      'identityCenter.permissionSets.ReadOnly.managedPolicies[0]: must be an IAM managed policy ARN',
    ],
  ],
  // ---- network ----
  [
    'VPC in an unknown account',
    (r) => (r.network.account = 'sandbox'),
    ['network.account: unknown account "sandbox"'],
  ],
  [
    'availability zone of another region',
    (r) => (r.network.availabilityZones = ['eu-central-1a', 'eu-west-1b']),
    ['network.availabilityZones[1]: "eu-west-1b" is not an availability zone of eu-central-1'],
  ],
  [
    'a single availability zone',
    (r) => (r.network.availabilityZones = ['eu-central-1a']),
    ['network.availabilityZones: needs 2 or 3 availability zones'],
  ],
  [
    'VPC range with host bits',
    (r) => (r.network.cidr = '10.0.1.0/16'),
    ['network.cidr: 10.0.1.0/16 is not a network address (did you mean 10.0.0.0/16?)'],
  ],
  [
    'VPC range too large',
    (r) => (r.network.cidr = '10.0.0.0/8'),
    ['network.cidr: the VPC range must be /16 to /24, got /8'],
  ],
  [
    'cluster block outside the VPC',
    (r) => (r.network.clusterBlocks = { 'main-01': '10.1.0.0/18' }),
    ['network.clusterBlocks.main-01: 10.1.0.0/18 is outside the VPC range 10.0.0.0/16'],
  ],
  [
    'cluster block for an unknown cluster',
    (r) => (r.network.clusterBlocks = { 'main-09': '10.0.0.0/18' }),
    ['network.clusterBlocks.main-09: unknown cluster "main-09"'],
  ],
  // ---- clusters ----
  [
    'unsupported Kubernetes version',
    (r) => (main01(r).kubernetesVersion = '1.20'),
    [
      expect.stringMatching(
        /^clusters\.main-01\.kubernetesVersion: "1\.20" is not a Kubernetes version in EKS standard support with pinned add-ons \(supported: /,
      ),
    ],
  ],
  [
    'API endpoint open to the internet',
    (r) => (main01(r).endpoint.publicAccessCidrs = ['0.0.0.0/0']),
    [
      'clusters.main-01.endpoint.publicAccessCidrs[0]: 0.0.0.0/0 opens the API endpoint to the internet; list specific CIDRs or none (private only)',
    ],
  ],
  [
    'system node group min above desired',
    (r) => (main01(r).systemNodeGroup.minSize = 5),
    ['clusters.main-01.systemNodeGroup: needs minSize <= desiredSize <= maxSize (got 5 / 2 / 4)'],
  ],
  [
    'node pool CPU limit zero',
    (r) => (main01(r).platform = { karpenter: { nodePools: { general: { limits: { cpu: 0 } } } } }),
    [
      'clusters.main-01.platform.karpenter.nodePools.general.limits.cpu: must be greater than zero (vCPUs)',
    ],
  ],
  [
    'node pool memory limit negative',
    (r) =>
      (main01(r).platform = { karpenter: { nodePools: { batch: { limits: { memoryGiB: -8 } } } } }),
    [
      'clusters.main-01.platform.karpenter.nodePools.batch.limits.memoryGiB: must be greater than zero (GiB)',
    ],
  ],
  // ---- platform and Dagster ----
  [
    'code location without an image',
    (r) => delete main01(r).dagster.codeLocations[0].image,
    ['clusters.main-01.dagster.codeLocations[0].image: is required (repository and a pinned tag)'],
  ],
  [
    'code location with tag latest',
    (r) => (main01(r).dagster.codeLocations[0].image.tag = 'latest'),
    [
      'clusters.main-01.dagster.codeLocations[0].image.tag: must be pinned; "latest" is not allowed',
    ],
  ],
  [
    'public Dagster UI without authentication',
    (r) => (main01(r).dagster.ingress.scheme = 'internet-facing'),
    [
      'clusters.main-01.dagster.ingress.auth: is required when scheme is internet-facing: a public Dagster UI needs OIDC or Cognito authentication on the load balancer',
    ],
  ],
  [
    'alert receiver without its secret reference',
    (r) =>
      (main01(r).platform = {
        monitoring: { alertmanager: { receivers: { ops: { slack: { channel: '#alerts' } } } } },
      }),
    [
      'clusters.main-01.platform.monitoring.alertmanager.receivers.ops.slack.apiUrlSecret: required: apiUrlSecret (the Slack webhook URL) must be a Secrets Manager reference ({ name, property? }); the value never goes in config',
    ],
  ],
  [
    'alert receiver with the secret pasted in',
    (r) =>
      (main01(r).platform = {
        monitoring: {
          alertmanager: { receivers: { ops: { pagerduty: { routingKeySecret: 'abc123' } } } },
        },
      }),
    [
      'clusters.main-01.platform.monitoring.alertmanager.receivers.ops.pagerduty.routingKeySecret: routingKeySecret (the PagerDuty Events v2 routing key) must be a Secrets Manager reference ({ name, property? }), not the value itself',
    ],
  ],
  // ---- security ----
  [
    'security account unknown',
    (r) => (r.security.securityAccount = 'audit'),
    ['security.securityAccount: unknown account "audit"'],
  ],
  [
    'security account is the management account',
    (r) => (r.security.securityAccount = 'management'),
    ['security.securityAccount: must be a member account, not the management account'],
  ],
  [
    'CloudTrail retention too short',
    (r) => (r.security.cloudTrail = { retentionDays: 30, glacierAfterDays: 10 }),
    ['security.cloudTrail.retentionDays: must be 90-3650 days'],
  ],
  [
    'Glacier transition after expiry',
    (r) => (r.security.cloudTrail = { retentionDays: 365, glacierAfterDays: 400 }),
    ['security.cloudTrail.glacierAfterDays: 400 must be below retentionDays (365)'],
  ],
  [
    'password policy too short',
    (r) => (r.security.passwordPolicy.minimumLength = 8),
    ['security.passwordPolicy.minimumLength: must be at least 14 (CIS AWS Foundations)'],
  ],
  [
    'budget of zero USD',
    (r) => (r.security.budgets['organization-monthly'].amount = 0),
    ['security.budgets.organization-monthly.amount: must be a positive amount in USD'],
  ],
  [
    'budget threshold of 0%',
    (r) => (r.security.budgets['organization-monthly'].alertThresholds = [0, 100]),
    [
      'security.budgets.organization-monthly.alertThresholds[0]: must be 1-1000 (percent of the amount)',
    ],
  ],
  [
    'budget recipient not an email',
    (r) => (r.security.budgets['organization-monthly'].emails = ['finops']),
    ['security.budgets.organization-monthly.emails[0]: must be a valid email address'],
  ],
  [
    'duplicate budget recipient',
    (r) =>
      (r.security.budgets['organization-monthly'].emails = ['a@acme.example', 'A@acme.example']),
    ['security.budgets.organization-monthly.emails[1]: duplicate email "A@acme.example"'],
  ],
  [
    'budget for an unknown account',
    (r) => (r.security.budgets['production-monthly'].accounts = ['staging']),
    ['security.budgets.production-monthly.accounts[0]: unknown account "staging"'],
  ],
  [
    'more budget alerts than AWS allows',
    (r) => (r.security.budgets['organization-monthly'].alertThresholds = [50, 60, 70, 80, 90]),
    [
      'security.budgets.organization-monthly: at most 5 alert and forecast thresholds in total (AWS Budgets limit)',
    ],
  ],
  // ---- guardrails ----
  [
    'suppression of an unknown rule',
    (r) =>
      (r.guardrails.suppressions = [
        { rule: 'LZ-FOO-001', resource: 'network/vpc', reason: 'a reason that is long enough' },
      ]),
    [
      expect.stringMatching(
        /^guardrails\.suppressions\[0\]\.rule: unknown rule \(known: LZ-IMDS-001, /,
      ),
    ],
  ],
  [
    'suppression without a real reason',
    (r) =>
      (r.guardrails.suppressions = [
        { rule: 'LZ-LOG-001', resource: 'network/vpc', reason: 'todo' },
      ]),
    ['guardrails.suppressions[0].reason: must explain the exemption in at least 20 characters'],
  ],
];

describe('invalid environments', () => {
  it('the table has at least 25 cases and the example itself is valid', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(25);
    expect(problemsOf(() => undefined)).toEqual([]);
  });

  it.each(CASES)('%s', (_what, edit, expected) => {
    expect(problems(edit)).toEqual(expected);
  });

  it('lists every problem of an environment at once', () => {
    const found = problemsOf((r) => {
      r.prefix = 'Acme';
      r.network.account = 'sandbox';
      r.security.passwordPolicy.minimumLength = 8;
    });
    expect(found).toEqual(
      expect.arrayContaining([
        'prefix: must be 2-16 lowercase letters, digits or hyphens, starting with a letter',
        'network.account: unknown account "sandbox"',
        'security.passwordPolicy.minimumLength: must be at least 14 (CIS AWS Foundations)',
      ]),
    );
  });
});

describe('main.ts on a bad environment', () => {
  const repo = join(__dirname, '..');
  const tsx = pathToFileURL(require.resolve('tsx')).href;
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'lz-bad-input-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Runs main.ts with `raw` as the environment in a fresh cwd; cdktf's outdir is `<cwd>/cdktf.out`. */
  function synth(name: string, raw: Record<string, any>) {
    const cwd = mkdtempSync(join(dir, `${name}-`));
    const envFile = join(cwd, `${name}.yaml`);
    writeFileSync(envFile, stringify(raw));
    const outdir = join(cwd, 'cdktf.out');
    const run = spawnSync(process.execPath, ['--import', tsx, join(repo, 'main.ts')], {
      cwd,
      encoding: 'utf8',
      env: { ...process.env, LZ_ENV: envFile, LZ_BACKEND: 'local', CDKTF_OUTDIR: outdir },
    });
    return { ...run, outdir, cwd };
  }

  it('exits non-zero with every problem listed and writes nothing (config errors)', () => {
    const raw = rawExample();
    raw.prefix = 'Acme';
    raw.clusters['main-01'].dagster.codeLocations[0].image.tag = 'latest';
    const run = synth('config', raw);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('2 problem(s) in the environment');
    expect(run.stderr).toContain('  - prefix: must be 2-16 lowercase letters');
    expect(run.stderr).toContain(
      '  - clusters.main-01.dagster.codeLocations[0].image.tag: must be pinned; "latest" is not allowed',
    );
    expect(existsSync(run.outdir)).toBe(false);
    expect(readdirSync(run.cwd)).toEqual(['config.yaml']);
  });

  it('exits non-zero and writes nothing when the guardrail check fails after the stacks are built', () => {
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
    const run = synth('guardrail', raw);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      'guardrails.suppressions[0].resource: "network/no-such-log-group" matches no resource',
    );
    expect(run.stderr).toContain('nothing was synthesized');
    expect(existsSync(run.outdir)).toBe(false);
    expect(readdirSync(run.cwd)).toEqual(['guardrail.yaml']);
  });
});
