/**
 * LZ-IAM-001 at the sizes users reach: the management stack's IAM roles (the TFC plan and
 * apply roles name their workspaces) at 100 accounts and 20 clusters. Limits: hashicorp/aws
 * internal/service/iam/role.go (description StringLenBetween(0, 1000), name 64) and
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html (trust policy
 * 2,048 characters).
 */
import { Testing } from 'cdktf';
import { ManagementStack } from '../../../stacks/management-stack';
import { planStacks } from '../../../envs/stack-plan';
import { GuardrailAspect } from '../../../constructs/guardrails/aspect';
import { StackView, isElement } from '../../../constructs/guardrails/view';
import { checkIamRoleLimits } from '../../../constructs/guardrails/rules-limits';
import { scaledEnv, type ScaleOptions } from '../../support/scale';

/** LZ-IAM-001 findings on the management stack of a generated environment. */
function iamFindings(options: ScaleOptions): string[] {
  const env = scaledEnv(options);
  const spec = planStacks(env).find((s) => s.id === 'management')!;
  const stack = new ManagementStack(Testing.app(), { env, spec, backend: 'local' });
  const aspect = new GuardrailAspect();
  for (const node of stack.node.findAll()) if (isElement(node)) aspect.evaluate(node);
  return aspect.findings
    .filter((f) => f.rule === 'LZ-IAM-001')
    .map((f) => `${f.path}: ${f.problem}`);
}

describe('LZ-IAM-001 on generated environments', () => {
  it('passes the example and 100 accounts with 20 clusters spread over them', () => {
    expect(iamFindings({})).toEqual([]);
    expect(iamFindings({ accounts: 100, clusters: 20, clusterAccounts: 'spread' })).toEqual([]);
  });

  it('refuses 20 clusters in one account: the TFC trust policies pass the 2,048 quota', () => {
    const found = iamFindings({ accounts: 100, clusters: 20 });
    expect(found.length).toBeGreaterThan(0);
    for (const f of found)
      expect(f).toMatch(
        /^management\/tfc-[\w-]+\/(plan|apply)-role: assume_role_policy renders to \d+ characters/,
      );
  });

  it('refuses 25 clusters in one account: the TFC role description passes 1,000 characters', () => {
    const found = iamFindings({ clusters: 25 });
    expect(
      found.some((f) => /description has \d+ characters \(at least\), more than 1000/.test(f)),
    ).toBe(true);
  });

  it('measures a description with expressions by its literal text only', () => {
    const view = { config: { description: `${'d'.repeat(999)}\${aws_x.y.id}` } } as never;
    expect(checkIamRoleLimits(view, {} as StackView)).toEqual([]);
  });
});
