/**
 * The organization security services in the security stack: GuardDuty, Security Hub, Access
 * Analyzer, and AWS Config (recorders with Security Hub, the optional organization aggregation),
 * and the options that turn them off. Log archive, CloudTrail and the providers:
 * security-baseline.test.ts. The per-account pieces are in test/stacks/account-stack.test.ts.
 */
import 'cdktf/lib/testing/adapters/jest';
import { AccessanalyzerAnalyzer } from '@cdktf/provider-aws/lib/accessanalyzer-analyzer';
import { SecurityhubOrganizationConfiguration } from '@cdktf/provider-aws/lib/securityhub-organization-configuration';
import { GuarddutyOrganizationConfiguration } from '@cdktf/provider-aws/lib/guardduty-organization-configuration';
import { dataOf, resourcesOf, sharedExample, synthJson } from '../../support/synth';
import {
  SECURITY_ID,
  managementStack,
  ofType,
  one,
  securityExample,
} from '../../support/baseline-fixtures';
import { Testing } from 'cdktf';

let synth: string;
let json: Record<string, any>;
beforeAll(() => {
  ({ synth, json } = securityExample());
});

describe('GuardDuty, Security Hub and Access Analyzer', () => {
  /** `provider` of each resource, `(default)` for the management account in the home region. */
  const providersOf = (type: string) =>
    ofType(type)
      .map((r) => r.provider ?? '(default)')
      .sort();

  it('makes the security account GuardDuty administrator in every allowed region, auto-enabling every member and protection plan', () => {
    const admins = ofType('aws_guardduty_organization_admin_account');
    for (const a of admins) expect(a.admin_account_id).toContain(SECURITY_ID);
    // registered from the management account, once per region
    expect(providersOf('aws_guardduty_organization_admin_account')).toEqual([
      '(default)',
      'aws.management-eu-west-1',
      'aws.management-us-east-1',
    ]);
    expect(synth).toHaveResourceWithProperties(GuarddutyOrganizationConfiguration, {
      auto_enable_organization_members: 'ALL',
      provider: 'aws.security',
    });
    expect(providersOf('aws_guardduty_organization_configuration')).toEqual([
      'aws.security',
      'aws.security-eu-west-1',
      'aws.security-us-east-1',
    ]);
    for (const c of ofType('aws_guardduty_organization_configuration'))
      expect(c.auto_enable_organization_members).toBe('ALL');
    const features = ofType('aws_guardduty_organization_configuration_feature').filter(
      (f) => f.provider === 'aws.security',
    );
    expect(features.map((f) => [f.name, f.auto_enable]).sort()).toEqual([
      ['EBS_MALWARE_PROTECTION', 'ALL'],
      ['EKS_AUDIT_LOGS', 'ALL'],
      ['RDS_LOGIN_EVENTS', 'ALL'],
      ['S3_DATA_EVENTS', 'ALL'],
    ]);
    expect(ofType('aws_guardduty_organization_configuration_feature')).toHaveLength(4 * 3);
    // management detectors only: registering the administrator turns GuardDuty on there, so
    // the security account's detector is read (data source, after the registration)
    expect(providersOf('aws_guardduty_detector')).toEqual([
      '(default)',
      'aws.management-eu-west-1',
      'aws.management-us-east-1',
    ]);
    for (const d of Object.values(dataOf(json, 'aws_guardduty_detector')) as any[])
      expect(d.depends_on[0]).toMatch(/^aws_guardduty_organization_admin_account\./);
  });

  it('configures Security Hub centrally from the security account: one policy on the root covers existing and new accounts', () => {
    for (const a of ofType('aws_securityhub_organization_admin_account'))
      expect(a.admin_account_id).toContain(SECURITY_ID);
    // central configuration: one registration in the home region; "the same delegated
    // administrator is automatically set in all linked Regions"
    // (https://docs.aws.amazon.com/securityhub/latest/userguide/start-central-configuration.html)
    expect(providersOf('aws_securityhub_organization_admin_account')).toEqual(['(default)']);
    // CENTRAL needs auto_enable false and auto_enable_standards NONE: hashicorp/aws 5.100.0
    // refuses anything else (checked with `terraform validate` against the provider binary), as
    // the API does (https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_UpdateOrganizationConfiguration.html)
    expect(synth).toHaveResourceWithProperties(SecurityhubOrganizationConfiguration, {
      auto_enable: false,
      auto_enable_standards: 'NONE',
      organization_configuration: { configuration_type: 'CENTRAL' },
      provider: 'aws.security',
    });
    const [, assoc] = one('aws_securityhub_configuration_policy_association');
    expect(assoc.target_id).toMatch(/aws_organizations_organization\..*roots\[0\]\.id|root_id/);
    const [, policy] = one('aws_securityhub_configuration_policy');
    expect(JSON.stringify(policy)).toContain(
      'standards/aws-foundational-security-best-practices/v/1.0.0',
    );
    const [, aggregator] = one('aws_securityhub_finding_aggregator');
    expect(aggregator).toMatchObject({
      provider: 'aws.security',
      linking_mode: 'SPECIFIED_REGIONS',
      specified_regions: ['eu-west-1'],
    });
  });

  it('runs an organization Access Analyzer per allowed region in the security account as delegated administrator', () => {
    expect(synth).toHaveResourceWithProperties(AccessanalyzerAnalyzer, {
      type: 'ORGANIZATION',
      analyzer_name: 'acme-organization',
      provider: 'aws.security',
    });
    expect(providersOf('aws_accessanalyzer_analyzer')).toEqual([
      'aws.security',
      'aws.security-eu-west-1',
    ]);
    const delegations = ofType('aws_organizations_delegated_administrator');
    expect(delegations.map((d) => d.service_principal)).toContain('access-analyzer.amazonaws.com');
  });

  it('records AWS Config in every account and allowed region because Security Hub is on', () => {
    // Security Hub control findings need Config in every account and region:
    // https://docs.aws.amazon.com/securityhub/latest/userguide/securityhub-setup-prereqs.html
    // The recorders live in the account stacks (one per account, one recorder per region).
    const lz = sharedExample();
    const recorders = Object.values(lz.stacks)
      .filter((st) => st.node.id.startsWith('account-'))
      .flatMap((st) =>
        Object.values(resourcesOf(synthJson(st), 'aws_config_configuration_recorder')),
      );
    expect(recorders).toHaveLength(3 * 2);
  });

  it('leaves AWS Config off when Security Hub is off and Config is not asked for', () => {
    const off = JSON.parse(
      Testing.synth(
        managementStack((raw) => {
          raw.security.securityHub = { enabled: false };
          delete raw.security.config;
        }),
      ),
    );
    expect(resourcesOf(off, 'aws_config_configuration_recorder')).toEqual({});
  });
});

