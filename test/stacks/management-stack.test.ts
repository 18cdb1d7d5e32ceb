/**
 * The management stack: Organizations, SCPs, Identity Center and TFC OIDC roles.
 */
import { Testing } from 'cdktf';
import { OrganizationsOrganization } from '@cdktf/provider-aws/lib/organizations-organization';
import { OrganizationsAccount } from '@cdktf/provider-aws/lib/organizations-account';
import { SsoadminPermissionSet } from '@cdktf/provider-aws/lib/ssoadmin-permission-set';
import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
import { buildLandingZone } from '../../stacks/app';
import { tfcSubject } from '../../constructs/organization/tfc-oidc-roles';
import { scpStatements } from '../../constructs/organization/service-control-policies';
import { exampleEnv } from '../support/env';
import { buildExample, dataOf, resourcesOf, synthJson, synthStack } from '../support/synth';

const env = exampleEnv();
const lz = buildExample(env);
const synth = synthStack(lz.management);
const json = synthJson(lz.management);
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

  it('denies regions outside the allow-list, with global services and the StackSet execution role exempt', () => {
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
          values: ['arn:aws:iam::*:role/stacksets-exec-*'],
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
    expect(protect.resources).toEqual(
      expect.arrayContaining([
        'arn:aws:iam::*:role/acme-tfc-*',
        'arn:aws:iam::*:role/OrganizationAccountAccessRole',
      ]),
    );
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

describe('terraform cloud trust', () => {
  const trust = (account: string, phase: string) =>
    doc(new RegExp(`^tfc-${account}_${phase}-trust`))[0].statement[0];

  it('has one OIDC provider for app.terraform.io per account that runs workspaces', () => {
    expect(synth).toHaveResourceWithProperties(IamOpenidConnectProvider, {
      url: 'https://app.terraform.io',
      client_id_list: ['aws.workload.identity'],
    });
    // management (its own workspace) and production (network, cluster, platform); security runs none.
    expect(Object.keys(resourcesOf(json, 'aws_iam_openid_connect_provider'))).toHaveLength(2);
  });

  it('pins audience and the exact workspace and run phase; never a wildcard', () => {
    expect(trust('management', 'plan').condition).toEqual([
      { test: 'StringEquals', variable: 'app.terraform.io:aud', values: ['aws.workload.identity'] },
      {
        test: 'StringEquals',
        variable: 'app.terraform.io:sub',
        values: [
          'organization:acme-analytics:project:landing-zone:workspace:acme-management:run_phase:plan',
        ],
      },
    ]);
    const prodApply = trust('production', 'apply').condition[1].values as string[];
    expect(prodApply).toEqual(
      expect.arrayContaining([
        'organization:acme-analytics:project:landing-zone:workspace:acme-network:run_phase:apply',
      ]),
    );
    expect(prodApply).not.toContain(
      'organization:acme-analytics:project:landing-zone:workspace:acme-management:run_phase:apply',
    );
    for (const d of Object.keys(docs).filter((k) => k.includes('-trust'))) {
      const subs = docs[d].statement[0].condition[1].values as string[];
      for (const s of subs) expect(s).not.toMatch(/\*/);
    }
  });

  it('gives plan roles read-only and apply roles administrator policies', () => {
    const roles = resourcesOf(json, 'aws_iam_role');
    const attachments = Object.values(resourcesOf(json, 'aws_iam_role_policy_attachment')) as any[];
    const policiesOf = (roleName: string) => {
      const key = Object.keys(roles).find(
        (k) => roles[k].name === roleName && k.startsWith('tfc-management'),
      );
      return attachments
        .filter((a) => a.role === `\${aws_iam_role.${key}.name}`)
        .map((a) => a.policy_arn);
    };
    expect(policiesOf('acme-tfc-plan')).toEqual(['arn:aws:iam::aws:policy/ReadOnlyAccess']);
    expect(policiesOf('acme-tfc-apply')).toEqual(['arn:aws:iam::aws:policy/AdministratorAccess']);
  });

  it('creates member-account roles through an aliased provider assuming the account access role', () => {
    const providers = json.provider.aws as any[];
    const production = providers.find((p) => p.alias === 'production');
    expect(production.assume_role[0].role_arn).toMatch(
      /^arn:aws:iam::\$\{aws_organizations_account\..*production.*\.id\}:role\/OrganizationAccountAccessRole$/,
    );
    const prodRoles = Object.entries(resourcesOf(json, 'aws_iam_role')).filter(([k]) =>
      k.startsWith('tfc-production'),
    );
    expect(prodRoles.map(([, r]: any) => r.provider)).toEqual(['aws.production', 'aws.production']);
  });

  it('lets the management roles assume the access role only inside the organization', () => {
    const st = doc(/^assume-member-accounts$/)[0].statement[0];
    expect(st.resources).toEqual(['arn:aws:iam::*:role/OrganizationAccountAccessRole']);
    expect(st.condition[0]).toMatchObject({ test: 'StringEquals', variable: 'aws:ResourceOrgID' });
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

describe('outputs and backend', () => {
  it('exports account IDs and TFC role ARNs under stable names', () => {
    expect(Object.keys(json.output)).toEqual(
      expect.arrayContaining(['account_ids', 'tfc_roles', 'organization_id', 'root_id']),
    );
    expect(Object.keys(json.output.tfc_roles.value)).toEqual(['management', 'production']);
    expect(Object.keys(json.output.account_ids.value).sort()).toEqual([
      'management',
      'production',
      'security',
    ]);
  });

  it('runs in its own TFC workspace with the cloud backend, or locally when asked', () => {
    const app = Testing.app();
    const cloud = synthJson(buildLandingZone(app, env).management);
    expect(cloud.terraform.cloud).toEqual({
      hostname: 'app.terraform.io',
      organization: 'acme-analytics',
      workspaces: { name: 'acme-management', project: 'landing-zone' },
    });
    expect(json.terraform.backend.local.path).toBe('terraform.management.tfstate');
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
    const out = synthJson(buildExample(adopted).management);
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
    const extra = doc(/^tfc-production_plan-extra/);
    expect(extra).toHaveLength(1);
    expect(extra[0].statement[0]).toMatchObject({
      effect: 'Allow',
      actions: ['secretsmanager:GetRandomPassword'],
    });
    expect(doc(/^tfc-management_plan-extra/)).toHaveLength(0);
    const policies = Object.values(resourcesOf(json, 'aws_iam_role_policy')) as any[];
    expect(policies.filter((p) => p.name === 'plan-extra').map((p) => p.provider)).toEqual([
      'aws.production',
    ]);
  });
});
