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

export interface SecurityBaselineProps {
  /** Resource-name prefix (`<prefix>-log-archive-…`, `<prefix>-organization`, …). */
  readonly prefix: string;
  /** Home region: trail, GuardDuty, Security Hub, Access Analyzer, Config. */
  readonly homeRegion: string;
  /** Regions that get EBS encryption by default (the SCP's allowed regions; home first or not). */
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

/** Everything the security baseline creates. */
export class SecurityBaseline extends Construct {
  readonly logArchive: LogArchive;
  readonly trail: OrganizationTrail;
  readonly guardDuty?: GuardDutyOrganization;
  readonly securityHub?: SecurityHubOrganization;
  readonly accessAnalyzer: OrganizationAccessAnalyzer;
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
      kmsKeyArn: this.logArchive.key.arn,
      dependsOn: [this.logArchive.bucket.policy, this.logArchive.key],
    });

    if (cfg.guardDuty.enabled) {
      this.guardDuty = new GuardDutyOrganization(this, 'guardduty', {
        adminAccountId: securityId,
        adminProvider: security,
        findingPublishingFrequency: cfg.guardDuty.findingPublishingFrequency,
      });
    }
    if (cfg.securityHub.enabled) {
      this.securityHub = new SecurityHubOrganization(this, 'security-hub', {
        adminAccountId: securityId,
        adminProvider: security,
        region: props.homeRegion,
        standards: cfg.securityHub.standards.map((s) => SECURITY_HUB_STANDARDS[s]),
      });
    }
    this.accessAnalyzer = new OrganizationAccessAnalyzer(this, 'access-analyzer', {
      name: `${props.prefix}-organization`,
      adminAccountId: securityId,
      adminProvider: security,
    });

    if (cfg.config.enabled) {
      for (const key of accountKeys) {
        new ConfigRecorder(this, `config-${key}`, {
          provider: props.providerFor(key),
          name: `${props.prefix}-config`,
          bucketName: this.logArchive.bucket.bucketName,
          keyPrefix: CONFIG_KEY_PREFIX,
          kmsKeyArn: this.logArchive.key.arn,
        });
      }
      new ConfigAggregator(this, 'config-aggregator', {
        name: `${props.prefix}-organization-config`,
        adminAccountId: securityId,
        adminProvider: security,
        regions: props.allowedRegions,
      });
    }

    const regions = [
      props.homeRegion,
      ...props.allowedRegions.filter((r) => r !== props.homeRegion),
    ];
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
