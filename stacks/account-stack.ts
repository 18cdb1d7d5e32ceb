/**
 * One account stack per account of the configuration (`account-<key>`, `account-management`
 * included), run in its own workspace with that account's own dynamic credentials (no role
 * assumption): the account baseline of constructs/baseline (EBS encryption by default in every
 * allowed region, the S3 account public access block, the IAM password policy), the AWS Config
 * recorder in every allowed region when `security.config.enabled` (delivering to the security
 * stack's log archive), and, in the management account, the cost budgets. Its providers are the
 * default one and one alias per other allowed region, all configured from the environment.
 *
 * Budgets live in the management (payer) account: a budget's `LinkedAccount` cost filter
 * selects member accounts of the organization, which only the management account sees
 * (https://docs.aws.amazon.com/cost-management/latest/userguide/budgets-create-filters.html).
 */
import { Construct } from 'constructs';
import { LandingZoneStack, type LandingZoneStackProps } from './base-stack';
import type { OrganizationStack } from './organization-stack';
import type { SecurityStack } from './security-stack';
import { AccountDefaults } from '../constructs/baseline/account-defaults';
import { ConfigRecorder } from '../constructs/baseline/config-recorder';
import { CONFIG_KEY_PREFIX } from '../constructs/baseline/log-archive';
import { Budget } from '../constructs/baseline/budget';
import { MANAGEMENT_ACCOUNT } from '../envs/schema/organization';

/** Props of {@link AccountStack}. */
export interface AccountStackProps extends LandingZoneStackProps {
  /** The organization stack (account IDs for budgets). */
  readonly organization: OrganizationStack;
  /** The security stack (log archive for AWS Config). */
  readonly security: SecurityStack;
}

export class AccountStack extends LandingZoneStack {
  readonly defaults: AccountDefaults;
  /** Config recorders by region (empty when `security.config.enabled` is false). */
  readonly configRecorders: Record<string, ConfigRecorder> = {};
  /** Budgets by their key in `security.budgets` (management account only). */
  readonly budgets: Record<string, Budget> = {};

  /** @throws Error if `spec.account` is not set */
  constructor(scope: Construct, props: AccountStackProps) {
    super(scope, props);
    const env = this.env;
    const cfg = env.security;
    const key = props.spec.account;
    if (!key) throw new Error(`${props.spec.id}: an account stack needs spec.account`);
    const providers = this.regionalProviders();
    const regions = Object.keys(providers);
    // Construct paths as in the former management stack's `baseline` (`baseline/account-<key>`,
    // `baseline/config-<key>`, `baseline/budget-<name>`): the same resource addresses, so the
    // migration moves state entries unchanged (docs/organization.md, "Migrating").
    const base = new Construct(this, 'baseline');

    this.defaults = new AccountDefaults(base, `account-${key}`, {
      regionalProviders: regions.map((region) => ({ region, provider: providers[region] })),
      passwordPolicy: cfg.passwordPolicy,
    });

    if (cfg.config.enabled) {
      const archive = props.security.baseline.logArchive;
      let home: ConfigRecorder | undefined;
      for (const region of regions) {
        const recorder = new ConfigRecorder(
          base,
          region === env.homeRegion ? `config-${key}` : `config-${key}-${region}`,
          {
            provider: providers[region],
            name: `${env.prefix}-config`,
            bucketName: archive.bucket.bucketName,
            keyPrefix: CONFIG_KEY_PREFIX,
            kmsKeyArn: archive.key.keyArn,
            includeGlobalResourceTypes: home === undefined,
            serviceLinkedRoleArn: home?.roleArn,
          },
        );
        home ??= recorder;
        this.configRecorders[region] = recorder;
      }
    }

    if (key === MANAGEMENT_ACCOUNT) {
      for (const [name, b] of Object.entries(cfg.budgets)) {
        this.budgets[name] = new Budget(base, `budget-${name}`, {
          name: `${env.prefix}-${name}`,
          amountUsd: b.amount,
          alertThresholds: b.alertThresholds,
          forecastThresholds: b.forecastThresholds,
          emails: b.emails,
          accountIds: b.accounts?.map((a) => props.organization.accountId(a)),
        });
      }
    }
  }
}
