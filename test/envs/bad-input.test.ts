/**
 * Bad input: a table of invalid environments (each an edit of the example). Each one fails
 * validation with its exact `path: rule` messages, and run through main.ts's `synthesize`
 * it stops at the `config` stage: no stack is built and no cdktf.out is left behind. Two
 * runs of main.ts as a process check the exit status and stderr.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { problemsOf, rawExample } from '../support/env';
import * as app from '../../stacks/app';
import { synthesize } from '../../main';

type Raw = Record<string, any>;
type Edit = (raw: Raw) => void;
/** A message, or a matcher for messages that list something long (rule IDs, versions). */
type Expected = string | ReturnType<typeof expect.stringMatching>;

/**
 * An edit that sets the value at a dotted `path` (numbers index arrays; `undefined` deletes).
 * @example set('organization.accounts.security.email', 'x')
 */
const set =
  (path: string, value: unknown): Edit =>
  (raw) => {
    const keys = path.split('.');
    const last = keys.pop()!;
    const parent = keys.reduce((o, k) => o[k], raw);
    if (value === undefined) delete parent[last];
    else parent[last] = value;
  };
/** An edit that appends `item` to the array at `path`. */
const push =
  (path: string, item: unknown): Edit =>
  (raw) =>
    path
      .split('.')
      .reduce((o, k) => o[k], raw)
      .push(item);
/** A second cluster, `main-02`, copied from `main-01`, plus `edit`. */
const withSecondCluster =
  (edit: Edit): Edit =>
  (raw) => {
    raw.clusters['main-02'] = structuredClone(raw.clusters['main-01']);
    edit(raw);
  };

const M = 'clusters.main-01';
const BUDGET = 'security.budgets.organization-monthly';
const REASON = 'a reason that is long enough';

