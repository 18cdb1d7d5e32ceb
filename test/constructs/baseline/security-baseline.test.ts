/**
 * The organization security services in the security stack: log archive and CloudTrail, the two
 * accounts' providers (security account untagged, management account through the MANAGEMENT
 * dynamic-credentials configuration), and the archive in a separate log-archive account.
 * GuardDuty, Security Hub, Access Analyzer and the optional Config aggregation:
 * security-baseline.services.test.ts. The per-account pieces are in test/stacks/account-stack.test.ts.
 */
import 'cdktf/lib/testing/adapters/jest';
import { Cloudtrail } from '@cdktf/provider-aws/lib/cloudtrail';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { exampleEnv } from '../../support/env';
import { dataOf, resourcesOf } from '../../support/synth';
import { SECURITY_ID, ofType, one, securityExample } from '../../support/baseline-fixtures';
import { Testing, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { SecurityBaseline } from '../../../constructs/baseline/security-baseline';

let synth: string;
let json: Record<string, any>;
beforeAll(() => {
  ({ synth, json } = securityExample());
});

const doc = (pattern: RegExp): any => {
  const hits = Object.entries(dataOf(json, 'aws_iam_policy_document')).filter(([k]) =>
    pattern.test(k),
  );
  expect(hits).toHaveLength(1);
  return hits[0][1];
};
const statement = (d: any, sid: string) => d.statement.find((s: any) => s.sid === sid);

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
