/**
 * The organization security services in the security stack: log archive and CloudTrail,
 * GuardDuty, Security Hub, Access Analyzer, optional Config aggregation, and the two accounts'
 * providers (security account untagged, management account through the MANAGEMENT
 * dynamic-credentials configuration). The per-account pieces are in test/stacks/account-stack.test.ts.
 */
import 'cdktf/lib/testing/adapters/jest';
import { Cloudtrail } from '@cdktf/provider-aws/lib/cloudtrail';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { AccessanalyzerAnalyzer } from '@cdktf/provider-aws/lib/accessanalyzer-analyzer';
import { SecurityhubOrganizationConfiguration } from '@cdktf/provider-aws/lib/securityhub-organization-configuration';
import { GuarddutyOrganizationConfiguration } from '@cdktf/provider-aws/lib/guardduty-organization-configuration';
import { exampleEnv } from '../../support/env';
import { buildExample, dataOf, resourcesOf, sharedExample, synthJson } from '../../support/synth';
import { Testing, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { SecurityBaseline } from '../../../constructs/baseline/security-baseline';
import type { SecurityStack } from '../../../stacks/security-stack';

/** The security stack of the example changed by `edit`: the baseline lives there. */
function managementStack(edit?: (raw: Record<string, any>) => void): SecurityStack {
  return buildExample(exampleEnv(edit)).security;
}

let synth: string;
let json: Record<string, any>;
beforeAll(() => {
  synth = Testing.synth(managementStack());
  json = JSON.parse(synth);
});
const one = (type: string) => {
  const all = Object.entries(resourcesOf(json, type));
  expect(all).toHaveLength(1);
  return all[0] as [string, any];
};
const ofType = (type: string) => Object.values(resourcesOf(json, type)) as any[];
const doc = (pattern: RegExp): any => {
  const hits = Object.entries(dataOf(json, 'aws_iam_policy_document')).filter(([k]) =>
    pattern.test(k),
  );
  expect(hits).toHaveLength(1);
  return hits[0][1];
};
const statement = (d: any, sid: string) => d.statement.find((s: any) => s.sid === sid);
const SECURITY_ID = '${aws_organizations_account.organization_account-security_';

describe('providers: two accounts, each with its own dynamic credentials', () => {
  const providers = () => json.provider.aws as any[];

  it('creates one provider per (account, region), configured from the TFC variable only', () => {
    const aliases = providers().map((p) => p.alias ?? '(default)');
    // the allowed regions plus us-east-1, where GuardDuty also runs (guardDutyRegions)
    expect(aliases.sort()).toEqual(
      [
        '(default)',
        'management-eu-west-1',
        'management-us-east-1',
        'security',
        'security-eu-west-1',
        'security-us-east-1',
      ].sort(),
    );
    for (const p of providers()) {
      expect(p.assume_role).toBeUndefined();
      const tag = /^security/.test(p.alias ?? '') ? 'default' : 'aliases.MANAGEMENT';
      expect(p.shared_config_files).toBe(
        `\${(var.tfc_aws_dynamic_credentials == null) ? null : [var.tfc_aws_dynamic_credentials.${tag}.shared_config_file]}`,
      );
    }
    expect(json.variable.tfc_aws_dynamic_credentials).toMatchObject({
      default: null,
      nullable: true,
    });
  });

  it('reads organization and account IDs from the organization stack (remote state once synthesized)', () => {
    // Testing.synth of one stack shows the cross-stack token as the producer's attribute; the
    // app's synth turns it into terraform_remote_state (edge organization->security, tfc-stack.test.ts)
    const [, bucket] = one('aws_s3_bucket');
    expect(bucket.bucket).toContain('aws_organizations_account.organization_account-security_');
    expect(json.output.log_archive_bucket).toBeDefined();
  });
});

describe('log archive and organization trail', () => {
  it('creates an organization, multi-region trail with global events, log validation and KMS', () => {
    expect(synth).toHaveResourceWithProperties(Cloudtrail, {
      name: 'acme-organization-trail',
      is_organization_trail: true,
      is_multi_region_trail: true,
      include_global_service_events: true,
      enable_log_file_validation: true,
      enable_logging: true,
    });
    const [, trail] = one('aws_cloudtrail');
    expect(trail.provider).toBeUndefined(); // management account
    expect(trail.kms_key_id).toMatch(/^\$\{aws_kms_key\.baseline_log-archive_key_\w+\.arn\}$/);
    expect(trail.s3_bucket_name).toMatch(
      /^\$\{aws_s3_bucket\.baseline_log-archive_bucket_\w+\.bucket\}$/,
    );
    expect(trail.depends_on.join(' ')).toMatch(
      /aws_s3_bucket_policy\.baseline_log-archive_bucket_policy/,
    );
  });

  it('keeps the logs in a versioned, KMS-encrypted, private, protected bucket in the security account', () => {
    const [name, bucket] = one('aws_s3_bucket');
    expect(bucket.provider).toBe('aws.security');
    expect(bucket.bucket).toMatch(
      new RegExp(
        `^acme-log-archive-\\$\\{aws_organizations_account\\.organization_account-security_\\w+\\.id\\}$`,
      ),
    );
    expect(bucket.lifecycle.prevent_destroy).toBe(true);
    const [, sse] = one('aws_s3_bucket_server_side_encryption_configuration');
    expect(sse.rule[0].apply_server_side_encryption_by_default).toEqual({
      sse_algorithm: 'aws:kms',
      kms_master_key_id: expect.stringMatching(/aws_kms_key\.baseline_log-archive_key_\w+\.arn/),
    });
    const [, pab] = one('aws_s3_bucket_public_access_block');
    expect(pab).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(one('aws_s3_bucket_versioning')[1].versioning_configuration.status).toBe('Enabled');
    expect(name).toMatch(/log-archive/);
  });

  it('applies the lifecycle from the environment (365 days, Glacier IR after 90)', () => {
    const [, lc] = one('aws_s3_bucket_lifecycle_configuration');
    expect(lc.rule[0]).toMatchObject({
      expiration: [{ days: 365 }],
      transition: [{ days: 90, storage_class: 'GLACIER_IR' }],
      noncurrent_version_expiration: [{ noncurrent_days: 90 }],
    });
  });

  it('lets only this trail write, only over TLS', () => {
    const policy = doc(/log-archive_bucket_policy-document/);
    expect(statement(policy, 'DenyInsecureTransport').condition[0]).toMatchObject({
      variable: 'aws:SecureTransport',
      values: ['false'],
    });
    const write = statement(policy, 'CloudTrailWrite');
    expect(write.principals).toEqual([
      { type: 'Service', identifiers: ['cloudtrail.amazonaws.com'] },
    ]);
    expect(write.condition).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          variable: 'aws:SourceArn',
          values: [
            expect.stringMatching(
              /^arn:aws:cloudtrail:eu-central-1:\$\{aws_organizations_organization\.\w+\.master_account_id\}:trail\/acme-organization-trail$/,
            ),
          ],
        }),
      ]),
    );
    expect(write.resources).toEqual([
      expect.stringMatching(
        /\/AWSLogs\/\$\{aws_organizations_organization\.\w+\.master_account_id\}\/\*$/,
      ),
      expect.stringMatching(/\/AWSLogs\/\$\{aws_organizations_organization\.\w+\.id\}\/\*$/),
    ]);
    // Config is on with Security Hub (the example), so its delivery statement is there too.
    expect(statement(policy, 'ConfigWrite').principals).toEqual([
      { type: 'Service', identifiers: ['config.amazonaws.com'] },
    ]);
  });

  it('encrypts with a rotated, protected key that CloudTrail may use only for this trail', () => {
    expect(synth).toHaveResourceWithProperties(KmsKey, {
      enable_key_rotation: true,
      lifecycle: { prevent_destroy: true },
    });
    const key = ofType('aws_kms_key')[0];
    expect(key.provider).toBe('aws.security');
    const policy = doc(/log-archive_key_policy/);
    const encrypt = statement(policy, 'CloudTrailEncryptsLogs');
    expect(encrypt.actions).toEqual(['kms:GenerateDataKey*']);
    expect(encrypt.condition.map((c: any) => c.variable).sort()).toEqual([
      'aws:SourceArn',
      'kms:EncryptionContext:aws:cloudtrail:arn',
    ]);
    // the shared KmsKey's first statement: IAM in the security account governs the key
    expect(statement(policy, 'EnableIamPoliciesOfTheAccount').principals).toEqual([
      { type: 'AWS', identifiers: [expect.stringContaining(SECURITY_ID)] },
    ]);
    // + CloudTrail encrypt and describe, Config (on with Security Hub), the deletion deny
    expect(policy.statement.map((st: any) => st.sid)).toEqual([
      'EnableIamPoliciesOfTheAccount',
      'CloudTrailEncryptsLogs',
      'CloudTrailDescribesKey',
      'ConfigEncryptsDeliveries',
      'DenyKeyDeletion',
    ]);
    const [, alias] = one('aws_kms_alias');
    expect(alias).toMatchObject({ name: 'alias/acme-log-archive', provider: 'aws.security' });
  });
});

