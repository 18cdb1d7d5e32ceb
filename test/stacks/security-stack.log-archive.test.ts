/**
 * The separate log-archive account (the AWS Security Reference Architecture split: "The Log
 * Archive account is dedicated to ingesting and archiving all security-related logs and
 * backups", https://docs.aws.amazon.com/prescriptive-guidance/latest/security-reference-architecture/log-archive.html),
 * across the four stacks it touches: the security stack builds the archive with a third
 * dynamic-credentials configuration (tag `LOG_ARCHIVE`), the organization stack creates the
 * security workspace's role pair in that account (its StackSet) and publishes it under
 * `tfc_roles.security.aliases.LOG_ARCHIVE`, the TFC stack sets the tagged variables, and the
 * account stacks deliver Config to the archive. The default (archive in the security account)
 * is the example, pinned by the snapshots.
 *
 * Upstream facts checked here:
 * - TFC tagged configurations: variables `TFC_AWS_PROVIDER_AUTH_<TAG>`,
 *   `TFC_AWS_PLAN_ROLE_ARN_<TAG>`, `TFC_AWS_APPLY_ROLE_ARN_<TAG>`; "Your tag can only contain
 *   letters, numbers, and underscores"; the provider of a tag reads
 *   `var.tfc_aws_dynamic_credentials.aliases["<TAG>"].shared_config_file`
 *   (https://developer.hashicorp.com/terraform/cloud-docs/workspaces/dynamic-provider-credentials/specifying-multiple-configurations).
 * - Token `sub` = `organization:ORG:project:PROJECT:workspace:WS:run_phase:PHASE`, audience
 *   `aws.workload.identity`
 *   (https://developer.hashicorp.com/terraform/cloud-docs/workspaces/dynamic-provider-credentials/aws-configuration).
 * - Organization trail delivery: the bucket policy lets `cloudtrail.amazonaws.com` write
 *   `AWSLogs/<management account>/*` and `AWSLogs/<organization id>/*` with
 *   `s3:x-amz-acl = bucket-owner-full-control`, conditioned on the trail ARN in the management
 *   account (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html#org-trail-bucket-policy);
 *   the key policy lets CloudTrail `kms:GenerateDataKey*` with
 *   `kms:EncryptionContext:aws:cloudtrail:arn` = `arn:aws:cloudtrail:*:<management>:trail/*`
 *   (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html).
 * - S3 Object Lock default retention (`GOVERNANCE`/`COMPLIANCE`, days) on a versioned bucket
 *   (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html).
 */
import { buildExample, dataOf, resourcesOf, sharedExample, synthJson } from '../support/synth';
import { LOG_ARCHIVE_ACCOUNT, splitArchiveEnv } from '../support/log-archive-split';
import { guardDutyRegions } from '../../envs/schema/security';

const env = splitArchiveEnv();
const lz = buildExample(env);
const security = synthJson(lz.security);
const organization = synthJson(lz.organization);
const tfc = synthJson(lz.tfc);

/** Matches a reference to the organization stack's `aws_organizations_account` of `key`. */
const accountRef = (key: string) => `aws_organizations_account.organization_account-${key}_`;
/** The statements of the policy document whose logical name matches `name`. */
const statements = (json: Record<string, any>, name: RegExp): any[] =>
  Object.entries<any>(dataOf(json, 'aws_iam_policy_document')).find(([k]) => name.test(k))![1]
    .statement;
const bySid = (list: any[], sid: string) => list.find((s) => s.sid === sid);

