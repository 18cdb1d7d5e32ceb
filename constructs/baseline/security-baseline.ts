/**
 * The organization security services, built by the security stack: log archive (security
 * account) and organization CloudTrail (management account), GuardDuty, Security Hub, IAM
 * Access Analyzer and, optionally, the AWS Config aggregator, each administered from the
 * security account as delegated administrator. What each piece prevents is in
 * docs/security.md. The per-account pieces (EBS encryption by default, S3 public access
 * block, password policy, Config recorders, budgets) live in the account stacks
 * (stacks/account-stack.ts).
 *
 * Resources land in two accounts, through the providers {@link SecurityBaselineProps.providerFor}
 * hands out: the management account (the stack's default provider: the trail, the
 * detectors and delegated-administrator registrations) and the security account; with a
 * separate log-archive account ({@link SecurityBaselineProps.logArchiveAccountId}, the AWS SRA
 * split), the log archive in a third.
 */
import { Construct } from 'constructs';
import type { TerraformProvider } from 'cdktf';
import type { SecurityConfig } from '../../envs/schema/security';
import { SECURITY_HUB_STANDARDS } from '../../envs/schema/security';
import { LogArchive, logArchiveBucketName } from './log-archive';
import { OrganizationTrail, trailArn } from './organization-trail';
import { GuardDutyDelegatedAdmin, GuardDutyOrganizationMembers } from './guardduty-organization';
import { SecurityHubCentralConfiguration, SecurityHubDelegatedAdmin } from './security-hub-central';
import { OrganizationAccessAnalyzer } from './access-analyzer';
import { ConfigAggregator } from './config-aggregator';

/** Props of {@link SecurityBaseline}; every field is required. */
export interface SecurityBaselineProps {
  /** Resource-name prefix (`<prefix>-log-archive-…`, `<prefix>-organization`, …). */
  readonly prefix: string;
  /** Home region: the trail, Config, and the Security Hub finding aggregator live here. */
  readonly homeRegion: string;
  /**
   * Regions covered by GuardDuty, Security Hub, Access Analyzer and EBS encryption by
   * default (the region-allow-list SCP's regions; the home region is added if missing).
   */
  readonly allowedRegions: string[];
  /** AWS Organizations ID. */
  readonly organizationId: string;
  /** Account ID of the security account (delegated administrator, log archive). */
  readonly securityAccountId: string;
  /** Account ID of the management account (the trail's owner). */
  readonly managementAccountId: string;
  /**
   * Account ID of a separate log-archive account (`security.logArchive.account`), whose
   * provider `providerFor('log-archive')` returns; default none: the archive in the security
   * account, built with its provider. Set it only for an account other than the security
   * account.
   */
  readonly logArchiveAccountId?: string;
  /** Account IDs whose AWS Config recorders deliver to the log archive (used when Config is on). */
  readonly configAccountIds: string[];
  /** The environment's `security` section. */
  readonly config: SecurityConfig;
  /** Regions where GuardDuty runs (`guardDutyRegions(env)`: allowed regions plus us-east-1 by default). */
  readonly guardDutyRegions: readonly string[];
  /** The organization root ID (`r-…`): the Security Hub configuration policy is associated with it. */
  readonly rootId: string;
  /**
   * Roles that may still change the log archive's bucket settings (policy, versioning, Object
   * Lock, lifecycle): the security workspace's apply role in the archive's account (default
   * none: nobody).
   */
  readonly logArchiveManagerArns?: readonly string[];
  /**
   * The provider for `management`, `security` or `log-archive` (asked only when
   * `logArchiveAccountId` is set) in a region (default the home region); `undefined` stands for
   * the stack's default provider (management account, home region).
   */
  readonly providerFor: (
    account: 'management' | 'security' | 'log-archive',
    region?: string,
  ) => TerraformProvider | undefined;
}

/**
 * Everything the security baseline creates.
 * @throws Error if the security account (or a separate log-archive account) has no provider
 */
export class SecurityBaseline extends Construct {
  /** The log-archive key and bucket (security account, or the separate log-archive account). */
  readonly logArchive: LogArchive;
  /** The organization trail (management account, home region, all regions recorded). */
  readonly trail: OrganizationTrail;
  /** GuardDuty by region ({@link SecurityBaselineProps.guardDutyRegions}; empty when `guardDuty.enabled` is false). */
  readonly guardDuty: Record<
    string,
    { admin: GuardDutyDelegatedAdmin; members: GuardDutyOrganizationMembers }
  > = {};
  /** Security Hub central configuration (home region; undefined when `securityHub.enabled` is false). */
  readonly securityHub?: {
    admin: SecurityHubDelegatedAdmin;
    central: SecurityHubCentralConfiguration;
  };
  /** The organization Access Analyzers (one per allowed region). */
  readonly accessAnalyzer: OrganizationAccessAnalyzer;

