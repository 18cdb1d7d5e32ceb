/**
 * The organization stack: Organizations, SCPs, Identity Center, its outputs and backend, the
 * migration from the former management stack and the adoption of an existing organization. The
 * management account's TFC roles and the StackSets that bootstrap member-account identity:
 * organization-stack.tfc-roles.test.ts.
 */
import { Testing } from 'cdktf';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OrganizationsOrganization } from '@cdktf/provider-aws/lib/organizations-organization';
import { OrganizationsAccount } from '@cdktf/provider-aws/lib/organizations-account';
import { SsoadminPermissionSet } from '@cdktf/provider-aws/lib/ssoadmin-permission-set';
import { buildLandingZone } from '../../stacks/app';
import { scpStatements } from '../../constructs/organization/service-control-policies';
import { exampleEnv } from '../support/env';
import { organizationExample } from '../support/organization-fixtures';
import { buildExample, resourcesOf, synthJson } from '../support/synth';

const env = exampleEnv();
const { lz, synth, json, doc } = organizationExample();

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
