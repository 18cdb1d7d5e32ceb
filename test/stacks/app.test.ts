/**
 * The whole app at scale: no provider configured from its own stack's resources, a provider
 * count per stack that does not grow with the organization, role trust policies and
 * descriptions within IAM's quotas, and plan roles that can neither read secrets nor assume
 * roles. Generated environments come from test/support/scale.ts.
 *
 * Why it matters: Terraform allows provider arguments only from values known before apply
 * (https://developer.hashicorp.com/terraform/language/providers/configuration: "You can use
 * expressions in the values of these configuration arguments, but can only reference values
 * that are known before the configuration is applied"); IAM caps a role trust policy at 2,048
 * characters by default and a description at 1,000
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html,
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html).
 */
import { synthApp } from '../support/synth';
import { scaledEnv } from '../support/scale';
import { TEMPLATE_BODY_MAX } from '../../constructs/organization/identity-stackset';

/** Every `${…}` expression anywhere inside `value`. */
function expressions(value: unknown): string[] {
  if (typeof value === 'string') return value.match(/\$\{[^}]*\}/g) ?? [];
  if (Array.isArray(value)) return value.flatMap(expressions);
  if (value && typeof value === 'object') return Object.values(value).flatMap(expressions);
  return [];
}

/** `provider.<name>[i]` → the managed resources of the same stack it interpolates. */
function selfReferences(stack: Record<string, any>): string[] {
  const managed = new Set(
    Object.entries(stack.resource ?? {}).flatMap(([type, byName]) =>
      Object.keys(byName as object).map((name) => `${type}.${name}`),
    ),
  );
  const found: string[] = [];
  for (const [name, blocks] of Object.entries<any[]>(stack.provider ?? {})) {
    blocks.forEach((block, i) => {
      for (const expr of expressions(block)) {
        for (const ref of expr.match(/(?<![.\w])[a-z][a-z0-9_]*\.[A-Za-z0-9_-]+/g) ?? [])
          if (managed.has(ref)) found.push(`provider.${name}[${i}]: ${ref}`);
      }
    });
  }
  return found;
}

const providerCount = (stack: Record<string, any>) =>
  Object.values<any[]>(stack.provider ?? {}).reduce((n, blocks) => n + blocks.length, 0);

/** Every CloudFormation role and Terraform role of a synthesized app. */
function roles(json: Record<string, any>) {
  const out: {
    where: string;
    name: string;
    trust: string;
    description: string;
    managed: string[];
  }[] = [];
  for (const [id, stack] of Object.entries(json)) {
    for (const [k, ss] of Object.entries<any>(stack.resource?.aws_cloudformation_stack_set ?? {})) {
      const body = JSON.parse(String(ss.template_body).split('$${').join('${'));
      for (const [logical, r] of Object.entries<any>(body.Resources)) {
        if (r.Type !== 'AWS::IAM::Role') continue;
        const p = r.Properties;
        out.push({
          where: `${id}/${k}/${logical}`,
          name: JSON.stringify(p.RoleName),
          trust: JSON.stringify(p.AssumeRolePolicyDocument),
          description: typeof p.Description === 'string' ? p.Description : p.Description['Fn::Sub'],
          managed: p.ManagedPolicyArns.map((a: any) => JSON.stringify(a)),
        });
      }
    }
  }
  return out;
}

/** The regions of the scale variant below. */
const regions = ['eu-central-1', 'eu-west-1', 'us-east-1'];
let largeApp: Record<string, Record<string, any>> | undefined;
/** 100 member accounts, 3 regions, 12 clusters in one account: synthesized once per file. */
const large = () => (largeApp ??= synthApp(scaledEnv({ accounts: 100, clusters: 12, regions })));

