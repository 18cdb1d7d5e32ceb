/**
 * `security`: the organization security baseline: the organization CloudTrail and its
 * log-archive bucket, GuardDuty, Security Hub, IAM Access Analyzer, optional AWS Config,
 * per-account defaults (EBS encryption, S3 public access block, IAM password policy) and
 * budgets. Every field has a secure default; `security: {}` is a complete baseline.
 *
 * Cross-field rules ({@link checkSecurity}): the security account and budget accounts exist; a
 * separate log-archive account is a member account that holds nothing else of the landing zone.
 */
import { z } from 'zod';
import { awsRegion, duplicates, email, issue, name, namedRecord } from './common';
import { MANAGEMENT_ACCOUNT, type OrganizationConfig } from './organization';

/** Security Hub standards the baseline can subscribe, by short name → ARN path after `arn:aws:securityhub:<region>::`. */
export const SECURITY_HUB_STANDARDS = {
  'aws-foundational-security-best-practices':
    'standards/aws-foundational-security-best-practices/v/1.0.0',
  'cis-aws-foundations-benchmark-v3': 'standards/cis-aws-foundations-benchmark/v/3.0.0',
  'nist-800-53-v5': 'standards/nist-800-53/v/5.0.0',
} as const;
export type SecurityHubStandard = keyof typeof SECURITY_HUB_STANDARDS;

/**
 * AWS Budgets quotas: notifications per budget and email subscribers per notification.
 * Source: https://docs.aws.amazon.com/cost-management/latest/userguide/budgets-limits.html
 */
export const BUDGET_LIMITS = { notifications: 5, emails: 10 } as const;

/**
 * A whole number in `min`–`max` (inclusive), with one message for both ends of the range:
 * `must be <min>-<max> <unit>[ (<why>)]` (and `must be a whole number (<unit>)`).
 * @param min smallest accepted value
 * @param max largest accepted value
 * @param unit what is counted (`days`, `characters`), shown in the message
 * @param why where the range comes from, appended in parentheses (default none)
 */
const wholeBetween = (min: number, max: number, unit: string, why?: string) => {
  const range = `must be ${min}-${max} ${unit}${why ? ` (${why})` : ''}`;
  return z.number().int(`must be a whole number (${unit})`).min(min, range).max(max, range);
};

/** A number of days in `min`–`max`. */
const days = (min: number, max: number) => wholeBetween(min, max, 'days');

const cloudTrail = z
  .object({
    retentionDays: days(90, 3650)
      .default(365)
      .describe(
        'Days a CloudTrail log object is kept in the log-archive bucket before it expires (default 365, min 90, max 3650).',
      ),
    glacierAfterDays: days(1, 3650)
      .default(90)
      .describe(
        'Days after which log objects move to S3 Glacier Instant Retrieval (default 90; must be below retentionDays).',
      ),
    noncurrentVersionDays: days(1, 3650)
      .default(90)
      .describe('Days a noncurrent (overwritten or deleted) object version is kept (default 90).'),
  })
  .strict();

/**
 * Regions enabled by default in every AWS account (the others are opt-in), for
 * `guardDuty.allRegions`.
 * Source: https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html
 * ("Opt-in status: Not required").
 */
export const DEFAULT_ENABLED_REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'ap-south-1',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-southeast-1',
  'ap-southeast-2',
  'ca-central-1',
  'eu-central-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-north-1',
  'sa-east-1',
] as const;

/**
 * The region CloudTrail records global-service events (IAM, STS global endpoint, Organizations)
 * in, so GuardDuty watches it even when no workload may run there.
 * Source: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-concepts.html#cloudtrail-concepts-global-service-events
 */
export const GLOBAL_EVENTS_REGION = 'us-east-1';

