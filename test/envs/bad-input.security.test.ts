/**
 * Bad input, the security baseline and guardrails: invalid environments (each an edit of the
 * example) in `security` (security account, CloudTrail, password policy, budgets, Config, log
 * archive, GuardDuty) and `guardrails` (suppressions). Each one fails validation with its exact
 * `path: rule` messages, and run through main.ts's `synthesize` it stops at the `config` stage:
 * no stack is built and no cdktf.out is left behind (the rest of the table: bad-input.test.ts).
 */
import { describeInvalidEnvironments, REASON, set, type Case } from '../support/bad-input-cases';

const BUDGET = 'security.budgets.organization-monthly';

/** [what, edit, every expected message in order]. */
const CASES: Case[] = [
  // ---- security baseline ----
  [
    'security account unknown',
    set('security.securityAccount', 'audit'),
    ['security.securityAccount: unknown account "audit"'],
  ],
  [
    'security account is the management account',
    set('security.securityAccount', 'management'),
    ['security.securityAccount: must be a member account, not the management account'],
  ],
  [
    'CloudTrail retention too short',
    set('security.cloudTrail', { retentionDays: 30, glacierAfterDays: 10 }),
    ['security.cloudTrail.retentionDays: must be 90-3650 days'],
  ],
  [
    'CloudTrail retention not whole days',
    set('security.cloudTrail', { retentionDays: 365.5 }),
    ['security.cloudTrail.retentionDays: must be a whole number (days)'],
  ],
  [
    'Glacier transition after expiry',
    set('security.cloudTrail', { retentionDays: 365, glacierAfterDays: 400 }),
    ['security.cloudTrail.glacierAfterDays: 400 must be below retentionDays (365)'],
  ],
  [
    'password policy too short',
    set('security.passwordPolicy.minimumLength', 8),
    [
      'security.passwordPolicy.minimumLength: must be 14-128 characters (CIS AWS Foundations: at least 14)',
    ],
  ],
  [
    'password reuse prevention off',
    set('security.passwordPolicy.reusePrevention', 0),
    ['security.passwordPolicy.reusePrevention: must be 1-24 previous passwords'],
  ],
  [
    'budget of zero USD',
    set(`${BUDGET}.amount`, 0),
    ['security.budgets.organization-monthly.amount: must be a positive amount in USD'],
  ],
  [
    'budget threshold of 0%',
    set(`${BUDGET}.alertThresholds`, [0, 100]),
    [
      'security.budgets.organization-monthly.alertThresholds[0]: must be 1-1000 percent of the amount',
    ],
  ],
  [
    'duplicate budget threshold',
    set(`${BUDGET}.forecastThresholds`, [100, 100]),
    ['security.budgets.organization-monthly.forecastThresholds[1]: duplicate threshold 100%'],
  ],
  [
    'budget recipient not an email',
    set(`${BUDGET}.emails`, ['finops']),
    ['security.budgets.organization-monthly.emails[0]: must be a valid email address'],
  ],
  [
    'budget without recipients',
    set(`${BUDGET}.emails`, []),
    ['security.budgets.organization-monthly.emails: needs at least one email recipient'],
  ],
  [
    'duplicate budget recipient',
    set(`${BUDGET}.emails`, ['a@acme.example', 'A@acme.example']),
    ['security.budgets.organization-monthly.emails[1]: duplicate email "A@acme.example"'],
  ],
  [
    'budget for an unknown account',
    set('security.budgets.production-monthly.accounts', ['staging']),
    ['security.budgets.production-monthly.accounts[0]: unknown account "staging"'],
  ],
  [
    'more budget alerts than AWS allows',
    set(`${BUDGET}.alertThresholds`, [50, 60, 70, 80, 90]),
    [
      'security.budgets.organization-monthly: at most 5 alert and forecast thresholds in total (AWS Budgets limit)',
    ],
  ],
  // ---- organization guardrails ----
  [
    'Config off while Security Hub is on',
    set('security.config', { enabled: false }),
    [
      'security.config.enabled: must be true while securityHub.enabled is true: Security Hub control findings need AWS Config recording in every account and region (https://docs.aws.amazon.com/securityhub/latest/userguide/securityhub-setup-prereqs.html)',
    ],
  ],
  [
    'log archive in an unknown account',
    set('security.logArchive', { account: 'archive' }),
    ['security.logArchive.account: unknown account "archive"'],
  ],
  [
    'log archive in the management account',
    set('security.logArchive', { account: 'management' }),
    ['security.logArchive.account: must be a member account, not the management account'],
  ],
  [
    // AWS SRA: the Log Archive account "is dedicated to ingesting and archiving all
    // security-related logs" (https://docs.aws.amazon.com/prescriptive-guidance/latest/security-reference-architecture/log-archive.html)
    'log archive in the workload account (network and cluster main-01)',
    set('security.logArchive', { account: 'production' }),
    [
      'security.logArchive.account: "production" also holds the network (network.account): a log-archive account other than securityAccount holds only the archive (AWS SRA Log Archive account); choose an account of its own or leave logArchive.account unset',
      'security.logArchive.account: "production" also holds cluster "main-01" (clusters.main-01.account): a log-archive account other than securityAccount holds only the archive (AWS SRA Log Archive account); choose an account of its own or leave logArchive.account unset',
    ],
  ],
  [
    'log lock longer than the retention',
    set('security.logArchive', { lockDays: 400 }),
    [
      'security.logArchive.lockDays: 400 must not exceed cloudTrail.retentionDays (365): a log would expire while still locked',
    ],
  ],
  [
    'lock days without a lock',
    set('security.logArchive', { objectLock: 'off', lockDays: 30 }),
    ['security.logArchive.lockDays: is set but logArchive.objectLock is off'],
  ],
  [
    'GuardDuty in an unknown region',
    set('security.guardDuty', { additionalRegions: ['us-east-9'] }),
    ['security.guardDuty.additionalRegions[0]: unknown AWS region'],
  ],
  // ---- guardrails ----
  [
    'suppression of an unknown rule',
    set('guardrails.suppressions', [
      { rule: 'LZ-FOO-001', resource: 'network/vpc', reason: REASON },
    ]),
    [
      expect.stringMatching(
        /^guardrails\.suppressions\[0\]\.rule: unknown rule \(known: LZ-IMDS-001, /,
      ),
    ],
  ],
  [
    'suppression without a real reason',
    set('guardrails.suppressions', [
      { rule: 'LZ-LOG-001', resource: 'network/vpc', reason: 'todo' },
    ]),
    ['guardrails.suppressions[0].reason: must explain the exemption in at least 20 characters'],
  ],
  [
    'the same suppression twice',
    set('guardrails.suppressions', [
      { rule: 'LZ-LOG-001', resource: 'network/x', reason: REASON },
      { rule: 'LZ-LOG-001', resource: 'network/x', reason: REASON },
    ]),
    [
      'guardrails.suppressions[1]: duplicate suppression of LZ-LOG-001 for "network/x" (also suppressions[0])',
    ],
  ],
];

describeInvalidEnvironments(CASES);
