/**
 * The identity StackSet construct on its own: template shape (every resource under the
 * target-account condition, a placeholder so a mis-targeted stack creates nothing), the
 * 51,200-byte inline limit, the `$${` escape Terraform needs, and the instance settings that
 * avoid the known hashicorp/aws 5.100 pitfalls (#23464 administration_role_arn drift, #39393
 * instance updates reaching the whole OU).
 * Limits: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html
 */
import { Testing, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import {
  IdentityStackSet,
  TEMPLATE_BODY_MAX,
  identityTemplate,
} from '../../../constructs/organization/identity-stackset';

const identity = {
  hostname: 'app.terraform.io',
  organization: 'org',
  project: 'proj',
  prefix: 'lz',
};
const ws = (stackId: string) => ({
  stackId,
  workspace: `lz-${stackId}`,
  roleNames: { plan: `lz-${stackId}-plan`, apply: `lz-${stackId}-apply` },
});

function synth(template: Record<string, unknown>, mode: 'shared' | 'account', targets = 1) {
  const stack = new TerraformStack(Testing.app(), 'test');
  new AwsProvider(stack, 'aws', { region: 'eu-central-1' });
  new IdentityStackSet(stack, 'ids', {
    name: 'lz-ids',
    description: 'test',
    template,
    mode,
    region: 'eu-central-1',
    targets: Array.from({ length: targets }, (_, i) => ({
      key: `a${i}`,
      accountId: `11111111111${i}`,
      ouId: 'ou-ab12-abcdefgh',
    })),
  });
  return JSON.parse(Testing.synth(stack));
}

describe('identityTemplate', () => {
  const t: any = identityTemplate({
    ...identity,
    description: 'd',
    createShared: true,
    workspaces: [ws('net')],
  });

  it('guards every resource but the placeholder with IsTargetAccount', () => {
    expect(Object.keys(t.Resources).sort()).toEqual(
      ['NetApplyRole', 'NetPlanRole', 'Placeholder', 'PlanDenyPolicy', 'TfcOidcProvider'].sort(),
    );
    for (const [id, r] of Object.entries<any>(t.Resources))
      expect(r.Condition).toBe(id === 'Placeholder' ? undefined : 'IsTargetAccount');
    expect(t.Resources.TfcOidcProvider.Properties).toEqual({
      Url: 'https://app.terraform.io',
      ClientIdList: ['aws.workload.identity'],
    });
  });

  it('keeps 12 clusters plus the network in one account (25 role pairs) under the inline limit', () => {
    const many = [
      ws('network'),
      ...Array.from({ length: 12 }, (_, i) => [ws(`cluster-c-${i}`), ws(`platform-c-${i}`)]).flat(),
    ];
    const body = JSON.stringify(
      identityTemplate({ ...identity, description: 'd', createShared: false, workspaces: many }),
    );
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(TEMPLATE_BODY_MAX);
  });
});

describe('IdentityStackSet', () => {
  const template = identityTemplate({
    ...identity,
    description: 'd',
    createShared: false,
    workspaces: [ws('net')],
  });

  it('escapes ${ for Terraform and ignores the drifting administration_role_arn', () => {
    const json = synth(template, 'account');
    const [ss] = Object.values<any>(json.resource.aws_cloudformation_stack_set);
    expect(ss.template_body).toContain('$${AWS::Partition}');
    expect(ss.template_body.split('$${').join('${')).toBe(JSON.stringify(template));
    expect(ss.lifecycle.ignore_changes).toEqual(['administration_role_arn']);
    expect(ss.parameters).toEqual({ TargetAccountId: '111111111110' });
    const [inst] = Object.values<any>(json.resource.aws_cloudformation_stack_set_instance);
    expect(inst.parameter_overrides).toBeUndefined();
  });

  it('shared mode: one instance per target with its overrides, set once', () => {
    const json = synth(template, 'shared', 3);
    const inst = Object.values<any>(json.resource.aws_cloudformation_stack_set_instance);
    expect(inst.map((i) => i.parameter_overrides)).toEqual([
      { AccountKey: 'a0', TargetAccountId: '111111111110' },
      { AccountKey: 'a1', TargetAccountId: '111111111111' },
      { AccountKey: 'a2', TargetAccountId: '111111111112' },
    ]);
    for (const i of inst) expect(i.lifecycle.ignore_changes).toEqual(['parameter_overrides']);
  });

  it('refuses an oversized template and an account StackSet with several targets', () => {
    const big = {
      Resources: {
        X: {
          Type: 'AWS::CloudFormation::WaitConditionHandle',
          Metadata: 'x'.repeat(TEMPLATE_BODY_MAX),
        },
      },
    };
    expect(() => synth(big, 'account')).toThrow(/over CloudFormation's 51200/);
    expect(() => synth(template, 'account', 2)).toThrow(/exactly one target/);
  });
});