describe('security stack with a separate log-archive account', () => {
  it('reaches the log-archive account with the LOG_ARCHIVE configuration, besides MANAGEMENT', () => {
    expect(lz.security.tfcAdditionalAwsAccounts).toEqual({
      MANAGEMENT: 'management',
      LOG_ARCHIVE: LOG_ARCHIVE_ACCOUNT,
    });
    // TFC: "Your tag can only contain letters, numbers, and underscores"
    for (const tag of Object.keys(lz.security.tfcAdditionalAwsAccounts))
      expect(tag).toMatch(/^[A-Za-z0-9_]+$/);
  });

  it('has one provider for the archive (home region), mapped to aliases.LOG_ARCHIVE, and no provider argument depends on a resource', () => {
    const providers = security.provider.aws as any[];
    expect(providers).toHaveLength(2 * guardDutyRegions(env).length + 1);
    const archive = providers.filter((p) => p.alias === 'log-archive');
    expect(archive).toEqual([
      {
        alias: 'log-archive',
        region: 'eu-central-1',
        shared_config_files:
          '${(var.tfc_aws_dynamic_credentials == null) ? null : [var.tfc_aws_dynamic_credentials.aliases.LOG_ARCHIVE.shared_config_file]}',
        default_tags: expect.anything(),
        // pinned to the log-archive account's ID (the organization's account resource: remote
        // state in the app synth)
        allowed_account_ids: [
          expect.stringMatching(
            /aws_organizations_account\.organization_account-log-archive_[0-9A-F]+\.id\}$/,
          ),
        ],
      },
    ]);
    for (const p of providers) {
      expect(p.assume_role).toBeUndefined();
      // variables, and references to other stacks (remote state in the app synth): every
      // provider argument is known before apply, none names a resource of this stack
      const refs = JSON.stringify(p).match(/\$\{[^}]*\}/g) ?? [];
      for (const r of refs) {
        const m = /\b(aws_[a-z0-9_]+)\.([A-Za-z0-9_-]+)\./.exec(r);
        if (m) expect(security.resource?.[m[1]]?.[m[2]]).toBeUndefined();
        expect(r).not.toMatch(/\bdata\.(?!terraform_remote_state\.)[a-z_]+\./);
      }
    }
  });

  it('builds the key, the bucket, its policy, versioning and Object Lock in the log-archive account only', () => {
    const archiveTypes = [
      'aws_kms_key',
      'aws_kms_alias',
      'aws_s3_bucket',
      'aws_s3_bucket_policy',
      'aws_s3_bucket_versioning',
      'aws_s3_bucket_server_side_encryption_configuration',
      'aws_s3_bucket_public_access_block',
      'aws_s3_bucket_lifecycle_configuration',
      'aws_s3_bucket_object_lock_configuration',
    ];
    for (const type of archiveTypes) {
      const all = Object.values<any>(resourcesOf(security, type));
      expect(all.length).toBeGreaterThan(0);
      for (const r of all) expect([type, r.provider]).toEqual([type, 'aws.log-archive']);
    }
    const bucket = Object.values<any>(resourcesOf(security, 'aws_s3_bucket'))[0];
    expect(bucket.bucket).toMatch(
      new RegExp(`^acme-log-archive-\\$\\{${accountRef(LOG_ARCHIVE_ACCOUNT)}[^}]*\\.id\\}$`),
    );
    expect(bucket.lifecycle).toEqual({ prevent_destroy: true });
    const lock = Object.values<any>(
      resourcesOf(security, 'aws_s3_bucket_object_lock_configuration'),
    )[0];
    expect(lock.rule).toEqual({ default_retention: { mode: 'GOVERNANCE', days: 365 } });
  });

  it('lets the organization trail write across accounts and only the security workspace change the protections', () => {
    const policy = statements(security, /log-archive_bucket_policy-document/);
    const write = bySid(policy, 'CloudTrailWrite');
    expect(write.principals).toEqual([
      { type: 'Service', identifiers: ['cloudtrail.amazonaws.com'] },
    ]);
    expect(write.resources).toEqual([
      expect.stringMatching(
        /\/AWSLogs\/\$\{aws_organizations_organization\.[^}]*\.master_account_id\}\/\*$/,
      ),
      expect.stringMatching(/\/AWSLogs\/\$\{aws_organizations_organization\.[^}]*\.id\}\/\*$/),
    ]);
    expect(write.condition).toEqual(
      expect.arrayContaining([
        {
          test: 'StringEquals',
          variable: 'aws:SourceArn',
          values: [
            expect.stringMatching(
              /^arn:aws:cloudtrail:eu-central-1:\$\{aws_organizations_organization\.[^}]*\.master_account_id\}:trail\/acme-organization-trail$/,
            ),
          ],
        },
        { test: 'StringEquals', variable: 's3:x-amz-acl', values: ['bucket-owner-full-control'] },
      ]),
    );
    // Config from every account of the organization, the log-archive account's own included
    expect(bySid(policy, 'ConfigWrite').condition[0].values).toEqual(
      expect.arrayContaining([expect.stringContaining(accountRef(LOG_ARCHIVE_ACCOUNT))]),
    );
    expect(bySid(policy, 'DenyLogDeletion')).toMatchObject({
      effect: 'Deny',
      principals: [{ type: '*', identifiers: ['*'] }],
    });
    const guard = bySid(policy, 'DenyProtectionChanges');
    expect(guard.condition).toEqual([
      {
        test: 'ArnNotLike',
        variable: 'aws:PrincipalArn',
        values: [
          expect.stringMatching(
            new RegExp(
              `^arn:aws:iam::\\$\\{${accountRef(LOG_ARCHIVE_ACCOUNT)}[^}]*\\.id\\}:role/acme-security-apply$`,
            ),
          ),
        ],
      },
    ]);
    // no Allow names an IAM principal: the security (tooling) account's administrators get
    // nothing here (same-account IAM grants no longer reach the archive)
    for (const st of policy.filter((x) => x.effect !== 'Deny'))
      expect(st.principals.map((p: any) => p.type)).toEqual(['Service']);
    expect(JSON.stringify(guard)).not.toContain(accountRef('security'));
  });

  it('keys the archive to the log-archive account, with CloudTrail encryption conditioned on management trails', () => {
    const key = statements(security, /log-archive_key_policy/);
    expect(key[0].principals).toEqual([
      {
        type: 'AWS',
        identifiers: [
          expect.stringMatching(
            new RegExp(`^arn:aws:iam::\\$\\{${accountRef(LOG_ARCHIVE_ACCOUNT)}[^}]*\\.id\\}:root$`),
          ),
        ],
      },
    ]);
    expect(bySid(key, 'CloudTrailEncryptsLogs').condition).toEqual(
      expect.arrayContaining([
        {
          test: 'StringLike',
          variable: 'kms:EncryptionContext:aws:cloudtrail:arn',
          values: [
            expect.stringMatching(
              /^arn:aws:cloudtrail:\*:\$\{aws_organizations_organization\.[^}]*\.master_account_id\}:trail\/\*$/,
            ),
          ],
        },
      ]),
    );
    expect(bySid(key, 'DenyKeyDeletion').effect).toBe('Deny');
  });

  it('keeps the trail in the management account, delivering to the archive after its policies exist', () => {
    const trail = Object.values<any>(resourcesOf(security, 'aws_cloudtrail'))[0];
    expect(trail.provider).toBeUndefined(); // the default provider: MANAGEMENT
    expect(trail.s3_bucket_name).toMatch(
      /^\$\{aws_s3_bucket\.baseline_log-archive_bucket_[^}]*\.bucket\}$/,
    );
    expect(trail.kms_key_id).toMatch(/^\$\{aws_kms_key\.baseline_log-archive_key_[^}]*\.arn\}$/);
    expect(trail.depends_on).toEqual([
      expect.stringMatching(/^aws_s3_bucket_policy\.baseline_log-archive/),
      expect.stringMatching(/^aws_kms_key\.baseline_log-archive/),
    ]);
    // GuardDuty, Security Hub and Access Analyzer stay with the security tooling account
    for (const type of [
      'aws_guardduty_organization_configuration',
      'aws_securityhub_organization_configuration',
      'aws_accessanalyzer_analyzer',
    ])
      for (const r of Object.values<any>(resourcesOf(security, type)))
        expect(r.provider).toMatch(/^aws\.security/);
  });
});