  constructor(scope: Construct, id: string, props: SecurityBaselineProps) {
    super(scope, id);
    const cfg = props.config;
    const securityId = props.securityAccountId;
    const managementId = props.managementAccountId;
    const security = props.providerFor('security');
    if (!security)
      throw new Error('security.securityAccount: the security account needs its own provider');

    // The SRA split: the archive in an account of its own, with that account's provider.
    const archiveId = props.logArchiveAccountId ?? securityId;
    const archiveProvider =
      props.logArchiveAccountId === undefined ? security : props.providerFor('log-archive');
    if (!archiveProvider)
      throw new Error(
        'security.logArchive.account: the log-archive account needs its own provider',
      );

    const trailName = `${props.prefix}-organization-trail`;
    this.logArchive = new LogArchive(this, 'log-archive', {
      provider: archiveProvider,
      bucketName: logArchiveBucketName(props.prefix, archiveId),
      keyAlias: `${props.prefix}-log-archive`,
      securityAccountId: archiveId,
      managementAccountId: managementId,
      organizationId: props.organizationId,
      trailArn: trailArn(props.homeRegion, managementId, trailName),
      retentionDays: cfg.cloudTrail.retentionDays,
      glacierAfterDays: cfg.cloudTrail.glacierAfterDays,
      noncurrentVersionDays: cfg.cloudTrail.noncurrentVersionDays,
      configAccountIds: cfg.config.enabled ? props.configAccountIds : undefined,
      objectLock:
        cfg.logArchive.objectLock === 'off'
          ? false
          : {
              mode: cfg.logArchive.objectLock,
              days: cfg.logArchive.lockDays ?? cfg.cloudTrail.retentionDays,
            },
      denyDelete: cfg.logArchive.denyDelete,
      policyManagerArns: props.logArchiveManagerArns,
    });
    this.trail = new OrganizationTrail(this, 'organization-trail', {
      name: trailName,
      bucketName: this.logArchive.bucket.bucketName,
      kmsKeyArn: this.logArchive.key.keyArn,
      dependsOn: [this.logArchive.bucket.policy, this.logArchive.key.key],
    });

    // GuardDuty, Security Hub and Access Analyzer are regional: cover every region the
    // region-allow-list SCP leaves open, home region first (its constructs keep the plain IDs).
    const regions = [
      props.homeRegion,
      ...props.allowedRegions.filter((r) => r !== props.homeRegion),
    ];
    const regional = (base: string, region: string) =>
      region === props.homeRegion ? base : `${base}-${region}`;
    const securityIn = (region: string) => {
      const p = props.providerFor('security', region);
      if (!p) throw new Error(`security.securityAccount: no provider for ${region}`);
      return p;
    };
    const managementIn = (region: string) => props.providerFor('management', region);

    // GuardDuty in every region of guardDutyRegions (the allowed regions plus us-east-1, where
    // global-service events land): registration from the management account, then the
    // organization configuration (ALL: existing and new accounts) from the administrator.
    if (cfg.guardDuty.enabled) {
      for (const region of props.guardDutyRegions) {
        const admin = new GuardDutyDelegatedAdmin(this, regional('guardduty-admin', region), {
          adminAccountId: securityId,
          provider: managementIn(region),
          findingPublishingFrequency: cfg.guardDuty.findingPublishingFrequency,
        });
        const members = new GuardDutyOrganizationMembers(
          this,
          regional('guardduty-members', region),
          { provider: securityIn(region), dependsOn: [admin.adminAccount] },
        );
        this.guardDuty[region] = { admin, members };
      }
    }
    // Security Hub central configuration: one policy associated with the root covers existing
    // and new accounts in the home region and every linked region.
    if (cfg.securityHub.enabled) {
      const admin = new SecurityHubDelegatedAdmin(this, 'security-hub-admin', {
        adminAccountId: securityId,
        provider: managementIn(props.homeRegion),
      });
      const central = new SecurityHubCentralConfiguration(this, 'security-hub-central', {
        provider: security,
        homeRegion: props.homeRegion,
        linkedRegions: regions.slice(1),
        policyName: `${props.prefix}-organization`,
        standards: cfg.securityHub.standards.map((st) => SECURITY_HUB_STANDARDS[st]),
        targetIds: [props.rootId],
        dependsOn: [admin.adminAccount],
      });
      this.securityHub = { admin, central };
    }
    this.accessAnalyzer = new OrganizationAccessAnalyzer(this, 'access-analyzer', {
      name: `${props.prefix}-organization`,
      adminAccountId: securityId,
      adminProviders: regions.map((region) => ({ region, provider: securityIn(region) })),
    });

    if (cfg.config.enabled) {
      new ConfigAggregator(this, 'config-aggregator', {
        name: `${props.prefix}-organization-config`,
        adminAccountId: securityId,
        adminProvider: security,
        regions: props.allowedRegions,
      });
    }
  }
}
