/**
 * The organization stack: Organizations, SCPs, Identity Center, the management account's TFC
 * roles and the StackSets that bootstrap member-account identity.
 */
import { Testing } from 'cdktf';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OrganizationsOrganization } from '@cdktf/provider-aws/lib/organizations-organization';
import { OrganizationsAccount } from '@cdktf/provider-aws/lib/organizations-account';
import { SsoadminPermissionSet } from '@cdktf/provider-aws/lib/ssoadmin-permission-set';
import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
import { buildLandingZone } from '../../stacks/app';
import { tfcSubject } from '../../constructs/organization/tfc-oidc-roles';
import { scpStatements } from '../../constructs/organization/service-control-policies';
import { exampleEnv } from '../support/env';
import {
  buildExample,
  dataOf,
  resourcesOf,
  sharedExample,
  synthJson,
  synthStack,
} from '../support/synth';

const env = exampleEnv();
const lz = sharedExample();
const synth = synthStack(lz.organization);
const json = synthJson(lz.organization);
const docs = dataOf(json, 'aws_iam_policy_document');
const doc = (pattern: RegExp) =>
  Object.entries(docs)
    .filter(([k]) => pattern.test(k))
    .map(([, v]) => v);

describe('organization', () => {
  it('enables all features, SCP and tag policies, and trusted access for the baseline services', () => {
    expect(synth).toHaveResourceWithProperties(OrganizationsOrganization, {
      feature_set: 'ALL',
      enabled_policy_types: ['SERVICE_CONTROL_POLICY', 'TAG_POLICY'],
      aws_service_access_principals: expect.arrayContaining([
        'sso.amazonaws.com',
        'cloudtrail.amazonaws.com',
        'config.amazonaws.com',
        'guardduty.amazonaws.com',
        'securityhub.amazonaws.com',
        'account.amazonaws.com',
      ]),
      lifecycle: { prevent_destroy: true },
    });
  });

  it('enables AWS RAM sharing within the organization (for the network stack subnet shares)', () => {
    expect(Object.values<any>(resourcesOf(json, 'aws_ram_sharing_with_organization'))).toEqual([
      { depends_on: [expect.stringMatching(/^aws_organizations_organization\./)] },
    ]);
  });

  it('creates one OU per configured OU under the root', () => {
    const ous = Object.values(resourcesOf(json, 'aws_organizations_organizational_unit'));
    expect(ous.map((o: any) => o.name).sort()).toEqual(['Security', 'Workloads']);
    for (const ou of ous)
      expect(ou.parent_id).toMatch(/aws_organizations_organization\..*\.roots\[0\]\.id/);
  });

  it('protects every member account from a careless destroy', () => {
    const accounts = resourcesOf(json, 'aws_organizations_account');
    expect(Object.keys(accounts)).toHaveLength(Object.keys(env.organization.accounts).length);
    for (const a of Object.values(accounts) as any[]) {
      expect(a.close_on_deletion).toBe(false);
      expect(a.lifecycle.prevent_destroy).toBe(true);
      expect(a.iam_user_access_to_billing).toBe('DENY');
    }
    expect(synth).toHaveResourceWithProperties(OrganizationsAccount, {
      name: 'acme-production',
      email: 'aws+production@acme.example',
      role_name: 'OrganizationAccountAccessRole',
    });
  });
});

