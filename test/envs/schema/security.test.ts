/**
 * The security schema's derived values: Config follows Security Hub, the log archive's account
 * and lock days default from other fields, and the GuardDuty regions.
 * Sources: https://docs.aws.amazon.com/securityhub/latest/userguide/securityhub-setup-prereqs.html
 * (Config with Security Hub); CloudTrail records global-service events in us-east-1
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-concepts.html#cloudtrail-concepts-global-service-events).
 */
import { exampleEnv, problemsOf } from '../../support/env';
import { LOG_ARCHIVE_ACCOUNT, splitArchiveEnv } from '../../support/log-archive-split';
import { DEFAULT_ENABLED_REGIONS, guardDutyRegions } from '../../../envs/schema/security';

describe('security defaults', () => {
  it('turns Config on with Security Hub, off without it, unless asked for', () => {
    const on = exampleEnv((raw) => delete raw.security.config);
    expect(on.security.config.enabled).toBe(true);
    const off = exampleEnv((raw) => {
      delete raw.security.config;
      raw.security.securityHub = { enabled: false };
    });
    expect(off.security.config.enabled).toBe(false);
    const asked = exampleEnv((raw) => {
      raw.security.config = { enabled: true };
      raw.security.securityHub = { enabled: false };
    });
    expect(asked.security.config.enabled).toBe(true);
  });

  it('keeps the log archive in the security account, locked in GOVERNANCE for the retention', () => {
    const env = exampleEnv();
    expect(env.security.logArchive).toEqual({
      account: 'security',
      objectLock: 'GOVERNANCE',
      lockDays: 365,
      denyDelete: true,
    });
    const compliance = exampleEnv((raw) => {
      raw.security.logArchive = { objectLock: 'COMPLIANCE', lockDays: 90 };
    });
    expect(compliance.security.logArchive).toMatchObject({ account: 'security', lockDays: 90 });
  });

  it('takes a separate log-archive account (the AWS SRA split), tooling staying in securityAccount', () => {
    // https://docs.aws.amazon.com/prescriptive-guidance/latest/security-reference-architecture/log-archive.html
    const env = splitArchiveEnv();
    expect(env.security.securityAccount).toBe('security');
    expect(env.security.logArchive).toMatchObject({ account: LOG_ARCHIVE_ACCOUNT, lockDays: 365 });
    // naming the security account itself is the default, not a split
    const same = exampleEnv((raw) => (raw.security.logArchive = { account: 'security' }));
    expect(same.security.logArchive.account).toBe('security');
  });

  it('refuses a log-archive account that also holds a cluster, naming the cluster', () => {
    expect(
      problemsOf((raw) => {
        raw.organization.accounts['log-archive'] = {
          email: 'aws+logs@acme.example',
          ou: 'security',
        };
        raw.security.logArchive = { account: 'log-archive' };
        raw.clusters['main-01'].account = 'log-archive';
        for (const a of raw.identityCenter.assignments)
          if (a.accounts.includes('production')) a.accounts.push('log-archive');
      }),
    ).toEqual([
      'security.logArchive.account: "log-archive" also holds cluster "main-01" (clusters.main-01.account): a log-archive account other than securityAccount holds only the archive (AWS SRA Log Archive account); choose an account of its own or leave logArchive.account unset',
    ]);
  });
});

describe('guardDutyRegions', () => {
  it('adds us-east-1 (global-service events) to the allowed regions, home region first', () => {
    expect(guardDutyRegions(exampleEnv())).toEqual(['eu-central-1', 'eu-west-1', 'us-east-1']);
  });

  it('covers every default-enabled region with allRegions, without duplicates', () => {
    const regions = guardDutyRegions(
      exampleEnv((raw) => (raw.security.guardDuty = { allRegions: true })),
    );
    expect(regions[0]).toBe('eu-central-1');
    expect(new Set(regions).size).toBe(regions.length);
    expect(regions).toEqual(expect.arrayContaining([...DEFAULT_ENABLED_REGIONS]));
    expect(regions).toHaveLength(DEFAULT_ENABLED_REGIONS.length);
  });

  it('is only the allowed regions when no additional region is asked for', () => {
    expect(
      guardDutyRegions(exampleEnv((raw) => (raw.security.guardDuty = { additionalRegions: [] }))),
    ).toEqual(['eu-central-1', 'eu-west-1']);
  });
});
