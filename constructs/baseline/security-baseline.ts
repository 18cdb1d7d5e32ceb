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
 * detectors and delegated-administrator registrations) and the security account.
 */
import { Construct } from 'constructs';
import type { TerraformProvider } from 'cdktf';
import type { SecurityConfig } from '../../envs/schema/security';
import { SECURITY_HUB_STANDARDS } from '../../envs/schema/security';
import { LogArchive } from './log-archive';
import { OrganizationTrail, trailArn } from './organization-trail';
import { GuardDutyOrganization } from './guardduty';
import { SecurityHubOrganization } from './security-hub';
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
  /** Account IDs whose AWS Config recorders deliver to the log archive (used when Config is on). */
  readonly configAccountIds: string[];
  /** The environment's `security` section. */
  readonly config: SecurityConfig;
  /**
   * The provider for `management` or `security` in a region (default the home region);
   * `undefined` stands for the stack's default provider (management account, home region).
   */
  readonly providerFor: (
    account: 'management' | 'security',
    region?: string,
  ) => TerraformProvider | undefined;
}

/**
 * Everything the security baseline creates.
 * @throws Error if `config.securityAccount` is not in `accountIds` or has no provider
 */
export class SecurityBaseline extends Construct {
  /** The log-archive key and bucket in the security account. */
  readonly logArchive: LogArchive;
  /** The organization trail (management account, home region, all regions recorded). */
  readonly trail: OrganizationTrail;
  /** GuardDuty by region (every allowed region; empty when `guardDuty.enabled` is false). */
  readonly guardDuty: Record<string, GuardDutyOrganization> = {};
  /** Security Hub by region (every allowed region; empty when `securityHub.enabled` is false). */
  readonly securityHub: Record<string, SecurityHubOrganization> = {};
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

    const trailName = `${props.prefix}-organization-trail`;
    this.logArchive = new LogArchive(this, 'log-archive', {
      provider: security,
      bucketName: `${props.prefix}-log-archive-${securityId}`,
      keyAlias: `${props.prefix}-log-archive`,
      securityAccountId: securityId,
      managementAccountId: managementId,
      organizationId: props.organizationId,
      trailArn: trailArn(props.homeRegion, managementId, trailName),
      retentionDays: cfg.cloudTrail.retentionDays,
      glacierAfterDays: cfg.cloudTrail.glacierAfterDays,
      noncurrentVersionDays: cfg.cloudTrail.noncurrentVersionDays,
      configAccountIds: cfg.config.enabled ? props.configAccountIds : undefined,
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

    if (cfg.guardDuty.enabled) {
      for (const region of regions) {
        this.guardDuty[region] = new GuardDutyOrganization(this, regional('guardduty', region), {
          adminAccountId: securityId,
          adminProvider: securityIn(region),
          managementProvider: managementIn(region),
          findingPublishingFrequency: cfg.guardDuty.findingPublishingFrequency,
        });
      }
    }
    if (cfg.securityHub.enabled) {
      for (const region of regions) {
        this.securityHub[region] = new SecurityHubOrganization(
          this,
          regional('security-hub', region),
          {
            adminAccountId: securityId,
            adminProvider: securityIn(region),
            managementProvider: managementIn(region),
            region,
            standards: cfg.securityHub.standards.map((s) => SECURITY_HUB_STANDARDS[s]),
            aggregateRegions: region === props.homeRegion ? regions.slice(1) : undefined,
          },
        );
      }
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