const guardDuty = z
  .object({
    enabled: z
      .boolean()
      .default(true)
      .describe(
        'GuardDuty on in every account, administered from the security account (default true).',
      ),
    additionalRegions: z
      .array(awsRegion)
      .default([GLOBAL_EVENTS_REGION])
      .describe(
        "Regions watched besides `allowedRegions` (default `[us-east-1]`, where global-service events land). GuardDuty is the only service the region SCP lets the security stack's roles use there.",
      ),
    allRegions: z
      .boolean()
      .default(false)
      .describe(
        'Watch every region enabled by default in an AWS account (`DEFAULT_ENABLED_REGIONS`), as AWS recommends (default false). Source: https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_regions.html',
      ),
    findingPublishingFrequency: z
      .enum(['FIFTEEN_MINUTES', 'ONE_HOUR', 'SIX_HOURS'])
      .default('FIFTEEN_MINUTES')
      .describe(
        'How often updated findings are exported (default `FIFTEEN_MINUTES`). Source: https://docs.aws.amazon.com/guardduty/latest/APIReference/API_CreateDetector.html',
      ),
  })
  .strict();

const securityHub = z
  .object({
    enabled: z
      .boolean()
      .default(true)
      .describe(
        'Security Hub on in every account, administered from the security account (default true).',
      ),
    standards: z
      .array(
        z.enum(
          Object.keys(SECURITY_HUB_STANDARDS) as [SecurityHubStandard, ...SecurityHubStandard[]],
        ),
      )
      .default(['aws-foundational-security-best-practices'])
      .describe(
        'Standards subscribed in the security account (default: AWS Foundational Security Best Practices).',
      ),
  })
  .strict();

const config = z
  .object({
    enabled: z
      .boolean()
      .optional()
      .describe(
        'An AWS Config recorder (all supported resource types) in every account and allowed region, delivering to the log-archive bucket, with an organization aggregator in the security account. Default: on exactly when Security Hub is on, whose control findings need it (https://docs.aws.amazon.com/securityhub/latest/userguide/securityhub-setup-prereqs.html); `false` with Security Hub on is refused. Config is billed per configuration item.',
      ),
  })
  .strict();

/**
 * Where the organization's logs are kept and how they are locked.
 * Sources: https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html,
 * https://docs.aws.amazon.com/prescriptive-guidance/latest/security-reference-architecture/log-archive.html
 */
const logArchive = z
  .object({
    account: name
      .optional()
      .describe(
        "Member account that holds the log archive (default: `securityAccount`). A separate account (the AWS Security Reference Architecture's Log Archive account, https://docs.aws.amazon.com/prescriptive-guidance/latest/security-reference-architecture/log-archive.html) keeps the logs out of reach of the security tooling's administrators; the security stack builds the archive there with a third dynamic-credentials configuration (`LOG_ARCHIVE`). It must be an account of its own: not `management`, not the network's or a cluster's account. Choose it before the first apply: moving an existing archive replaces the bucket (docs/security.md).",
      ),
    objectLock: z
      .enum(['GOVERNANCE', 'COMPLIANCE', 'off'])
      .default('GOVERNANCE')
      .describe(
        'S3 Object Lock default retention on the log-archive bucket: `GOVERNANCE` (default; lifting it needs s3:BypassGovernanceRetention, which the bucket policy denies to everyone), `COMPLIANCE` (no one, not even the root user, can delete a version before it expires) or `off`. Enabled through `aws_s3_bucket_object_lock_configuration` on the versioned bucket, so an existing archive bucket is locked in place, not replaced.',
      ),
    lockDays: days(1, 3650)
      .optional()
      .describe(
        'Days each log object version is locked (default: `cloudTrail.retentionDays`; at most that).',
      ),
    denyDelete: z
      .boolean()
      .default(true)
      .describe(
        "A bucket-policy statement denying object-version deletion and governance bypass to every principal, the security account's administrators included (default true).",
      ),
  })
  .strict();

/**
 * IAM account password policy, applied in every account. Defaults follow the CIS AWS
 * Foundations Benchmark (length ≥ 14, reuse prevention 24).
 * Source: https://docs.aws.amazon.com/IAM/latest/APIReference/API_UpdateAccountPasswordPolicy.html
 */
