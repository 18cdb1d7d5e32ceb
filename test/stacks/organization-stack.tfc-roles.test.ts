/**
 * The organization stack's Terraform Cloud access: the management account's TFC roles (plain
 * resources), the service-managed StackSets that bootstrap member-account identity, and the
 * extra grants of the workload accounts' plan roles. The rest: organization-stack.test.ts.
 */
import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
import { tfcSubject } from '../../constructs/organization/tfc-oidc-roles';
import { organizationExample } from '../support/organization-fixtures';
import { resourcesOf } from '../support/synth';

const { synth, json, doc } = organizationExample();

describe('terraform cloud trust in the management account (plain resources)', () => {
  const trust = (stack: string, phase: string) =>
    doc(new RegExp(`^tfc-management_${stack}-${phase}-trust`))[0].statement[0];
  const roles = resourcesOf(json, 'aws_iam_role');
  const attachments = Object.values(resourcesOf(json, 'aws_iam_role_policy_attachment')) as any[];
  const policiesOf = (key: string) =>
    attachments.filter((a) => a.role === `\${aws_iam_role.${key}.name}`).map((a) => a.policy_arn);

  it('has one OIDC provider for app.terraform.io and configures no provider into a member account', () => {
    expect(synth).toHaveResourceWithProperties(IamOpenidConnectProvider, {
      url: 'https://app.terraform.io',
      client_id_list: ['aws.workload.identity'],
    });
    expect(Object.keys(resourcesOf(json, 'aws_iam_openid_connect_provider'))).toHaveLength(1);
    expect(json.provider.aws).toHaveLength(1);
    expect(json.provider.aws[0].assume_role).toBeUndefined();
  });

  it('creates one role pair per workspace deploying to the management account, each trusting exactly that workspace and phase', () => {
    const names = Object.values(roles)
      .map((r: any) => r.name)
      .sort();
    expect(names).toEqual([
      'acme-account-management-apply',
      'acme-account-management-plan',
      'acme-organization-apply',
      'acme-organization-plan',
      'acme-security-apply',
      'acme-security-plan',
    ]);
    for (const stack of ['organization', 'account-management', 'security']) {
      for (const phase of ['plan', 'apply']) {
        expect(trust(stack, phase).condition).toEqual([
          {
            test: 'StringEquals',
            variable: 'app.terraform.io:aud',
            values: ['aws.workload.identity'],
          },
          {
            test: 'StringEquals',
            variable: 'app.terraform.io:sub',
            values: [
              `organization:acme-analytics:project:landing-zone:workspace:acme-${stack}:run_phase:${phase}`,
            ],
          },
        ]);
      }
    }
  });

  it('gives plan roles ReadOnlyAccess plus the deny policy, never an administrator policy (per role)', () => {
    const denyArn = '${aws_iam_policy.tfc-management_plan-deny_';
    for (const [key, r] of Object.entries<any>(roles).filter(([, r]) => r.name.endsWith('-plan'))) {
      const arns = policiesOf(key).sort();
      expect(arns).toHaveLength(2);
      expect(arns[1]).toBe('arn:aws:iam::aws:policy/ReadOnlyAccess');
      expect(arns[0].startsWith(denyArn)).toBe(true);
      expect(arns.join(' ')).not.toMatch(/AdministratorAccess|PowerUserAccess/);
      expect(r.description.length).toBeLessThanOrEqual(1000);
    }
    const deny = doc(/^tfc-management_plan-deny-document/)[0].statement;
    // every statement denies everywhere, except that a plan may assume the read-only DNS
    // delegation roles (<prefix>-*-dns-reader; see constructs/network/dns-delegation.ts)
    for (const st of deny)
      expect([st.effect, st.resources ?? st.not_resources]).toEqual(
        st.not_resources ? ['Deny', ['arn:aws:iam::*:role/acme-*-dns-reader']] : ['Deny', ['*']],
      );
    const denied = deny.flatMap((st: any) => st.actions);
    expect(denied).toEqual(
      expect.arrayContaining([
        'sts:AssumeRole',
        'secretsmanager:GetSecretValue',
        'ssm:GetParameter',
        'ssm:GetParameters',
        'ssm:GetParametersByPath',
        'kms:Decrypt',
        's3:GetObject',
      ]),
    );
    // no inline policy of a plan role allows role assumption
    for (const p of Object.values<any>(resourcesOf(json, 'aws_iam_role_policy')))
      if (/-plan\./.test(p.role)) expect(JSON.stringify(p)).not.toMatch(/sts:AssumeRole/);
  });

  it('gives apply roles administrator access, except the security workspace: only the management halves of the security services', () => {
    const byName = (n: string) => Object.keys(roles).find((k) => roles[k].name === n)!;
    expect(policiesOf(byName('acme-organization-apply'))).toEqual([
      'arn:aws:iam::aws:policy/AdministratorAccess',
    ]);
    expect(policiesOf(byName('acme-security-apply'))).toEqual([]);
    const extra = doc(/^tfc-management_security-apply-extra-document/)[0].statement;
    const actions = extra.flatMap((st: any) => st.actions);
    expect(actions).toEqual(
      expect.arrayContaining(['guardduty:*', 'organizations:RegisterDelegatedAdministrator']),
    );
    expect(actions).not.toContain('*');
    expect(actions.some((a: string) => /^iam:(Create|Put|Attach)Role/.test(a))).toBe(false);
  });

  it('refuses wildcard or empty subject parts', () => {
    expect(tfcSubject('o', 'p', 'w', 'plan')).toBe(
      'organization:o:project:p:workspace:w:run_phase:plan',
    );
    expect(() => tfcSubject('o', 'p', '*', 'apply')).toThrow(
      /workspace "\*" must be non-empty and free of wildcards/,
    );
    expect(() => tfcSubject('', 'p', 'w', 'apply')).toThrow(/organization/);
  });
});

