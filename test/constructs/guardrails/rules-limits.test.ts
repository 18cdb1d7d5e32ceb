/**
 * LZ-IAM-001 at the sizes users reach: the organization stack's IAM roles (one TFC role pair
 * per workspace, so no trust policy or description grows with the organization) at 100
 * accounts and 20 clusters, spread or all in one account. Limits: hashicorp/aws
 * internal/service/iam/role.go (description StringLenBetween(0, 1000), name 64) and
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html (trust policy
 * 2,048 characters).
 */
import { Testing } from 'cdktf';
import { OrganizationStack } from '../../../stacks/organization-stack';
import { planStacks } from '../../../envs/stack-plan';
import { GuardrailAspect } from '../../../constructs/guardrails/aspect';
import { StackView, isElement } from '../../../constructs/guardrails/view';
import { checkIamRoleLimits } from '../../../constructs/guardrails/rules-limits';
import { scaledEnv, type ScaleOptions } from '../../support/scale';

/** LZ-IAM-001 findings on the organization stack of a generated environment. */
function iamFindings(options: ScaleOptions): string[] {
  const env = scaledEnv(options);
  const spec = planStacks(env).find((s) => s.id === 'organization')!;
  const stack = new OrganizationStack(Testing.app(), { env, spec, backend: 'local' });
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

  it('passes 12 clusters in one account (the schema maximum): each workspace has its own role pair', () => {
    // Before per-workspace roles, one pair per account trusted every workspace there: at 20
    // clusters its trust policy rendered to about 4,100 characters (over the 2,048 quota), at
    // 25 its description passed 1,000 characters.
    expect(iamFindings({ accounts: 100, clusters: 12 })).toEqual([]);
  });

  it('refuses a role whose description passes 1,000 characters', () => {
    const view = { config: { description: 'd'.repeat(1001) } } as never;
    expect(checkIamRoleLimits(view, {} as StackView).join()).toMatch(/more than 1000/);
  });

  it('measures a description with expressions by its literal text only', () => {
    const view = { config: { description: `${'d'.repeat(999)}\${aws_x.y.id}` } } as never;
    expect(checkIamRoleLimits(view, {} as StackView)).toEqual([]);
  });
});