describe('organization stack: the security workspace role pair in the log-archive account', () => {
  const sets = Object.values<any>(resourcesOf(organization, 'aws_cloudformation_stack_set'));
  const instances = resourcesOf(organization, 'aws_cloudformation_stack_set_instance');
  const body = (s: any) => JSON.parse(String(s.template_body).split('$${').join('${'));
  const archiveSet = sets.find((s) => s.name === `acme-tfc-${LOG_ARCHIVE_ACCOUNT}`);

  it('adds a StackSet for the log-archive account whose template holds exactly the security roles', () => {
    expect(archiveSet).toBeDefined();
    const roles = Object.values<any>(body(archiveSet).Resources).filter(
      (r) => r.Type === 'AWS::IAM::Role',
    );
    expect(roles.map((r) => r.Properties.RoleName).sort()).toEqual([
      'acme-security-apply',
      'acme-security-plan',
    ]);
    // the security account's own StackSet is unchanged: its pair is still there
    const own = body(sets.find((s) => s.name === 'acme-tfc-security'));
    expect(own.Resources.SecurityApplyRole.Properties.RoleName).toBe('acme-security-apply');
  });

  it('trusts exactly the security workspace, per run phase', () => {
    const t = body(archiveSet).Resources;
    for (const [id, phase] of [
      ['SecurityPlanRole', 'plan'],
      ['SecurityApplyRole', 'apply'],
    ]) {
      const st = t[id].Properties.AssumeRolePolicyDocument.Statement[0];
      expect(st.Action).toBe('sts:AssumeRoleWithWebIdentity');
      expect(st.Condition).toEqual({
        StringEquals: {
          'app.terraform.io:aud': 'aws.workload.identity',
          'app.terraform.io:sub': `organization:acme-analytics:project:landing-zone:workspace:acme-security:run_phase:${phase}`,
        },
      });
    }
  });

  it('gives the apply role the archive bucket and its key but no log reads, not AdministratorAccess; the plan role stays read-only', () => {
    const t = body(archiveSet).Resources;
    const apply = t.SecurityApplyRole.Properties;
    expect(apply.ManagedPolicyArns).toEqual([]);
    const statements: any[] = apply.Policies[0].PolicyDocument.Statement;
    // S3: the bucket ARN only; object actions such as s3:GetObject take the object ARN
    // (arn:aws:s3:::<bucket>/<key>), https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html
    const s3 = statements.filter(
      (s) => s.Effect === 'Allow' && [s.Action].flat().some((a: string) => a.startsWith('s3:')),
    );
    expect(s3.flatMap((s) => [s.Resource].flat())).toEqual(['arn:aws:s3:::acme-log-archive-*']);
    // No way to read the logs or to grant it: reads and KMS data operations denied outright
    const deny = statements.find((s) => s.Effect === 'Deny');
    expect(deny).toMatchObject({ Resource: '*' });
    expect(deny.Action).toEqual(
      expect.arrayContaining([
        's3:GetObject*',
        'kms:Decrypt',
        'kms:GenerateDataKey*',
        'kms:ReEncrypt*',
        'kms:CreateGrant',
      ]),
    );
    expect(
      statements.some(
        (s) => s.Effect === 'Allow' && [s.Resource].flat().some((r: string) => r.includes('/')),
      ),
    ).toBe(false);
    expect(t.SecurityPlanRole.Properties.ManagedPolicyArns).toEqual([
      { 'Fn::Sub': 'arn:${AWS::Partition}:iam::aws:policy/ReadOnlyAccess' },
      { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:policy/acme-tfc-plan-deny' },
    ]);
  });

  it('deploys it to the log-archive account after the shared StackSet (OIDC provider, plan-deny policy)', () => {
    const [key, instance] = Object.entries<any>(instances).find(([k]) =>
      k.startsWith(`tfc-${LOG_ARCHIVE_ACCOUNT}_instance`),
    )!;
    expect(key).toMatch(/^tfc-log-archive_instance-log-archive_/);
    expect(instance.deployment_targets.accounts).toEqual([
      expect.stringContaining(accountRef(LOG_ARCHIVE_ACCOUNT)),
    ]);
    expect(instance.depends_on).toEqual([
      expect.stringMatching(
        /^aws_cloudformation_stack_set_instance\.tfc-account-access_instance-log-archive_/,
      ),
    ]);
  });

  it('publishes the pair under tfc_roles.security.aliases.LOG_ARCHIVE, next to MANAGEMENT', () => {
    const roles = organization.output.tfc_roles.value;
    expect(Object.keys(roles.security.aliases).sort()).toEqual(['LOG_ARCHIVE', 'MANAGEMENT']);
    for (const phase of ['plan', 'apply'])
      expect(roles.security.aliases.LOG_ARCHIVE[`${phase}_role_arn`]).toMatch(
        new RegExp(
          `^arn:aws:iam::\\$\\{${accountRef(LOG_ARCHIVE_ACCOUNT)}[^}]*\\.id\\}:role/acme-security-${phase}$`,
        ),
      );
    expect(roles.security.plan_role_arn).toContain(accountRef('security'));
    expect(roles[`account-${LOG_ARCHIVE_ACCOUNT}`]).toBeDefined();
  });
});

describe('TFC stack and account stacks with a separate log-archive account', () => {
  const vars = Object.values<any>(resourcesOf(tfc, 'tfe_variable')).filter((v) =>
    /^\$\{tfe_workspace\.security\.id\}$/.test(v.workspace_id ?? ''),
  );
  const byKey = Object.fromEntries(vars.map((v) => [v.key, v]));

  it('sets the tagged LOG_ARCHIVE variables on the security workspace from tfc_roles', () => {
    expect(Object.keys(byKey).sort()).toEqual([
      'TFC_AWS_APPLY_ROLE_ARN',
      'TFC_AWS_APPLY_ROLE_ARN_LOG_ARCHIVE',
      'TFC_AWS_APPLY_ROLE_ARN_MANAGEMENT',
      'TFC_AWS_PLAN_ROLE_ARN',
      'TFC_AWS_PLAN_ROLE_ARN_LOG_ARCHIVE',
      'TFC_AWS_PLAN_ROLE_ARN_MANAGEMENT',
      'TFC_AWS_PROVIDER_AUTH',
      'TFC_AWS_PROVIDER_AUTH_LOG_ARCHIVE',
      'TFC_AWS_PROVIDER_AUTH_MANAGEMENT',
    ]);
    expect(byKey.TFC_AWS_PROVIDER_AUTH_LOG_ARCHIVE).toMatchObject({
      value: 'true',
      category: 'env',
    });
    expect(byKey.TFC_AWS_PLAN_ROLE_ARN_LOG_ARCHIVE.value).toMatch(
      /tfc_roles\.security\.aliases\.LOG_ARCHIVE\.plan_role_arn\}$/,
    );
    expect(byKey.TFC_AWS_APPLY_ROLE_ARN_LOG_ARCHIVE.value).toMatch(
      /tfc_roles\.security\.aliases\.LOG_ARCHIVE\.apply_role_arn\}$/,
    );
  });

  it("delivers every account's Config, the log-archive account's own included, to the archive", () => {
    const acct = synthJson(lz.accounts[LOG_ARCHIVE_ACCOUNT]);
    const channels = Object.values<any>(resourcesOf(acct, 'aws_config_delivery_channel'));
    expect(channels).toHaveLength(env.allowedRegions.length);
    for (const c of channels) {
      expect(c.s3_bucket_name).toMatch(/aws_s3_bucket\.baseline_log-archive_bucket_/);
      expect(c.s3_kms_key_arn).toMatch(/aws_kms_key\.baseline_log-archive_key_/);
    }
  });
});

