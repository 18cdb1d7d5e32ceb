/**
 * Offline Terraform tier for the baseline's options: the security stack and an account stack
 * with every optional piece on (AWS Config in every account and allowed region, three Security
 * Hub standards) and a third allowed region pass `terraform validate` against the real
 * hashicorp/aws schema, as the app synthesizes them (cross-stack references as remote state).
 */
import { App } from 'cdktf';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildLandingZone } from '../../stacks/app';
import { exampleEnv } from '../support/env';
import { resourcesOf } from '../support/synth';
import { describeOffline, providersAvailable, validateStackAsync } from '../support/terraform';

describeOffline('the baseline with every option on', (tf) => {
  const outdir = mkdtempSync(join(tmpdir(), 'lz-baseline-'));
  const env = exampleEnv((raw) => {
    raw.allowedRegions = ['eu-central-1', 'eu-west-1', 'eu-north-1'];
    raw.security.config = { enabled: true };
    raw.security.securityHub.standards = [
      'aws-foundational-security-best-practices',
      'cis-aws-foundations-benchmark-v3',
      'nist-800-53-v5',
    ];
  });
  const app = new App({ outdir, skipValidation: false });
  buildLandingZone(app, env, { backend: 'local' });
  app.synth();
  const read = (id: string) =>
    JSON.parse(readFileSync(join(outdir, 'stacks', id, 'cdk.tf.json'), 'utf8'));
  const security = read('security');
  const production = read('account-production');

  it('covers the three regions and passes terraform validate', async () => {
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
    for (const s of [security, production]) expect(providersAvailable(tf, s)).toBe(true);
    const out = await Promise.all([security, production].map((s) => validateStackAsync(tf, s)));
    expect(out).toEqual(['', '']);
  }, 180_000); // two validations; the machine's load decides, not the stacks
});