/** [what, edit, every expected message in order]. */
const CASES: [string, Edit, Expected[]][] = [
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
  // ---- network: accounts, AZs, address blocks ----
  [
    'VPC in an unknown account',
    set('network.account', 'sandbox'),
    ['network.account: unknown account "sandbox"'],
  ],
  [
    'availability zone of another region',
    set('network.availabilityZones', ['eu-central-1a', 'eu-west-1b']),
    ['network.availabilityZones[1]: "eu-west-1b" is not an availability zone of eu-central-1'],
  ],
  [
    'availability zone letter that does not exist',
    set('network.availabilityZones', ['eu-central-1a', 'eu-central-1z']),
    ['network.availabilityZones[1]: "eu-central-1z" must end in a letter a..h (its address slot)'],
  ],
  [
    'duplicate availability zone',
    set('network.availabilityZones', ['eu-central-1a', 'eu-central-1a']),
    ['network.availabilityZones[1]: duplicate availability zone "eu-central-1a"'],
  ],
  [
    'a single availability zone',
    set('network.availabilityZones', ['eu-central-1a']),
    ['network.availabilityZones: needs 2 or 3 availability zones'],
  ],
  [
    'VPC range with host bits',
    set('network.cidr', '10.0.1.0/16'),
    ['network.cidr: 10.0.1.0/16 is not a network address (did you mean 10.0.0.0/16?)'],
  ],
  [
    'VPC range too large',
    set('network.cidr', '10.0.0.0/8'),
    ['network.cidr: the VPC range must be /16 to /24, got /8'],
  ],
  [
    'cluster block outside the VPC',
    set('network.clusterBlocks', { 'main-01': '10.1.0.0/18' }),
    [
      'network.clusterBlocks.main-01: 10.1.0.0/18 is outside the VPC ranges (10.0.0.0/16; add a secondary range to network.secondaryCidrs)',
    ],
  ],
  [
    'cluster blocks that overlap',
    withSecondCluster(
      set('network.clusterBlocks', { 'main-01': '10.0.0.0/18', 'main-02': '10.0.32.0/19' }),
    ),
    ['network.clusterBlocks.main-02: 10.0.32.0/19 overlaps main-01 (10.0.0.0/18)'],
  ],
  [
    'cluster block too small for its subnets',
    set('network.clusterBlocks', { 'main-01': '10.0.0.0/26' }),
    [
      'network.clusterBlocks.main-01: 10.0.0.0/26: a /26 block cannot hold a /20 private and a /28 control-plane subnet for each AZ slot a..c below the space of 8 /24 public subnets (14384 addresses needed, 64 available)',
    ],
  ],
  [
    'cluster block for an unknown cluster',
    set('network.clusterBlocks', { 'main-09': '10.0.0.0/18' }),
    ['network.clusterBlocks.main-09: unknown cluster "main-09"'],
  ],
  // ---- clusters: versions, endpoint, node limits ----
  [
    'unsupported Kubernetes version',
    set(`${M}.kubernetesVersion`, '1.20'),
    [
      expect.stringMatching(
        /^clusters\.main-01\.kubernetesVersion: "1\.20" is not a Kubernetes version in EKS standard support with pinned add-ons \(supported: /,
      ),
    ],
  ],
  [
    'API endpoint open to the internet',
    set(`${M}.endpoint.publicAccessCidrs`, ['0.0.0.0/0']),
    [
      'clusters.main-01.endpoint.publicAccessCidrs[0]: 0.0.0.0/0 opens the API endpoint to the internet; list specific CIDRs or none (private only)',
    ],
  ],
  [
    'system node group min above desired',
    set(`${M}.systemNodeGroup.minSize`, 5),
    ['clusters.main-01.systemNodeGroup: needs minSize <= desiredSize <= maxSize (got 5 / 2 / 4)'],
  ],
  [
    'node pool CPU limit zero',
    set(`${M}.platform`, { karpenter: { nodePools: { general: { limits: { cpu: 0 } } } } }),
    [
      'clusters.main-01.platform.karpenter.nodePools.general.limits.cpu: must be greater than zero (vCPUs)',
    ],
  ],
  [
    'node pool memory limit negative',
    set(`${M}.platform`, { karpenter: { nodePools: { batch: { limits: { memoryGiB: -8 } } } } }),
    [
      'clusters.main-01.platform.karpenter.nodePools.batch.limits.memoryGiB: must be greater than zero (GiB)',
    ],
  ],
  // ---- platform and Dagster: images, public UI, receivers ----
  [
    'code location without an image',
    set(`${M}.dagster.codeLocations.0.image`, undefined),
    ['clusters.main-01.dagster.codeLocations[0].image: is required (repository and a pinned tag)'],
  ],
  [
    'code location with tag latest',
    set(`${M}.dagster.codeLocations.0.image.tag`, 'latest'),
    [
      'clusters.main-01.dagster.codeLocations[0].image.tag: must be pinned; "latest" is not allowed',
    ],
  ],
  [
    'code location with tag LATEST (any case)',
    set(`${M}.dagster.codeLocations.0.image.tag`, 'LATEST'),
    [
      'clusters.main-01.dagster.codeLocations[0].image.tag: must be pinned; "latest" is not allowed',
    ],
  ],
  [
    'public Dagster UI without authentication',
    set(`${M}.dagster.ingress.scheme`, 'internet-facing'),
    [
      'clusters.main-01.dagster.ingress.auth: is required when scheme is internet-facing: a public Dagster UI needs OIDC or Cognito authentication on the load balancer',
    ],
  ],
  [
    'alert receiver without its secret reference',
    set(`${M}.platform`, {
      monitoring: { alertmanager: { receivers: { ops: { slack: { channel: '#alerts' } } } } },
    }),
    [
      'clusters.main-01.platform.monitoring.alertmanager.receivers.ops.slack.apiUrlSecret: required: apiUrlSecret (the Slack webhook URL) must be a Secrets Manager reference ({ name, property? }); the value never goes in config',
    ],
  ],
  [
    'alert receiver with the secret pasted in',
    set(`${M}.platform`, {
      monitoring: {
        alertmanager: { receivers: { ops: { pagerduty: { routingKeySecret: 'abc123' } } } },
      },
    }),
    [
      'clusters.main-01.platform.monitoring.alertmanager.receivers.ops.pagerduty.routingKeySecret: routingKeySecret (the PagerDuty Events v2 routing key) must be a Secrets Manager reference ({ name, property? }), not the value itself',
    ],
  ],
  // ---- security baseline ----
  [
    'security account unknown',
    set('security.securityAccount', 'audit'),
    ['security.securityAccount: unknown account "audit"'],
  ],
  [
    'security account is the management account',
    set('security.securityAccount', 'management'),
    ['security.securityAccount: must be a member account, not the management account'],
  ],
  [
    'CloudTrail retention too short',
    set('security.cloudTrail', { retentionDays: 30, glacierAfterDays: 10 }),
    ['security.cloudTrail.retentionDays: must be 90-3650 days'],
  ],
  [
    'CloudTrail retention not whole days',
    set('security.cloudTrail', { retentionDays: 365.5 }),
    ['security.cloudTrail.retentionDays: must be a whole number (days)'],
  ],
  [
    'Glacier transition after expiry',
    set('security.cloudTrail', { retentionDays: 365, glacierAfterDays: 400 }),
    ['security.cloudTrail.glacierAfterDays: 400 must be below retentionDays (365)'],
  ],
  [
    'password policy too short',
    set('security.passwordPolicy.minimumLength', 8),
    [
      'security.passwordPolicy.minimumLength: must be 14-128 characters (CIS AWS Foundations: at least 14)',
    ],
  ],
  [
    'password reuse prevention off',
    set('security.passwordPolicy.reusePrevention', 0),
    ['security.passwordPolicy.reusePrevention: must be 1-24 previous passwords'],
  ],
  [
    'budget of zero USD',
    set(`${BUDGET}.amount`, 0),
    ['security.budgets.organization-monthly.amount: must be a positive amount in USD'],
  ],
  [
    'budget threshold of 0%',
    set(`${BUDGET}.alertThresholds`, [0, 100]),
    [
      'security.budgets.organization-monthly.alertThresholds[0]: must be 1-1000 percent of the amount',
    ],
  ],
  [
    'duplicate budget threshold',
    set(`${BUDGET}.forecastThresholds`, [100, 100]),
    ['security.budgets.organization-monthly.forecastThresholds[1]: duplicate threshold 100%'],
  ],
  [
    'budget recipient not an email',
    set(`${BUDGET}.emails`, ['finops']),
    ['security.budgets.organization-monthly.emails[0]: must be a valid email address'],
  ],
  [
    'budget without recipients',
    set(`${BUDGET}.emails`, []),
    ['security.budgets.organization-monthly.emails: needs at least one email recipient'],
  ],
  [
    'duplicate budget recipient',
    set(`${BUDGET}.emails`, ['a@acme.example', 'A@acme.example']),
    ['security.budgets.organization-monthly.emails[1]: duplicate email "A@acme.example"'],
  ],
  [
    'budget for an unknown account',
    set('security.budgets.production-monthly.accounts', ['staging']),
    ['security.budgets.production-monthly.accounts[0]: unknown account "staging"'],
  ],
  [
    'more budget alerts than AWS allows',
    set(`${BUDGET}.alertThresholds`, [50, 60, 70, 80, 90]),
    [
      'security.budgets.organization-monthly: at most 5 alert and forecast thresholds in total (AWS Budgets limit)',
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
  [
    'Config off while Security Hub is on',
    set('security.config', { enabled: false }),
    [
      'security.config.enabled: must be true while securityHub.enabled is true: Security Hub control findings need AWS Config recording in every account and region (https://docs.aws.amazon.com/securityhub/latest/userguide/securityhub-setup-prereqs.html)',
    ],
  ],
  [
    'log archive in an unknown account',
    set('security.logArchive', { account: 'archive' }),
    ['security.logArchive.account: unknown account "archive"'],
  ],
  [
    'log archive in the management account',
    set('security.logArchive', { account: 'management' }),
    ['security.logArchive.account: must be a member account, not the management account'],
  ],
  [
    // AWS SRA: the Log Archive account "is dedicated to ingesting and archiving all
    // security-related logs" (https://docs.aws.amazon.com/prescriptive-guidance/latest/security-reference-architecture/log-archive.html)
    'log archive in the workload account (network and cluster main-01)',
    set('security.logArchive', { account: 'production' }),
    [
      'security.logArchive.account: "production" also holds the network (network.account): a log-archive account other than securityAccount holds only the archive (AWS SRA Log Archive account); choose an account of its own or leave logArchive.account unset',
      'security.logArchive.account: "production" also holds cluster "main-01" (clusters.main-01.account): a log-archive account other than securityAccount holds only the archive (AWS SRA Log Archive account); choose an account of its own or leave logArchive.account unset',
    ],
  ],
  [
    'log lock longer than the retention',
    set('security.logArchive', { lockDays: 400 }),
    [
      'security.logArchive.lockDays: 400 must not exceed cloudTrail.retentionDays (365): a log would expire while still locked',
    ],
  ],
  [
    'lock days without a lock',
    set('security.logArchive', { objectLock: 'off', lockDays: 30 }),
    ['security.logArchive.lockDays: is set but logArchive.objectLock is off'],
  ],
  [
    'GuardDuty in an unknown region',
    set('security.guardDuty', { additionalRegions: ['us-east-9'] }),
    ['security.guardDuty.additionalRegions[0]: unknown AWS region'],
  ],
  // ---- guardrails ----
  [
    'suppression of an unknown rule',
    set('guardrails.suppressions', [
      { rule: 'LZ-FOO-001', resource: 'network/vpc', reason: REASON },
    ]),
    [
      expect.stringMatching(
        /^guardrails\.suppressions\[0\]\.rule: unknown rule \(known: LZ-IMDS-001, /,
      ),
    ],
  ],
  [
    'suppression without a real reason',
    set('guardrails.suppressions', [
      { rule: 'LZ-LOG-001', resource: 'network/vpc', reason: 'todo' },
    ]),
    ['guardrails.suppressions[0].reason: must explain the exemption in at least 20 characters'],
  ],
  [
    'the same suppression twice',
    set('guardrails.suppressions', [
      { rule: 'LZ-LOG-001', resource: 'network/x', reason: REASON },
      { rule: 'LZ-LOG-001', resource: 'network/x', reason: REASON },
    ]),
    [
      'guardrails.suppressions[1]: duplicate suppression of LZ-LOG-001 for "network/x" (also suppressions[0])',
    ],
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

  it.each(CASES.map((c, i) => [...c, i] as const))('%s', (_what, edit, expected, i) => {
    expect(problemsOf(edit)).toEqual(expected);

    const raw = rawExample();
    edit(raw);
    const file = join(scratch, `case-${i}.yaml`);
    writeFileSync(file, stringify(raw));
    const outdir = join(scratch, `case-${i}.out`);
    build.mockClear();
    const logged: string[] = [];
    const result = synthesize({ environment: file, outdir, log: (l) => logged.push(l), build });
    expect(result).toMatchObject({ ok: false, stage: 'config' });
    const text = result.ok ? '' : result.message;
    expect(text.split('\n')[0]).toBe(`${file}: ${expected.length} problem(s) in the environment:`);
    // Every problem on its own line (the matchers' full text is checked by problemsOf above).
    expect(text.split('\n').slice(1)).toEqual(
      expected.map((m) => (typeof m === 'string' ? `  - ${m}` : expect.stringMatching(/^ {2}- /))),
    );
    expect(build).not.toHaveBeenCalled();
    expect(logged).toEqual([]);
    expect(existsSync(outdir)).toBe(false);
  });

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