describe('member-account identity through service-managed StackSets', () => {
  const sets = resourcesOf(json, 'aws_cloudformation_stack_set');
  const instances = resourcesOf(json, 'aws_cloudformation_stack_set_instance');
  const body = (s: any) => JSON.parse(String(s.template_body).split('$${').join('${'));

  it('creates the shared StackSet and one per account hosting further workspaces, service-managed, without auto-deployment', () => {
    expect(
      Object.values<any>(sets)
        .map((s) => s.name)
        .sort(),
    ).toEqual(['acme-tfc-account-access', 'acme-tfc-production', 'acme-tfc-security']);
    for (const s of Object.values<any>(sets)) {
      expect(s).toMatchObject({
        permission_model: 'SERVICE_MANAGED',
        call_as: 'SELF',
        capabilities: ['CAPABILITY_NAMED_IAM'],
        auto_deployment: { enabled: false },
        managed_execution: { active: true },
        lifecycle: { ignore_changes: ['administration_role_arn'] },
      });
    }
  });

  it('targets every member account exactly, within its OU, from the management account', () => {
    const shared = Object.entries<any>(instances).filter(([k]) =>
      k.startsWith('tfc-account-access'),
    );
    expect(shared.map(([k]) => k.split('_')[1]).sort()).toEqual([
      'instance-production',
      'instance-security',
    ]);
    for (const [k, i] of shared) {
      const key = k.split('_')[1].replace('instance-', '');
      expect(i.deployment_targets).toEqual({
        account_filter_type: 'INTERSECTION',
        accounts: [
          expect.stringMatching(
            new RegExp(`aws_organizations_account\\.organization_account-${key}_.*\\.id`),
          ),
        ],
        organizational_unit_ids: [
          expect.stringMatching(/aws_organizations_organizational_unit\..*\.id/),
        ],
      });
      expect(i.parameter_overrides).toEqual({
        AccountKey: key,
        TargetAccountId: i.deployment_targets.accounts[0],
      });
      expect(i.lifecycle).toEqual({ ignore_changes: ['parameter_overrides'] });
      expect(i.region).toBe('eu-central-1');
    }
    const prod = Object.entries<any>(instances).find(([k]) => k.startsWith('tfc-production'))![1];
    expect(prod.depends_on).toEqual([
      expect.stringMatching(
        /^aws_cloudformation_stack_set_instance\.tfc-account-access_instance-production/,
      ),
    ]);
  });

  it('guards every template resource with the target-account condition', () => {
    for (const s of Object.values<any>(sets)) {
      const t = body(s);
      expect(t.Conditions.IsTargetAccount).toEqual({
        'Fn::Equals': [{ Ref: 'AWS::AccountId' }, { Ref: 'TargetAccountId' }],
      });
      for (const [id, r] of Object.entries<any>(t.Resources))
        if (id !== 'Placeholder') expect(r.Condition).toBe('IsTargetAccount');
      expect(t.Resources.Placeholder).toEqual({ Type: 'AWS::CloudFormation::WaitConditionHandle' });
    }
    const hosted = Object.values<any>(sets).find((s) => s.name === 'acme-tfc-production');
    expect(hosted.parameters).toEqual({
      TargetAccountId: expect.stringMatching(/aws_organizations_account\..*production.*\.id/),
    });
  });

  it('names the roles <prefix>-<stack>-plan|apply and trusts exactly the workspace and phase', () => {
    const hosted = body(Object.values<any>(sets).find((s) => s.name === 'acme-tfc-production'));
    const roleNames = Object.values<any>(hosted.Resources)
      .filter((r) => r.Type === 'AWS::IAM::Role')
      .map((r) => r.Properties.RoleName)
      .sort();
    expect(roleNames).toEqual([
      'acme-cluster-main-01-apply',
      'acme-cluster-main-01-plan',
      'acme-network-apply',
      'acme-network-plan',
      'acme-platform-main-01-apply',
      'acme-platform-main-01-plan',
    ]);
    const net = hosted.Resources.NetworkPlanRole.Properties.AssumeRolePolicyDocument.Statement[0];
    expect(net.Condition).toEqual({
      StringEquals: {
        'app.terraform.io:aud': 'aws.workload.identity',
        'app.terraform.io:sub':
          'organization:acme-analytics:project:landing-zone:workspace:acme-network:run_phase:plan',
      },
    });
    const shared = body(Object.values<any>(sets).find((s) => s.name === 'acme-tfc-account-access'));
    expect(shared.Resources.AccountApplyRole.Properties.RoleName).toEqual({
      'Fn::Sub': 'acme-account-${AccountKey}-apply',
    });
    expect(
      shared.Resources.AccountApplyRole.Properties.AssumeRolePolicyDocument.Statement[0].Condition
        .StringEquals['app.terraform.io:sub'],
    ).toEqual({
      'Fn::Sub':
        'organization:acme-analytics:project:landing-zone:workspace:acme-account-${AccountKey}:run_phase:apply',
    });
  });
});

describe('plan roles of workload accounts', () => {
  it('may generate random passwords where a platform stack plans, and nowhere else', () => {
    const sets = Object.values<any>(resourcesOf(json, 'aws_cloudformation_stack_set'));
    const withExtra = sets.flatMap((s) =>
      Object.entries<any>(JSON.parse(String(s.template_body).split('$${').join('${')).Resources)
        .filter(([, r]) => r.Properties?.Policies)
        .map(([id, r]) => [id, r.Properties.Policies[0].PolicyDocument.Statement[0]]),
    );
    expect(withExtra).toEqual([
      // a cluster plan may assume only the network account's read-only DNS delegation roles
      [
        'ClusterMain01PlanRole',
        {
          Sid: 'AssumeDnsDelegationReaderRoles',
          Effect: 'Allow',
          Action: ['sts:AssumeRole'],
          Resource: ['arn:aws:iam::*:role/acme-*-dns-reader'],
        },
      ],
      [
        'PlatformMain01PlanRole',
        expect.objectContaining({ Effect: 'Allow', Action: ['secretsmanager:GetRandomPassword'] }),
      ],
    ]);
    expect(doc(/plan-extra-document/)).toHaveLength(0);
  });
});