describe('service control policies', () => {
  it('creates each configured policy and attaches it to every target', () => {
    const policies = resourcesOf(json, 'aws_organizations_policy');
    expect(
      Object.values(policies)
        .map((p: any) => p.name)
        .sort(),
    ).toEqual([
      'acme-deny-leave-organization',
      'acme-deny-root-user',
      'acme-protect-landing-zone-roles',
      'acme-region-allow-list',
    ]);
    for (const p of Object.values(policies) as any[]) {
      expect(p.type).toBe('SERVICE_CONTROL_POLICY');
      expect(p.content).toMatch(/\.minified_json\}$/);
    }
    const attachments = Object.values(resourcesOf(json, 'aws_organizations_policy_attachment'));
    const expected = Object.values(env.organization.serviceControlPolicies).reduce(
      (n, p) => n + (p?.targets.length ?? 0),
      0,
    );
    expect(attachments).toHaveLength(expected);
  });

  it('denies regions outside the allow-list, with global services, the StackSet role and the security roles (GuardDuty in us-east-1) exempt', () => {
    const [region] = doc(/region-allow-list/);
    const st = region.statement[0];
    expect(st.effect).toBe('Deny');
    expect(st.not_actions).toEqual(
      expect.arrayContaining(['iam:*', 'organizations:*', 'sts:*', 'route53:*']),
    );
    expect(st.condition).toEqual(
      expect.arrayContaining([
        { test: 'StringNotEquals', variable: 'aws:RequestedRegion', values: env.allowedRegions },
        {
          test: 'ArnNotLike',
          variable: 'aws:PrincipalArn',
          values: [
            'arn:aws:iam::*:role/stacksets-exec-*',
            expect.stringMatching(/:role\/acme-security-plan$/),
            expect.stringMatching(/:role\/acme-security-apply$/),
          ],
        },
      ]),
    );
  });

  it('denies the root user, leaving the organization, and changes to the landing zone roles', () => {
    expect(doc(/deny-root-user/)[0].statement[0].condition[0]).toEqual({
      test: 'StringLike',
      variable: 'aws:PrincipalArn',
      values: ['arn:aws:iam::*:root'],
    });
    expect(doc(/deny-leave-organization/)[0].statement[0].actions).toEqual([
      'organizations:LeaveOrganization',
    ]);
    const protect = doc(/protect-landing-zone-roles/)[0].statement[0];
    expect(protect.actions).toEqual(
      expect.arrayContaining([
        'iam:DeleteRole',
        'iam:UpdateAssumeRolePolicy',
        'iam:AttachRolePolicy',
      ]),
    );
    expect(protect.resources).toEqual([
      'arn:aws:iam::*:role/acme-*-plan',
      'arn:aws:iam::*:role/acme-*-apply',
      'arn:aws:iam::*:role/stacksets-exec-*',
      'arn:aws:iam::*:role/OrganizationAccountAccessRole',
    ]);
  });

  it('rejects an unknown policy name', () => {
    expect(() =>
      scpStatements('deny-all' as never, { allowedRegions: [], protectedRoleNames: [] }),
    ).toThrow(/unknown policy "deny-all"/);
  });
});

describe('identity center', () => {
  it('creates permission sets with the configured session durations and managed policies', () => {
    for (const [name, ps] of Object.entries(env.identityCenter.permissionSets)) {
      expect(synth).toHaveResourceWithProperties(SsoadminPermissionSet, {
        name,
        session_duration: ps.sessionDuration,
        description: ps.description,
      });
    }
    const attachments = Object.values(
      resourcesOf(json, 'aws_ssoadmin_managed_policy_attachment'),
    ).map((a: any) => a.managed_policy_arn);
    expect(attachments.sort()).toEqual(
      Object.values(env.identityCenter.permissionSets)
        .flatMap((p) => p.managedPolicies)
        .sort(),
    );
  });

  it('creates groups, users and one membership per user-group pair', () => {
    expect(
      Object.values(resourcesOf(json, 'aws_identitystore_group'))
        .map((g: any) => g.display_name)
        .sort(),
    ).toEqual(Object.keys(env.identityCenter.groups).sort());
    const users = Object.values(resourcesOf(json, 'aws_identitystore_user')) as any[];
    expect(users.map((u) => u.user_name).sort()).toEqual(
      Object.keys(env.identityCenter.users).sort(),
    );
    expect(users.find((u) => u.user_name === 'jdoe')).toMatchObject({
      name: { given_name: 'Jane', family_name: 'Doe' },
      emails: { value: 'jane.doe@acme.example', primary: true },
    });
    const memberships = Object.values(env.identityCenter.users).reduce(
      (n, u) => n + u.groups.length,
      0,
    );
    expect(Object.keys(resourcesOf(json, 'aws_identitystore_group_membership'))).toHaveLength(
      memberships,
    );
  });

  it('assigns group x permission set x account, the management account by its organization attribute', () => {
    const assignments = Object.values(
      resourcesOf(json, 'aws_ssoadmin_account_assignment'),
    ) as any[];
    const expected = env.identityCenter.assignments.reduce((n, a) => n + a.accounts.length, 0);
    expect(assignments).toHaveLength(expected);
    for (const a of assignments) {
      expect(a.principal_type).toBe('GROUP');
      expect(a.target_type).toBe('AWS_ACCOUNT');
    }
    expect(
      assignments.some((a) =>
        /aws_organizations_organization\..*\.master_account_id/.test(a.target_id),
      ),
    ).toBe(true);
    expect(
      assignments.some((a) => /aws_organizations_account\..*production.*\.id/.test(a.target_id)),
    ).toBe(true);
  });
});

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

