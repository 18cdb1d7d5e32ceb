/**
 * Offline Terraform tier, part 1: every synthesized stack whose providers are all in the local
 * mirror passes `terraform validate` against the real hashicorp/aws 5.100.0 schema, as the app
 * synthesizes it (cross-stack references as remote state): the example environment's stacks,
 * and the security and account stacks of a variant with every baseline option on (AWS Config in
 * every account and allowed region, three Security Hub standards, a third allowed region), and
 * the security, organization and log-archive account stacks of a variant with a separate
 * log-archive account (test/support/log-archive-split.ts).
 * All of them validate in one Terraform process (test/support/terraform-batch.ts). Stacks
 * needing a provider the mirror lacks (helm, kubernetes, tfe) are listed, not validated.
 */
import { exampleEnv } from '../support/env';
import { LOG_ARCHIVE_ACCOUNT, splitArchiveEnv } from '../support/log-archive-split';
import { resourcesOf, synthApp } from '../support/synth';
import { describeOffline, providersAvailable } from '../support/terraform';
import { validateStacks } from '../support/terraform-batch';

describeOffline('terraform validate of every stack', (tf) => {
  const example = synthApp();
  const options = synthApp(
    exampleEnv((raw) => {
      raw.allowedRegions = ['eu-central-1', 'eu-west-1', 'eu-north-1'];
      raw.security.config = { enabled: true };
      raw.security.securityHub.standards = [
        'aws-foundational-security-best-practices',
        'cis-aws-foundations-benchmark-v3',
        'nist-800-53-v5',
      ];
    }),
  );
  const split = synthApp(splitArchiveEnv());
  const security = options.security;
  const production = options['account-production'];
  const candidates: Record<string, Record<string, any>> = {
    ...example,
    'options-security': security,
    'options-account-production': production,
    'split-security': split.security,
    'split-organization': split.organization,
    'split-account-log-archive': split[`account-${LOG_ARCHIVE_ACCOUNT}`],
  };
  const offline = Object.keys(candidates).filter((id) => providersAvailable(tf, candidates[id]));
  const skipped = Object.keys(candidates).filter((id) => !offline.includes(id));
  if (skipped.length)
    console.log(`not validated (providers missing from the mirror): ${skipped.join(', ')}`);

  it('covers at least the organization, security, account and network stacks', () => {
    expect(offline).toEqual(
      expect.arrayContaining([
        'organization',
        'security',
        'account-management',
        'account-production',
        'network',
        'cluster-main-01',
        'options-security',
        'options-account-production',
        'split-security',
        'split-organization',
        'split-account-log-archive',
      ]),
    );
  });

  it('the every-option variant covers three regions, Config and the aggregator', () => {
    expect(Object.keys(resourcesOf(production, 'aws_config_configuration_recorder'))).toHaveLength(
      3,
    );
    // the management account's detector in each GuardDuty region (the three allowed regions and
    // us-east-1); the administrator's detectors are read after the registration turns them on
    expect(Object.keys(resourcesOf(security, 'aws_guardduty_detector'))).toHaveLength(4);
    expect(
      Object.values(resourcesOf(security, 'aws_securityhub_finding_aggregator')).map(
        (a: any) => a.specified_regions,
      ),
    ).toEqual([['eu-west-1', 'eu-north-1']]);
    // the account stack reads the log archive from the security stack
    expect(Object.keys(production.data.terraform_remote_state)).toEqual([
      'cross-stack-reference-input-security',
    ]);
  });

  // A stack Terraform must reject, in the same batch: its diagnostics reach it and no other.
  const broken = {
    terraform: example.organization.terraform,
    provider: { aws: [{ region: 'eu-central-1' }] },
    resource: { aws_s3_bucket: { b: { bucket: 'x', no_such_argument: true } } },
  };

  // One validation of all of them; each test then reads its stack's diagnostics.
  let diagnostics: Record<string, string> = {};
  beforeAll(async () => {
    diagnostics = await validateStacks(tf, {
      ...Object.fromEntries(offline.map((id) => [id, candidates[id]])),
      broken,
    });
  });

  it('attributes a diagnostic to the stack that has it', () => {
    expect(diagnostics.broken).toMatch(
      /^stacks\/broken\/cdk\.tf\.json: Extraneous JSON object property: No argument or block type is named "no_such_argument"/,
    );
  });

  it.each(offline.map((id) => [id]))('%s is valid', (id) => {
    expect(diagnostics[id]).toBe('');
  });
});