describe('GuardDuty, Security Hub and Access Analyzer', () => {
  /** `provider` of each resource, `(default)` for the management account in the home region. */
  const providersOf = (type: string) =>
    ofType(type)
      .map((r) => r.provider ?? '(default)')
      .sort();

  it('makes the security account GuardDuty administrator in every allowed region, auto-enabling every member and protection plan', () => {
    const admins = ofType('aws_guardduty_organization_admin_account');
    for (const a of admins) expect(a.admin_account_id).toContain(SECURITY_ID);
    // registered from the management account, once per region
    expect(providersOf('aws_guardduty_organization_admin_account')).toEqual([
      '(default)',
      'aws.management-eu-west-1',
      'aws.management-us-east-1',
    ]);
    expect(synth).toHaveResourceWithProperties(GuarddutyOrganizationConfiguration, {
      auto_enable_organization_members: 'ALL',
      provider: 'aws.security',
    });
    expect(providersOf('aws_guardduty_organization_configuration')).toEqual([
      'aws.security',
      'aws.security-eu-west-1',
      'aws.security-us-east-1',
    ]);
    for (const c of ofType('aws_guardduty_organization_configuration'))
      expect(c.auto_enable_organization_members).toBe('ALL');
    const features = ofType('aws_guardduty_organization_configuration_feature').filter(
      (f) => f.provider === 'aws.security',
    );
    expect(features.map((f) => [f.name, f.auto_enable]).sort()).toEqual([
      ['EBS_MALWARE_PROTECTION', 'ALL'],
      ['EKS_AUDIT_LOGS', 'ALL'],
      ['RDS_LOGIN_EVENTS', 'ALL'],
      ['S3_DATA_EVENTS', 'ALL'],
    ]);
    expect(ofType('aws_guardduty_organization_configuration_feature')).toHaveLength(4 * 3);
    // management detectors only: registering the administrator turns GuardDuty on there, so
    // the security account's detector is read (data source, after the registration)
    expect(providersOf('aws_guardduty_detector')).toEqual([
      '(default)',
      'aws.management-eu-west-1',
      'aws.management-us-east-1',
    ]);
    for (const d of Object.values(dataOf(json, 'aws_guardduty_detector')) as any[])
      expect(d.depends_on[0]).toMatch(/^aws_guardduty_organization_admin_account\./);
  });

  it('configures Security Hub centrally from the security account: one policy on the root covers existing and new accounts', () => {
    for (const a of ofType('aws_securityhub_organization_admin_account'))
      expect(a.admin_account_id).toContain(SECURITY_ID);
    // central configuration: one registration in the home region; "the same delegated
    // administrator is automatically set in all linked Regions"
    // (https://docs.aws.amazon.com/securityhub/latest/userguide/start-central-configuration.html)
    expect(providersOf('aws_securityhub_organization_admin_account')).toEqual(['(default)']);
    // CENTRAL needs auto_enable false and auto_enable_standards NONE: hashicorp/aws 5.100.0
    // refuses anything else (checked with `terraform validate` against the provider binary), as
    // the API does (https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_UpdateOrganizationConfiguration.html)
    expect(synth).toHaveResourceWithProperties(SecurityhubOrganizationConfiguration, {
      auto_enable: false,
      auto_enable_standards: 'NONE',
      organization_configuration: { configuration_type: 'CENTRAL' },
      provider: 'aws.security',
    });
    const [, assoc] = one('aws_securityhub_configuration_policy_association');
    expect(assoc.target_id).toMatch(/aws_organizations_organization\..*roots\[0\]\.id|root_id/);
    const [, policy] = one('aws_securityhub_configuration_policy');
    expect(JSON.stringify(policy)).toContain(
      'standards/aws-foundational-security-best-practices/v/1.0.0',
    );
    const [, aggregator] = one('aws_securityhub_finding_aggregator');
    expect(aggregator).toMatchObject({
      provider: 'aws.security',
      linking_mode: 'SPECIFIED_REGIONS',
      specified_regions: ['eu-west-1'],
    });
  });

  it('runs an organization Access Analyzer per allowed region in the security account as delegated administrator', () => {
    expect(synth).toHaveResourceWithProperties(AccessanalyzerAnalyzer, {
      type: 'ORGANIZATION',
      analyzer_name: 'acme-organization',
      provider: 'aws.security',
    });
    expect(providersOf('aws_accessanalyzer_analyzer')).toEqual([
      'aws.security',
      'aws.security-eu-west-1',
    ]);
    const delegations = ofType('aws_organizations_delegated_administrator');
    expect(delegations.map((d) => d.service_principal)).toContain('access-analyzer.amazonaws.com');
  });

  it('records AWS Config in every account and allowed region because Security Hub is on', () => {
    // Security Hub control findings need Config in every account and region:
    // https://docs.aws.amazon.com/securityhub/latest/userguide/securityhub-setup-prereqs.html
    // The recorders live in the account stacks (one per account, one recorder per region).
    const lz = sharedExample();
    const recorders = Object.values(lz.stacks)
      .filter((st) => st.node.id.startsWith('account-'))
      .flatMap((st) =>
        Object.values(resourcesOf(synthJson(st), 'aws_config_configuration_recorder')),
      );
    expect(recorders).toHaveLength(3 * 2);
  });

  it('leaves AWS Config off when Security Hub is off and Config is not asked for', () => {
    const off = JSON.parse(
      Testing.synth(
        managementStack((raw) => {
          raw.security.securityHub = { enabled: false };
          delete raw.security.config;
        }),
      ),
    );
    expect(resourcesOf(off, 'aws_config_configuration_recorder')).toEqual({});
  });
});

