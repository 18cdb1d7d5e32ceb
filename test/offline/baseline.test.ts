/**
 * Offline Terraform tier for the baseline's options: the management stack with every
 * optional piece on (AWS Config in every account and allowed region, three Security Hub
 * standards) and a third allowed region passes `terraform validate` against the real
 * hashicorp/aws schema. (The example environment itself is applied against a mocked
 * provider in test/offline/management.test.ts.)
 */
import { Testing } from 'cdktf';
import { exampleEnv } from '../support/env';
import { resourcesOf } from '../support/synth';
import { describeOffline, providersAvailable, validateStack } from '../support/terraform';
import { ManagementStack } from '../../stacks/management-stack';
import { planStacks } from '../../envs/stack-plan';

describeOffline('the baseline with every option on', (tf) => {
  let stack: Record<string, any>;
  beforeAll(() => {
    const env = exampleEnv((raw) => {
      raw.allowedRegions = ['eu-central-1', 'eu-west-1', 'eu-north-1'];
      raw.security.config = { enabled: true };
      raw.security.securityHub.standards = [
        'aws-foundational-security-best-practices',
        'cis-aws-foundations-benchmark-v3',
        'nist-800-53-v5',
      ];
    });
    const spec = planStacks(env).find((s) => s.id === 'management')!;
    stack = JSON.parse(
      Testing.synth(new ManagementStack(Testing.app(), { env, spec, backend: 'local' })),
    );
  });

  it('covers the three regions and passes terraform validate', () => {
    expect(Object.keys(resourcesOf(stack, 'aws_config_configuration_recorder'))).toHaveLength(9);
    expect(Object.keys(resourcesOf(stack, 'aws_guardduty_detector'))).toHaveLength(6);
    expect(
      Object.values(resourcesOf(stack, 'aws_securityhub_finding_aggregator')).map(
        (a: any) => a.specified_regions,
      ),
    ).toEqual([['eu-west-1', 'eu-north-1']]);
    expect(providersAvailable(tf, stack)).toBe(true);
    expect(() => validateStack(tf, stack)).not.toThrow();
  });
});