describe('outputs and backend', () => {
  it('exports account IDs and each workspace role pair by stack ID', () => {
    expect(Object.keys(json.output)).toEqual(
      expect.arrayContaining(['account_ids', 'tfc_roles', 'organization_id', 'root_id']),
    );
    const roles = json.output.tfc_roles.value;
    expect(Object.keys(roles).sort()).toEqual(
      lz.specs
        .filter((s) => s.account)
        .map((s) => s.id)
        .sort(),
    );
    expect(roles.network).toEqual({
      plan_role_arn: expect.stringMatching(
        /^arn:aws:iam::\$\{aws_organizations_account\..*production.*\.id\}:role\/acme-network-plan$/,
      ),
      apply_role_arn: expect.stringMatching(/role\/acme-network-apply$/),
    });
    expect(roles.security.aliases.MANAGEMENT.plan_role_arn).toMatch(
      /aws_iam_role\.tfc-management_security-plan/,
    );
    expect(Object.keys(json.output.account_ids.value).sort()).toEqual([
      'management',
      'production',
      'security',
    ]);
  });

  it('runs in its own TFC workspace with the cloud backend, or locally when asked', () => {
    const app = Testing.app();
    const cloud = synthJson(buildLandingZone(app, env).organization);
    expect(cloud.terraform.cloud).toEqual({
      hostname: 'app.terraform.io',
      organization: 'acme-analytics',
      workspaces: { name: 'acme-organization', project: 'landing-zone' },
    });
    expect(json.terraform.backend.local.path).toBe(
      '../organization/terraform.organization.tfstate',
    );
  });
});

describe('migration from the former management stack', () => {
  // The former management stack's resource addresses (example environment), captured from its
  // reviewed snapshot before the split.
  const former: string[] = JSON.parse(
    readFileSync(join(__dirname, '../fixtures/management-stack-addresses.json'), 'utf8'),
  );
  const kept = new Set(
    Object.entries<any>(json.resource).flatMap(([t, v]) => Object.keys(v).map((n) => `${t}.${n}`)),
  );
  const removed = new Set((json.removed as any[]).map((r) => r.from));
  const elsewhere = new Set(
    [lz.security, ...Object.values(lz.accounts)].flatMap((st) => {
      const j = synthJson(st);
      return Object.entries<any>(j.resource).flatMap(([t, v]) =>
        Object.keys(v).map((n) => `${t}.${n}`),
      );
    }),
  );

  it('keeps the organization, OUs, accounts, SCPs and Identity Center at the same addresses', () => {
    // SCP attachments are not kept: the policies now attach at the root, and the former OU
    // attachments are detached (nothing is left unprotected: the root covers every OU).
    for (const a of former.filter((x) =>
      /^aws_(organizations_(organization|organizational_unit|account|policy)\.|ssoadmin_|identitystore_)/.test(
        x,
      ),
    ))
      expect(kept.has(a) ? a : `missing ${a}`).toBe(a);
  });

  it('accounts for every former resource: kept, or forgotten with destroy = false (and then at the same address in its new stack, or a former TFC role)', () => {
    for (const a of former.filter((x) => !x.startsWith('aws_organizations_policy_attachment.')))
      expect(kept.has(a) || removed.has(a) ? a : `lost ${a}`).toBe(a);
    for (const r of json.removed as any[]) expect(r.lifecycle).toEqual({ destroy: false });
    const moved = former.filter(
      (a) =>
        removed.has(a) &&
        !/tfc-|assume-member-accounts|baseline_guardduty|baseline_security-hub/.test(a),
    );
    expect(moved.length).toBeGreaterThan(20);
    for (const a of moved) expect(elsewhere.has(a) ? a : `not re-homed ${a}`).toBe(a);
    for (const a of removed) expect(kept.has(a)).toBe(false);
  });
});

describe('adopting an existing organization from the environment', () => {
  it('turns organization.adopt into import blocks', () => {
    const adopted = exampleEnv((r) => {
      r.organization.adopt = {
        organizationId: 'o-abcd123456',
        accounts: { production: '123456789012' },
      };
    });
    const out = synthJson(buildExample(adopted).organization);
    expect(out.import).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          id: 'o-abcd123456',
          to: expect.stringMatching(/^aws_organizations_organization\./),
        }),
        expect.objectContaining({
          id: '123456789012',
          to: expect.stringMatching(/^aws_organizations_account\..*production/),
        }),
      ]),
    );
    expect(json.import).toBeUndefined();
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