describe('options', () => {
  const build = (edit: (raw: Record<string, any>) => void) => synthJson(managementStack(edit));
  let withConfig: Record<string, any>;
  let minimal: Record<string, any>;
  beforeAll(() => {
    withConfig = build((raw) => (raw.security.config = { enabled: true }));
    minimal = build(
      (raw) => (raw.security = { guardDuty: { enabled: false }, securityHub: { enabled: false } }),
    );
  });

  it('AWS Config: an organization aggregator and archive statements for every account', () => {
    expect(resourcesOf(withConfig, 'aws_config_configuration_recorder')).toEqual({});
    const agg = Object.values(
      resourcesOf(withConfig, 'aws_config_configuration_aggregator'),
    ) as any[];
    expect(agg).toHaveLength(1);
    expect(agg[0].provider).toBe('aws.security');
    expect(agg[0].organization_aggregation_source.regions).toEqual(['eu-central-1', 'eu-west-1']);
    const policy = Object.entries(dataOf(withConfig, 'aws_iam_policy_document')).find(([k]) =>
      /log-archive_bucket_policy-document/.test(k),
    )![1] as any;
    expect(
      policy.statement.find((s: any) => s.sid === 'ConfigWrite').condition[0].values,
    ).toHaveLength(3);
  });

  it('GuardDuty and Security Hub can be turned off; defaults still apply to the rest', () => {
    expect(resourcesOf(minimal, 'aws_guardduty_detector')).toEqual({});
    expect(resourcesOf(minimal, 'aws_securityhub_account')).toEqual({});
    expect(Object.keys(resourcesOf(minimal, 'aws_cloudtrail'))).toHaveLength(1);
    const lc = Object.values(
      resourcesOf(minimal, 'aws_s3_bucket_lifecycle_configuration'),
    )[0] as any;
    expect(lc.rule[0].expiration).toEqual([{ days: 365 }]);
  });
});