describe('the split at scale', () => {
  it('synthesizes with many accounts, clusters and regions, the archive once in the home region', () => {
    const big = splitArchiveEnv({
      accounts: 4,
      clusters: 4,
      clusterAccounts: 'spread',
      regions: ['eu-central-1', 'eu-west-1', 'eu-north-1', 'us-east-1'],
    });
    const scaled = buildExample(big);
    const json = synthJson(scaled.security);
    expect(Object.keys(resourcesOf(json, 'aws_s3_bucket'))).toHaveLength(1);
    expect((json.provider.aws as any[]).filter((p) => p.alias === 'log-archive')).toHaveLength(1);
    const org = synthJson(scaled.organization);
    const names = Object.values<any>(resourcesOf(org, 'aws_cloudformation_stack_set')).map(
      (s) => s.name,
    );
    expect(names).toContain('acme-tfc-log-archive');
    expect(org.output.tfc_roles.value.security.aliases.LOG_ARCHIVE).toBeDefined();
  });
});

describe('the default keeps the archive in the security account', () => {
  it('adds no LOG_ARCHIVE configuration, provider or alias', () => {
    const example = sharedExample();
    expect(example.security.tfcAdditionalAwsAccounts).toEqual({ MANAGEMENT: 'management' });
    const json = synthJson(example.security);
    expect((json.provider.aws as any[]).map((p) => p.alias)).not.toContain('log-archive');
    expect(Object.values<any>(resourcesOf(json, 'aws_s3_bucket'))[0].provider).toBe('aws.security');
    const roles = synthJson(example.organization).output.tfc_roles.value;
    expect(Object.keys(roles.security.aliases)).toEqual(['MANAGEMENT']);
  });
});
