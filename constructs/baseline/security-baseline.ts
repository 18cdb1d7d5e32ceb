/**
 * The organization security baseline, built by the management stack: log archive and
 * organization CloudTrail, GuardDuty, Security Hub, IAM Access Analyzer, optional AWS Config,
 * account defaults in every account, and budgets. What each piece prevents is in
 * docs/security.md.
 *
 * Resources land in three places: the management account (the stack's default provider),
 * the security account (delegated administrator and log archive) and every member account,
 * through the providers {@link SecurityBaselineProps.providerFor} hands out.
 */
import { Construct } from 'constructs';
import type { TerraformProvider } from 'cdktf';
import type { SecurityConfig } from '../../envs/schema/security';
import { SECURITY_HUB_STANDARDS } from '../../envs/schema/security';
import { CONFIG_KEY_PREFIX, LogArchive } from './log-archive';
import { OrganizationTrail, trailArn } from './organization-trail';
import { GuardDutyOrganization } from './guardduty';
import { SecurityHubOrganization } from './security-hub';
import { OrganizationAccessAnalyzer } from './access-analyzer';
import { ConfigRecorder } from './config-recorder';
import { ConfigAggregator } from './config-aggregator';
import { AccountDefaults } from './account-defaults';
import { Budget } from './budget';

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
  /** Account key → account ID, `management` included. */
  readonly accountIds: Record<string, string>;
  /** Key of the management account in {@link accountIds}. */
  readonly managementAccount: string;
  /** The environment's `security` section. */
  readonly config: SecurityConfig;
  /**
   * The provider for an account key in a region (default the home region); `undefined`
   * stands for the stack's default provider (management account, home region).
   */
  readonly providerFor: (account: string, region?: string) => TerraformProvider | undefined;
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
  /** Budgets by their key in `security.budgets`. */
  readonly budgets: Record<string, Budget> = {};

  constructor(scope: Construct, id: string, props: SecurityBaselineProps) {
    super(scope, id);
    const cfg = props.config;
    const securityKey = cfg.securityAccount;
    const securityId = props.accountIds[securityKey];
    const managementId = props.accountIds[props.managementAccount];
    if (!securityId) throw new Error(`security.securityAccount: unknown account "${securityKey}"`);
    const security = props.providerFor(securityKey);
    if (!security)
      throw new Error('security.securityAccount: the security account needs its own provider');
    const accountKeys = Object.keys(props.accountIds);

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
      configAccountIds: cfg.config.enabled
        ? accountKeys.map((k) => props.accountIds[k])
        : undefined,
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
      const p = props.providerFor(securityKey, region);
      if (!p) throw new Error(`security.securityAccount: no provider for ${region}`);
      return p;
    };
    const managementIn = (region: string) => props.providerFor(props.managementAccount, region);

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
      for (const key of accountKeys) {
        const recorder = (region: string, home?: ConfigRecorder) =>
          new ConfigRecorder(this, regional(`config-${key}`, region), {
            provider: props.providerFor(key, region),
            name: `${props.prefix}-config`,
            bucketName: this.logArchive.bucket.bucketName,
            keyPrefix: CONFIG_KEY_PREFIX,
            kmsKeyArn: this.logArchive.key.keyArn,
            includeGlobalResourceTypes: home === undefined,
            serviceLinkedRoleArn: home?.roleArn,
          });
        const home = recorder(props.homeRegion);
        for (const region of regions.slice(1)) recorder(region, home);
      }
      new ConfigAggregator(this, 'config-aggregator', {
        name: `${props.prefix}-organization-config`,
        adminAccountId: securityId,
        adminProvider: security,
        regions: props.allowedRegions,
      });
    }

    for (const key of accountKeys) {
      new AccountDefaults(this, `account-${key}`, {
        regionalProviders: regions.map((region) => ({
          region,
          provider: props.providerFor(key, region),
        })),
        passwordPolicy: cfg.passwordPolicy,
      });
    }

    for (const [key, b] of Object.entries(cfg.budgets)) {
      this.budgets[key] = new Budget(this, `budget-${key}`, {
        name: `${props.prefix}-${key}`,
        amountUsd: b.amount,
        alertThresholds: b.alertThresholds,
        forecastThresholds: b.forecastThresholds,
        emails: b.emails,
        accountIds: b.accounts?.map((a) => props.accountIds[a]),
      });
    }
  }
}