describe('options', () => {
  const build = (edit: (raw: Record<string, any>) => void) => synthJson(managementStack(edit));
  let withConfig: Record<string, any>;
  let minimal: Record<string, any>;
  beforeAll(() => {
    withConfig = build((raw) => (raw.security.config = { enabled: true }));
    minimal = build(
      (raw) => (raw.security = { guardDuty: { enabled: false }, securityHub: { enabled: false } }),
    );
  });

  it('AWS Config: an organization aggregator and archive statements for every account', () => {
    expect(resourcesOf(withConfig, 'aws_config_configuration_recorder')).toEqual({});
    const agg = Object.values(
      resourcesOf(withConfig, 'aws_config_configuration_aggregator'),
    ) as any[];
    expect(agg).toHaveLength(1);
    expect(agg[0].provider).toBe('aws.security');
    expect(agg[0].organization_aggregation_source.regions).toEqual(['eu-central-1', 'eu-west-1']);
    const policy = Object.entries(dataOf(withConfig, 'aws_iam_policy_document')).find(([k]) =>
      /log-archive_bucket_policy-document/.test(k),
    )![1] as any;
    expect(
      policy.statement.find((s: any) => s.sid === 'ConfigWrite').condition[0].values,
    ).toHaveLength(3);
  });

  it('GuardDuty and Security Hub can be turned off; defaults still apply to the rest', () => {
    expect(resourcesOf(minimal, 'aws_guardduty_detector')).toEqual({});
    expect(resourcesOf(minimal, 'aws_securityhub_account')).toEqual({});
    expect(Object.keys(resourcesOf(minimal, 'aws_cloudtrail'))).toHaveLength(1);
    const lc = Object.values(
      resourcesOf(minimal, 'aws_s3_bucket_lifecycle_configuration'),
    )[0] as any;
    expect(lc.rule[0].expiration).toEqual([{ days: 365 }]);
  });
});

