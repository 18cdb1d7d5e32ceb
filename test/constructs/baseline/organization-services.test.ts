/**
 * The security stack's building blocks on their own: Security Hub central configuration,
 * GuardDuty split between the management and the administrator account, and the log archive's
 * lock. Expected values come from the provider docs and AWS docs cited per test.
 */
import { Testing, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import {
  SecurityHubCentralConfiguration,
  SecurityHubDelegatedAdmin,
} from '../../../constructs/baseline/security-hub-central';
import {
  GuardDutyDelegatedAdmin,
  GuardDutyOrganizationMembers,
} from '../../../constructs/baseline/guardduty-organization';
import { LogArchive, type LogArchiveProps } from '../../../constructs/baseline/log-archive';
import { dataOf, resourcesOf } from '../../support/synth';

const ADMIN = '222222222222';

function synth(build: (stack: TerraformStack, provider: AwsProvider) => void): any {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'sec');
  const provider = new AwsProvider(stack, 'aws', { region: 'eu-central-1' });
  build(stack, provider);
  return JSON.parse(Testing.synth(stack));
}
const only = (json: any, type: string) => {
  const all = Object.values(resourcesOf(json, type)) as any[];
  expect(all).toHaveLength(1);
  return all[0];
};

describe('Security Hub central configuration', () => {
  const central = (linkedRegions: string[]) =>
    synth((stack, provider) => {
      new SecurityHubDelegatedAdmin(stack, 'admin', { adminAccountId: ADMIN });
      new SecurityHubCentralConfiguration(stack, 'central', {
        provider,
        homeRegion: 'eu-central-1',
        linkedRegions,
        policyName: 'acme-organization',
        standards: ['standards/aws-foundational-security-best-practices/v/1.0.0'],
        targetIds: ['r-ab12'],
      });
    });

  it('is CENTRAL with auto-enable off, behind a finding aggregator (provider doc requirements)', () => {
    // securityhub_organization_configuration.html.markdown: "If using central configuration,
    // `auto_enable` must be set to `false` and `auto_enable_standards` set to `NONE`" and
    // "Central configuration also requires an `aws_securityhub_finding_aggregator`".
    const json = central(['eu-west-1']);
    const org = only(json, 'aws_securityhub_organization_configuration');
    expect(org).toMatchObject({
      auto_enable: false,
      auto_enable_standards: 'NONE',
      organization_configuration: { configuration_type: 'CENTRAL' },
    });
    expect(org.depends_on).toEqual([
      expect.stringMatching(/^aws_securityhub_finding_aggregator\./),
    ]);
    expect(only(json, 'aws_securityhub_finding_aggregator')).toMatchObject({
      linking_mode: 'SPECIFIED_REGIONS',
      specified_regions: ['eu-west-1'],
    });
  });

  it('aggregates no other region when the home region is the only one (NO_REGIONS)', () => {
    const agg = only(central([]), 'aws_securityhub_finding_aggregator');
    expect(agg.linking_mode).toBe('NO_REGIONS');
    expect(agg.specified_regions).toBeUndefined();
  });

  it('associates one policy (Security Hub on, the standards) with the root, covering existing accounts', () => {
    const json = central(['eu-west-1']);
    const policy = only(json, 'aws_securityhub_configuration_policy');
    expect(policy.configuration_policy).toMatchObject({
      service_enabled: true,
      enabled_standard_arns: [
        'arn:aws:securityhub:eu-central-1::standards/aws-foundational-security-best-practices/v/1.0.0',
      ],
    });
    const assoc = only(json, 'aws_securityhub_configuration_policy_association');
    expect(assoc.target_id).toBe('r-ab12');
    expect(assoc.policy_id).toMatch(/^\$\{aws_securityhub_configuration_policy\.[\w-]+\.id\}$/);
  });

  it('registers the delegated administrator from the management account after enabling Security Hub there', () => {
    const json = central([]);
    const reg = only(json, 'aws_securityhub_organization_admin_account');
    expect(reg.admin_account_id).toBe(ADMIN);
    expect(reg.depends_on).toEqual([expect.stringMatching(/^aws_securityhub_account\./)]);
    // Registration enables Security Hub in the administrator: no hub is created for it.
    expect(Object.keys(resourcesOf(json, 'aws_securityhub_account'))).toHaveLength(1);
  });
});