describe('providers are configured from the configuration only', () => {
  it.each([
    ['the example', () => synthApp()],
    ['100 member accounts, 3 regions, 12 clusters', large],
  ])('%s: no provider block interpolates a managed resource of its own stack', (_n, app) => {
    const json = app();
    const found = Object.entries(json).flatMap(([id, s]) =>
      selfReferences(s).map((f) => `${id}: ${f}`),
    );
    expect(found).toEqual([]);
    // the detector itself finds such a reference (the former management stack's pattern)
    expect(
      selfReferences({
        resource: { aws_organizations_account: { 'organization_account-x_1': {} } },
        provider: {
          aws: [
            {
              assume_role: [
                {
                  role_arn:
                    'arn:aws:iam::${aws_organizations_account.organization_account-x_1.id}:role/R',
                },
              ],
            },
          ],
        },
      }),
    ).toEqual(['provider.aws[0]: aws_organizations_account.organization_account-x_1']);
  });
});

describe('scale: 100 member accounts, 3 regions, 12 clusters in one account', () => {
  const small = synthApp(scaledEnv({ accounts: 5, regions }));

  it('has one stack per account and a constant number of providers per stack', () => {
    const accountStacks = Object.keys(large()).filter((id) => id.startsWith('account-'));
    expect(accountStacks).toHaveLength(1 + 2 + 100); // management, security, production, wl-001…
    const max = (j: Record<string, any>) => Math.max(...Object.values(j).map(providerCount));
    expect(max(large())).toBe(max(small));
    // organization: one provider; security: management + security account per GuardDuty region
    // (the allowed regions, us-east-1 among them here); accounts: one per region
    expect(providerCount(large().organization)).toBe(1);
    expect(providerCount(large().security)).toBe(2 * regions.length);
    expect(providerCount(large()['account-wl-100'])).toBe(regions.length);
  });

  it('keeps every trust policy under 2,048 characters and every description under 1,000', () => {
    const all = roles(large());
    // production hosts network + 12 clusters + 12 platforms: 25 pairs; every member its account pair
    expect(all.filter((r) => r.where.includes('tfc-production_')).length).toBe(50);
    for (const r of all) {
      expect(r.trust.length).toBeLessThan(2048);
      expect(r.description.length).toBeLessThanOrEqual(1000);
    }
    // the management account's roles, rendered by their policy documents (minified JSON)
    const docs = large().organization.data.aws_iam_policy_document;
    const trusts = Object.keys(docs).filter((k) => k.endsWith('-trust') || /-trust_/.test(k));
    expect(trusts.length).toBe(6); // organization, account-management, security (in management) × 2
    for (const k of trusts) {
      const st = docs[k].statement[0];
      const rendered = JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: st.sid,
            Effect: st.effect,
            Action: st.actions[0],
            Principal: { Federated: 'arn:aws:iam::123456789012:oidc-provider/app.terraform.io' },
            Condition: {
              StringEquals: Object.fromEntries(
                st.condition.map((c: any) => [c.variable, c.values[0]]),
              ),
            },
          },
        ],
      });
      expect(rendered.length).toBeLessThan(2048);
    }
  });

  it('keeps every StackSet template under the 51,200-byte inline limit', () => {
    const sets = Object.values<any>(large().organization.resource.aws_cloudformation_stack_set);
    expect(sets.length).toBe(1 + 2); // shared + security + production (wl-* host nothing else)
    for (const s of sets) {
      const body = String(s.template_body).split('$${').join('${');
      expect(Buffer.byteLength(body)).toBeLessThanOrEqual(TEMPLATE_BODY_MAX);
    }
    // one shared instance per member account, each exactly that account within its OU
    const instances = Object.values<any>(
      large().organization.resource.aws_cloudformation_stack_set_instance,
    );
    expect(instances).toHaveLength(102 + 2);
  });

  it('gives plan roles read-only access, the deny policy, and nothing that assumes roles', () => {
    for (const r of roles(large()).filter((x) => x.name.includes('-plan'))) {
      expect(r.managed.join(' ')).not.toMatch(/AdministratorAccess|PowerUserAccess/);
      expect(r.managed[0]).toContain('policy/ReadOnlyAccess');
      expect(r.managed[1]).toContain('policy/acme-tfc-plan-deny');
    }
  });
});
