/**
 * The security stack (security account, delegated administrator): the organization security
 * services of constructs/baseline/security-baseline.ts. It reaches two accounts (three with a
 * separate log archive), each with Terraform Cloud dynamic credentials of its own, so no
 * provider assumes a role; every provider argument is a variable or, for `allowed_account_ids`
 * (each provider pinned to its account), the organization stack's state, known at plan:
 * - the security account (its workspace's role pair, the untagged configuration):
 *   aliased providers `security` (home region) and `security-<region>`;
 * - the management account (the `MANAGEMENT` tagged configuration, the security workspace's
 *   role pair there, created by the organization stack): the default provider and
 *   `management-<region>`, for the halves AWS only accepts from the management account
 *   (delegated-administrator registrations, the management detectors, the organization trail);
 * - with a separate log-archive account (`security.logArchive.account`, the AWS SRA split:
 *   https://docs.aws.amazon.com/prescriptive-guidance/latest/security-reference-architecture/log-archive.html),
 *   that account too (the `LOG_ARCHIVE` tagged configuration, the security workspace's role
 *   pair in that account's StackSet): aliased provider `log-archive` (home region), for the
 *   archive's key, bucket, policies and Object Lock.
 * Organization and account IDs come from the organization stack (cross-stack references).
 *
 * Source (multiple configurations, `var.tfc_aws_dynamic_credentials`, "you need to manually map
 * authentication information for all providers including the default provider"):
 * https://developer.hashicorp.com/terraform/cloud-docs/workspaces/dynamic-provider-credentials/specifying-multiple-configurations
 */
import type { Construct } from 'constructs';
import { Fn, Op, TerraformOutput, TerraformVariable, Token } from 'cdktf';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { LandingZoneStack, type LandingZoneStackProps } from './base-stack';
import {
  SECURITY_LOG_ARCHIVE_TAG,
  SECURITY_MANAGEMENT_TAG,
  type OrganizationStack,
} from './organization-stack';
import type { TfcMultiAccountStack } from './tfc-stack';
import { SecurityBaseline } from '../constructs/baseline/security-baseline';
import { MANAGEMENT_ACCOUNT } from '../envs/schema/organization';
import { guardDutyRegions } from '../envs/schema/security';
import { tfcRoleName } from '../envs/stack-plan';

/** The Terraform variable TFC fills with the shared config files of each configuration. */
export const DYNAMIC_CREDENTIALS_VARIABLE = 'tfc_aws_dynamic_credentials';

/** Props of {@link SecurityStack}. */
export interface SecurityStackProps extends LandingZoneStackProps {
  /** The organization stack: organization and account IDs. */
  readonly organization: OrganizationStack;
}

export class SecurityStack extends LandingZoneStack implements TfcMultiAccountStack {
  /**
   * The management account, reached with the `MANAGEMENT` configuration, and a separate
   * log-archive account with `LOG_ARCHIVE` (tag → account key).
   */
  readonly tfcAdditionalAwsAccounts: Readonly<Record<string, string>>;
  readonly baseline: SecurityBaseline;
  private readonly providers = new Map<string, AwsProvider>();
  private readonly credentials: TerraformVariable;
  private readonly organization: OrganizationStack;