const passwordPolicy = z
  .object({
    minimumLength: wholeBetween(14, 128, 'characters', 'CIS AWS Foundations: at least 14')
      .default(14)
      .describe(
        'Minimum length in characters (default 14; 14–128; CIS AWS Foundations asks for 14).',
      ),
    requireLowercase: z
      .boolean()
      .default(true)
      .describe('Require at least one lowercase letter (default true).'),
    requireUppercase: z
      .boolean()
      .default(true)
      .describe('Require at least one uppercase letter (default true).'),
    requireNumbers: z
      .boolean()
      .default(true)
      .describe('Require at least one digit (default true).'),
    requireSymbols: z
      .boolean()
      .default(true)
      .describe('Require at least one non-alphanumeric character (default true).'),
    reusePrevention: wholeBetween(1, 24, 'previous passwords')
      .default(24)
      .describe('Previous passwords that cannot be reused (default 24; 1–24).'),
    maxAgeDays: days(1, 1095)
      .default(90)
      .describe('Days before a password expires (default 90; 1–1095).'),
    allowUsersToChange: z
      .boolean()
      .default(true)
      .describe('Whether users may change their own password (default true).'),
  })
  .strict();

/** A threshold in percent of the budget amount (1–1000). */
const percent = wholeBetween(1, 1000, 'percent of the amount');

const budget = z
  .object({
    amount: z
      .number()
      .positive('must be a positive amount in USD')
      .describe('Monthly cost limit in USD (> 0).'),
    alertThresholds: z
      .array(percent)
      .default([80, 100])
      .describe('Alert when ACTUAL cost passes these percentages of `amount` (default [80, 100]).'),
    forecastThresholds: z
      .array(percent)
      .default([100])
      .describe('Alert when FORECASTED cost passes these percentages (default [100]).'),
    emails: z
      .array(email)
      .min(1, 'needs at least one email recipient')
      .max(BUDGET_LIMITS.emails, `at most ${BUDGET_LIMITS.emails} recipients (AWS Budgets limit)`)
      .describe('Email recipients of every alert (1–10).'),
    accounts: z
      .array(z.string())
      .min(1)
      .optional()
      .describe(
        'Account keys the budget is limited to (`management` or `organization.accounts` keys; default: the whole organization).',
      ),
  })
  .strict()
  .superRefine((b, ctx) => {
    if (b.alertThresholds.length + b.forecastThresholds.length === 0) {
      issue(ctx, ['alertThresholds'], 'needs at least one alert or forecast threshold');
    }
    if (b.alertThresholds.length + b.forecastThresholds.length > BUDGET_LIMITS.notifications) {
      issue(
        ctx,
        [],
        `at most ${BUDGET_LIMITS.notifications} alert and forecast thresholds in total (AWS Budgets limit)`,
      );
    }
    for (const field of ['alertThresholds', 'forecastThresholds'] as const) {
      for (const d of duplicates(b[field]))
        issue(ctx, [field, d.index], `duplicate threshold ${d.value}%`);
    }
    for (const d of duplicates(b.emails.map((e) => e.toLowerCase()))) {
      issue(ctx, ['emails', d.index], `duplicate email "${b.emails[d.index]}"`);
    }
  });

export const securitySchema = z
  .object({
    securityAccount: name
      .default('security')
      .describe(
        'Member account (key in `organization.accounts`) that is the delegated administrator of GuardDuty, Security Hub, IAM Access Analyzer and Config, and holds the log archive unless `logArchive.account` names another (default `security`).',
      ),
    cloudTrail: cloudTrail.prefault({}),
    guardDuty: guardDuty.prefault({}),
    securityHub: securityHub.prefault({}),
    config: config.prefault({}),
    logArchive: logArchive.prefault({}),
    passwordPolicy: passwordPolicy.prefault({}),
    budgets: namedRecord(budget)
      .default({})
      .describe('Cost budgets keyed by a short name (AWS name `<prefix>-<key>`); default none.'),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.cloudTrail.glacierAfterDays >= s.cloudTrail.retentionDays) {
      issue(
        ctx,
        ['cloudTrail', 'glacierAfterDays'],
        `${s.cloudTrail.glacierAfterDays} must be below retentionDays (${s.cloudTrail.retentionDays})`,
      );
    }
    if (s.securityHub.enabled && s.config.enabled === false) {
      issue(
        ctx,
        ['config', 'enabled'],
        'must be true while securityHub.enabled is true: Security Hub control findings need AWS Config recording in every account and region (https://docs.aws.amazon.com/securityhub/latest/userguide/securityhub-setup-prereqs.html)',
      );
    }
    const lockDays = s.logArchive.lockDays;
    if (lockDays !== undefined && lockDays > s.cloudTrail.retentionDays) {
      issue(
        ctx,
        ['logArchive', 'lockDays'],
        `${lockDays} must not exceed cloudTrail.retentionDays (${s.cloudTrail.retentionDays}): a log would expire while still locked`,
      );
    }
    if (s.logArchive.objectLock === 'off' && lockDays !== undefined) {
      issue(ctx, ['logArchive', 'lockDays'], 'is set but logArchive.objectLock is off');
    }
  })
  .transform((s) => ({
    ...s,
    config: { enabled: s.config.enabled ?? s.securityHub.enabled },
    logArchive: {
      ...s.logArchive,
      account: s.logArchive.account ?? s.securityAccount,
      lockDays: s.logArchive.lockDays ?? s.cloudTrail.retentionDays,
    },
  }))
  .prefault({});