describe('a separate log-archive account (logArchiveAccountId)', () => {
  // The security stack's variant is in test/stacks/security-stack.log-archive.test.ts; here the
  // construct's own contract: the archive takes the log-archive provider and account ID.
  const build = (withArchiveProvider: boolean) => {
    const stack = new TerraformStack(Testing.app(), 'baseline');
    const security = new AwsProvider(stack, 'aws', { region: 'eu-central-1', alias: 'security' });
    const archive = new AwsProvider(stack, 'aws-archive', {
      region: 'eu-central-1',
      alias: 'log-archive',
    });
    new AwsProvider(stack, 'aws-default', { region: 'eu-central-1' });
    const env = exampleEnv();
    new SecurityBaseline(stack, 'baseline', {
      prefix: 'acme',
      homeRegion: 'eu-central-1',
      allowedRegions: ['eu-central-1'],
      organizationId: 'o-abcdef1234',
      securityAccountId: '222222222222',
      managementAccountId: '111111111111',
      logArchiveAccountId: '333333333333',
      configAccountIds: ['111111111111', '222222222222', '333333333333'],
      config: env.security,
      guardDutyRegions: ['eu-central-1'],
      rootId: 'r-ab12',
      logArchiveManagerArns: ['arn:aws:iam::333333333333:role/acme-security-apply'],
      providerFor: (account) =>
        account === 'management'
          ? undefined
          : account === 'security'
            ? security
            : withArchiveProvider
              ? archive
              : undefined,
    });
    return JSON.parse(Testing.synth(stack));
  };

  it('builds the bucket and key with the log-archive provider, named and keyed for that account', () => {
    const out = build(true);
    const bucket = Object.values<any>(resourcesOf(out, 'aws_s3_bucket'))[0];
    expect(bucket).toMatchObject({
      bucket: 'acme-log-archive-333333333333',
      provider: 'aws.log-archive',
    });
    const key = Object.entries<any>(dataOf(out, 'aws_iam_policy_document')).find(([k]) =>
      /log-archive_key_policy/.test(k),
    )![1];
    expect(key.statement[0].principals).toEqual([
      { type: 'AWS', identifiers: ['arn:aws:iam::333333333333:root'] },
    ]);
    // the tooling stays in the security account
    expect(Object.values<any>(resourcesOf(out, 'aws_accessanalyzer_analyzer'))[0].provider).toBe(
      'aws.security',
    );
  });

  it('refuses to build without a provider for the log-archive account', () => {
    expect(() => build(false)).toThrow(
      'security.logArchive.account: the log-archive account needs its own provider',
    );
  });
});