  constructor(scope: Construct, props: SecurityStackProps) {
    super(scope, props);
    this.organization = props.organization;
    const env = this.env;
    const securityKey = env.security.securityAccount;
    const archiveKey = env.security.logArchive.account;
    const separateArchive = archiveKey !== securityKey;
    this.tfcAdditionalAwsAccounts = {
      [SECURITY_MANAGEMENT_TAG]: MANAGEMENT_ACCOUNT,
      ...(separateArchive ? { [SECURITY_LOG_ARCHIVE_TAG]: archiveKey } : {}),
    };
    // Filled by TFC when a workspace has tagged configurations; null elsewhere (local runs use
    // the ambient credentials).
    this.credentials = new TerraformVariable(this, DYNAMIC_CREDENTIALS_VARIABLE, {
      type: 'object({ default = object({ shared_config_file = string }), aliases = map(object({ shared_config_file = string })) })',
      nullable: true,
      description:
        'Set by Terraform Cloud: shared config files of the dynamic credentials configurations',
    });
    this.credentials.overrideLogicalId(DYNAMIC_CREDENTIALS_VARIABLE);
    this.credentials.addOverride('default', null);
    this.provider(MANAGEMENT_ACCOUNT, env.homeRegion);

    const org = props.organization;
    // The apply role that alone may change the archive's protections, in the archive's account.
    const manager = `arn:aws:iam::${org.accountId(archiveKey)}:role/${tfcRoleName(env, props.spec.id, 'apply')}`;
    this.baseline = new SecurityBaseline(this, 'baseline', {
      prefix: env.prefix,
      homeRegion: env.homeRegion,
      allowedRegions: env.allowedRegions,
      organizationId: org.organization.organization.id,
      securityAccountId: org.accountId(securityKey),
      managementAccountId: org.accountId(MANAGEMENT_ACCOUNT),
      logArchiveAccountId: separateArchive ? org.accountId(archiveKey) : undefined,
      configAccountIds: [MANAGEMENT_ACCOUNT, ...Object.keys(env.organization.accounts)].map((k) =>
        org.accountId(k),
      ),
      config: env.security,
      guardDutyRegions: guardDutyRegions(env),
      rootId: org.organization.rootId,
      logArchiveManagerArns: [manager],
      providerFor: (account, region) => this.provider(account, region ?? env.homeRegion),
    });
    new TerraformOutput(this, 'log_archive_bucket', {
      value: this.baseline.logArchive.bucket.bucketName,
      description: 'Log-archive bucket (CloudTrail, AWS Config)',
    }).overrideLogicalId('log_archive_bucket');
  }

  /**
   * The provider of `management` (default provider in the home region), the security account
   * or the separate log-archive account (`log-archive`) in `region`, created once. Each is
   * pinned to its account's ID (`allowed_account_ids`, from the organization's state): without
   * Terraform Cloud's configurations (a local run) all of them would otherwise use the same
   * ambient credentials and put the trail, the registrations and the archive in one account.
   */
  private provider(account: string, region: string): AwsProvider | undefined {
    const management = account === MANAGEMENT_ACCOUNT;
    const home = region === this.env.homeRegion;
    if (management && home && this.providers.has('default')) return undefined;
    const base = management ? 'management' : account === 'log-archive' ? 'log-archive' : 'security';
    // per account: its TFC configuration tag (none: the untagged default) and its account key
    const target = {
      management: { tag: SECURITY_MANAGEMENT_TAG, accountKey: MANAGEMENT_ACCOUNT },
      'log-archive': {
        tag: SECURITY_LOG_ARCHIVE_TAG,
        accountKey: this.env.security.logArchive.account,
      },
      security: { tag: undefined, accountKey: this.env.security.securityAccount },
    }[base];
    const alias = management && home ? undefined : home ? base : `${base}-${region}`;
    const key = alias ?? 'default';
    let p = this.providers.get(key);
    if (!p) {
      const v = this.credentials.value;
      const file = target.tag
        ? Fn.lookupNested(v, ['aliases', target.tag, 'shared_config_file'])
        : Fn.lookupNested(v, ['default', 'shared_config_file']);
      p = this.awsProvider(alias ? `aws-${alias}` : 'aws', {
        alias,
        region,
        allowedAccountIds: [this.organization.accountId(target.accountKey)],
        sharedConfigFiles: Token.asList(
          Fn.conditional(Op.eq(v, Token.nullValue()), Token.nullValue(), [file]),
        ),
      });
      this.providers.set(key, p);
    }
    return management && home ? undefined : p;
  }
}
