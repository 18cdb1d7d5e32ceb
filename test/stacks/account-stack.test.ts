/**
 * Account stacks (`account-<key>`, management included): the per-account baseline in every
 * allowed region through providers configured from the environment only, Config recorders into
 * the security stack's log archive, and budgets in the management (payer) account.
 */
import 'cdktf/lib/testing/adapters/jest';
import { IamAccountPasswordPolicy } from '@cdktf/provider-aws/lib/iam-account-password-policy';
import { exampleEnv } from '../support/env';
import { buildExample, resourcesOf, sharedExample, synthJson, synthStack } from '../support/synth';

const lz = sharedExample();
const json = (key: string) => synthJson(lz.accounts[key]);
const ofType = (j: Record<string, any>, type: string) =>
  Object.values(resourcesOf(j, type)) as any[];

describe('one account stack per account', () => {
  it('exists for the management account and every member account, in bootstrap order after security', () => {
    expect(Object.keys(lz.accounts)).toEqual(['management', 'security', 'production']);
    const ids = lz.specs.map((s) => s.id);
    expect(ids.indexOf('account-management')).toBeGreaterThan(ids.indexOf('security'));
    expect(ids.indexOf('network')).toBeGreaterThan(ids.indexOf('account-production'));
    expect(lz.specs.find((s) => s.id === 'account-production')).toMatchObject({
      kind: 'account',
      account: 'production',
      workspace: 'acme-account-production',
    });
  });

  it('configures the default provider and one alias per other allowed region, from config only', () => {
    const p = json('production').provider.aws as any[];
    expect(p.map((x) => [x.alias ?? '(default)', x.region])).toEqual([
      ['(default)', 'eu-central-1'],
      ['eu-west-1', 'eu-west-1'],
    ]);
    for (const x of p) {
      expect(x.assume_role).toBeUndefined();
      expect(JSON.stringify(x)).not.toMatch(/\$\{/);
    }
  });
});

describe('account defaults', () => {
  const prod = json('production');
  it('turns on EBS encryption by default in every allowed region', () => {
    const ebs = ofType(prod, 'aws_ebs_encryption_by_default');
    expect(ebs.every((e) => e.enabled === true)).toBe(true);
    expect(ebs.map((e) => e.provider ?? '(default)').sort()).toEqual([
      '(default)',
      'aws.eu-west-1',
    ]);
  });

  it('blocks S3 public access at account level and sets the password policy', () => {
    const pab = ofType(prod, 'aws_s3_account_public_access_block');
    expect(pab).toHaveLength(1);
    expect(pab[0]).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(synthStack(lz.accounts.production)).toHaveResourceWithProperties(
      IamAccountPasswordPolicy,
      {
        minimum_password_length: 14,
        password_reuse_prevention: 24,
        max_password_age: 90,
        require_symbols: true,
        require_numbers: true,
        require_lowercase_characters: true,
        require_uppercase_characters: true,
      },
    );
  });

  it('keeps the former management stack addresses (baseline/account-<key>/…)', () => {
    expect(Object.keys(resourcesOf(prod, 'aws_s3_account_public_access_block'))).toEqual([
      expect.stringMatching(/^baseline_account-production_s3-public-access-block_/),
    ]);
  });
});

describe('budgets (management account only)', () => {
  const mgmt = json('management');
  const budgets = Object.fromEntries(ofType(mgmt, 'aws_budgets_budget').map((b) => [b.name, b]));

  it('creates one monthly USD cost budget per configured budget, none in member accounts', () => {
    expect(Object.keys(budgets).sort()).toEqual([
      'acme-organization-monthly',
      'acme-production-monthly',
    ]);
    expect(budgets['acme-organization-monthly']).toMatchObject({
      budget_type: 'COST',
      limit_amount: '2000.00',
      limit_unit: 'USD',
      time_unit: 'MONTHLY',
    });
    expect(budgets['acme-organization-monthly'].cost_filter).toBeUndefined();
    expect(ofType(json('production'), 'aws_budgets_budget')).toEqual([]);
  });

  it('alerts the configured emails at each actual and forecast threshold', () => {
    const n = budgets['acme-organization-monthly'].notification;
    expect(n.map((x: any) => [x.notification_type, x.threshold, x.threshold_type])).toEqual([
      ['ACTUAL', 80, 'PERCENTAGE'],
      ['ACTUAL', 100, 'PERCENTAGE'],
      ['FORECASTED', 100, 'PERCENTAGE'],
    ]);
  });

  it('limits a budget to its accounts (IDs from the organization stack)', () => {
    expect(budgets['acme-production-monthly'].cost_filter).toEqual([
      {
        name: 'LinkedAccount',
        values: [expect.stringContaining('organization_account-production_')],
      },
    ]);
  });
});

describe('AWS Config (security.config.enabled)', () => {
  const withConfig = buildExample(exampleEnv((raw) => (raw.security.config = { enabled: true })));
  const prod = synthJson(withConfig.accounts.production);

  it('records in every allowed region, global types once at home, into the log archive', () => {
    const recorders = ofType(prod, 'aws_config_configuration_recorder');
    expect(
      recorders
        .map((r) => [r.provider ?? '(default)', r.recording_group.include_global_resource_types])
        .sort(),
    ).toEqual([
      ['(default)', true],
      ['aws.eu-west-1', false],
    ]);
    const roles = Object.keys(resourcesOf(prod, 'aws_iam_service_linked_role'));
    expect(roles).toHaveLength(1);
    const euWest = recorders.find((r) => r.provider === 'aws.eu-west-1');
    expect(euWest.role_arn).toBe(`\${aws_iam_service_linked_role.${roles[0]}.arn}`);
    for (const c of ofType(prod, 'aws_config_delivery_channel'))
      expect(c).toMatchObject({
        s3_key_prefix: 'config',
        s3_bucket_name: expect.stringContaining('aws_s3_bucket.baseline_log-archive'),
      });
    expect(Object.keys(resourcesOf(prod, 'aws_config_configuration_recorder')).sort()).toEqual([
      expect.stringMatching(/^baseline_config-production-eu-west-1_recorder_/),
      expect.stringMatching(/^baseline_config-production_recorder_/),
    ]);
  });
});