export type SecurityConfig = z.output<typeof securitySchema>;
/**
 * The regions GuardDuty covers: every region enabled by default when `guardDuty.allRegions`,
 * else `allowedRegions` plus `guardDuty.additionalRegions`; `homeRegion` first, no duplicates.
 */
export function guardDutyRegions(env: {
  homeRegion: string;
  allowedRegions: readonly string[];
  security: SecurityConfig;
}): string[] {
  const g = env.security.guardDuty;
  const all = g.allRegions
    ? [...env.allowedRegions, ...DEFAULT_ENABLED_REGIONS]
    : [...env.allowedRegions, ...g.additionalRegions];
  return [...new Set([env.homeRegion, ...all])];
}

/** One budget, parsed. */
export type BudgetConfig = SecurityConfig['budgets'][string];

/**
 * Cross-field rules: the security account is a member account; budget accounts exist; a
 * log-archive account other than the security account is a known member account that holds
 * nothing else of the landing zone: not the network's account, not a cluster's account (a DNS
 * parent zone lives in one of those, see checkClusters). The AWS SRA's Log Archive account "is
 * dedicated to ingesting and archiving all security-related logs and backups"
 * (https://docs.aws.amazon.com/prescriptive-guidance/latest/security-reference-architecture/log-archive.html),
 * and a workload pipeline's apply role (`AdministratorAccess`) in that account could read the
 * logs through IAM. One issue per conflict, each at `security.logArchive.account`.
 */
export function checkSecurity(
  env: {
    security: SecurityConfig;
    organization: OrganizationConfig;
    network: { account: string };
    clusters: Readonly<Record<string, { account: string }>>;
  },
  ctx: z.RefinementCtx,
): void {
  const s = env.security;
  if (s.securityAccount === MANAGEMENT_ACCOUNT) {
    issue(
      ctx,
      ['security', 'securityAccount'],
      'must be a member account, not the management account',
    );
  } else if (!(s.securityAccount in env.organization.accounts)) {
    issue(ctx, ['security', 'securityAccount'], `unknown account "${s.securityAccount}"`);
  }
  const archive = s.logArchive.account ?? s.securityAccount;
  const archivePath = ['security', 'logArchive', 'account'];
  if (archive === s.securityAccount) {
    // the default (or the same account twice): checked above
  } else if (archive === MANAGEMENT_ACCOUNT) {
    issue(ctx, archivePath, 'must be a member account, not the management account');
  } else if (!(archive in env.organization.accounts)) {
    issue(ctx, archivePath, `unknown account "${archive}"`);
  } else {
    const tenants: string[] = [];
    if (env.network.account === archive) tenants.push('the network (network.account)');
    for (const [key, c] of Object.entries(env.clusters)) {
      if (c.account === archive) tenants.push(`cluster "${key}" (clusters.${key}.account)`);
    }
    for (const t of tenants)
      issue(
        ctx,
        archivePath,
        `"${archive}" also holds ${t}: a log-archive account other than securityAccount holds only the archive (AWS SRA Log Archive account); choose an account of its own or leave logArchive.account unset`,
      );
  }
  const accounts = [MANAGEMENT_ACCOUNT, ...Object.keys(env.organization.accounts)];
  for (const [key, b] of Object.entries(s.budgets)) {
    b.accounts?.forEach((a, i) => {
      if (!accounts.includes(a))
        issue(ctx, ['security', 'budgets', key, 'accounts', i], `unknown account "${a}"`);
    });
  }
}