describe('GuardDuty split by account', () => {
  const json = synth((stack, provider) => {
    new GuardDutyDelegatedAdmin(stack, 'gd-admin', {
      adminAccountId: ADMIN,
      existingDetectorId: '12abc34d567e8fa901bc2d34e56789f0',
    });
    new GuardDutyOrganizationMembers(stack, 'gd-members', { provider });
  });

  it('enrolls ALL members (existing ones too) and every protection plan for ALL', () => {
    // API_UpdateOrganizationConfiguration: "ALL: ... all accounts in the organization have
    // GuardDuty enabled automatically"; NEW covers only accounts that join later.
    expect(only(json, 'aws_guardduty_organization_configuration')).toMatchObject({
      auto_enable_organization_members: 'ALL',
    });
    const features = Object.values(
      resourcesOf(json, 'aws_guardduty_organization_configuration_feature'),
    ) as any[];
    expect(features.map((f) => f.auto_enable)).toEqual(features.map(() => 'ALL'));
  });

  it('reads the administrator detector the registration enabled, and imports an existing management detector', () => {
    expect(Object.keys(dataOf(json, 'aws_guardduty_detector'))).toHaveLength(1);
    expect(only(json, 'aws_guardduty_detector')).toBeDefined();
    expect(json.import).toEqual([
      expect.objectContaining({ id: '12abc34d567e8fa901bc2d34e56789f0' }),
    ]);
    expect(only(json, 'aws_guardduty_organization_admin_account').admin_account_id).toBe(ADMIN);
  });
});

describe('log archive lock', () => {
  const archive = (extra: Partial<LogArchiveProps>) =>
    synth((stack, provider) => {
      new LogArchive(stack, 'archive', {
        provider,
        bucketName: 'acme-log-archive-222222222222',
        keyAlias: 'acme-log-archive',
        securityAccountId: ADMIN,
        managementAccountId: '111111111111',
        organizationId: 'o-abcdef1234',
        trailArn: 'arn:aws:cloudtrail:eu-central-1:111111111111:trail/acme',
        retentionDays: 365,
        glacierAfterDays: 90,
        noncurrentVersionDays: 90,
        ...extra,
      });
    });
  const bucketPolicy = (json: any) =>
    (
      Object.entries(dataOf(json, 'aws_iam_policy_document')).find(([k]) =>
        k.includes('bucket_policy-document'),
      )![1] as any
    ).statement;

  it('locks versions in GOVERNANCE for the retention by default, without replacing the bucket', () => {
    const json = archive({});
    const lock = only(json, 'aws_s3_bucket_object_lock_configuration');
    expect(lock).toMatchObject({
      object_lock_enabled: 'Enabled',
      rule: { default_retention: { mode: 'GOVERNANCE', days: 365 } },
    });
    // Versioning first (provider doc: "you must first enable versioning on the bucket and then
    // enable Object Lock"); never aws_s3_bucket.object_lock_enabled ("Forces new resource").
    expect(lock.depends_on).toEqual([expect.stringMatching(/^aws_s3_bucket_versioning\./)]);
    expect(only(json, 'aws_s3_bucket').object_lock_enabled).toBeUndefined();
  });

  it('takes COMPLIANCE mode and its days, or no lock', () => {
    const json = archive({ objectLock: { mode: 'COMPLIANCE', days: 400 } });
    expect(only(json, 'aws_s3_bucket_object_lock_configuration').rule.default_retention).toEqual({
      mode: 'COMPLIANCE',
      days: 400,
    });
    expect(
      resourcesOf(archive({ objectLock: false }), 'aws_s3_bucket_object_lock_configuration'),
    ).toEqual({});
  });

  it('denies deleting logs to every principal, with no condition to lift it', () => {
    const deny = bucketPolicy(archive({})).find((s: any) => s.sid === 'DenyLogDeletion');
    expect(deny).toMatchObject({
      effect: 'Deny',
      principals: [{ type: '*', identifiers: ['*'] }],
    });
    expect(deny.actions).toEqual(
      expect.arrayContaining(['s3:DeleteObjectVersion', 's3:BypassGovernanceRetention']),
    );
    expect(deny.condition).toBeUndefined();
    expect(
      bucketPolicy(archive({})).find((s: any) => s.sid === 'DenyProtectionChanges'),
    ).toBeUndefined();
  });

  it('lets only the named managers change the bucket settings when given', () => {
    const apply = 'arn:aws:iam::222222222222:role/acme-security-apply';
    const st = bucketPolicy(archive({ policyManagerArns: [apply] })).find(
      (s: any) => s.sid === 'DenyProtectionChanges',
    );
    expect(st.actions).toEqual(
      expect.arrayContaining(['s3:PutBucketPolicy', 's3:DeleteBucketPolicy']),
    );
    expect(st.condition).toEqual([
      { test: 'ArnNotLike', variable: 'aws:PrincipalArn', values: [apply] },
    ]);
  });
});
