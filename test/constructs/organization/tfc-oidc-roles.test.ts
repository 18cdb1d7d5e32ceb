/**
 * The TfcOidcRoles construct on its own (management account, plain resources): one role pair
 * per workspace, trust per run phase, the plan-deny policy, extra permissions; and the shared
 * policy helpers the StackSet templates use.
 * Trust shape: https://developer.hashicorp.com/terraform/cloud-docs/workspaces/dynamic-provider-credentials/aws-configuration
 */
import { Testing, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import {
  planDenyStatements,
  TfcOidcRoles,
  tfcRoleDescription,
  tfcTrustPolicy,
  type TfcOidcRolesProps,
} from '../../../constructs/organization/tfc-oidc-roles';

const identity = { hostname: 'app.terraform.io', organization: 'org', project: 'proj' };
const pair = (stackId: string, extra = {}) => ({
  stackId,
  workspace: `lz-${stackId}`,
  roleNames: { plan: `lz-${stackId}-plan`, apply: `lz-${stackId}-apply` },
  ...extra,
});

function synth(props: Partial<TfcOidcRolesProps> = {}) {
  const stack = new TerraformStack(Testing.app(), 'test');
  new AwsProvider(stack, 'aws', { region: 'eu-central-1' });
  new TfcOidcRoles(stack, 'tfc', {
    ...identity,
    prefix: 'lz',
    workspaces: [pair('a'), pair('b')],
    ...props,
  });
  return JSON.parse(Testing.synth(stack));
}

const docs = (json: any) => json.data.aws_iam_policy_document;
const trustOf = (json: any, ws: string, phase: string) =>
  Object.entries<any>(docs(json)).find(([k]) => k.startsWith(`tfc_${ws}-${phase}-trust`))![1]
    .statement[0];

describe('TfcOidcRoles', () => {
  const json = synth();

  it('trusts exactly one workspace in the matching run phase per role', () => {
    for (const ws of ['a', 'b'])
      for (const phase of ['plan', 'apply']) {
        const st = trustOf(json, ws, phase);
        expect(st.actions).toEqual(['sts:AssumeRoleWithWebIdentity']);
        expect(st.principals[0]).toEqual({
          type: 'Federated',
          identifiers: [expect.stringMatching(/aws_iam_openid_connect_provider\..*\.arn/)],
        });
        expect(st.condition).toEqual([
          {
            test: 'StringEquals',
            variable: 'app.terraform.io:aud',
            values: ['aws.workload.identity'],
          },
          {
            test: 'StringEquals',
            variable: 'app.terraform.io:sub',
            values: [`organization:org:project:proj:workspace:lz-${ws}:run_phase:${phase}`],
          },
        ]);
      }
    expect(
      Object.values<any>(json.resource.aws_iam_role)
        .map((r) => r.name)
        .sort(),
    ).toEqual(['lz-a-apply', 'lz-a-plan', 'lz-b-apply', 'lz-b-plan']);
  });

  it('attaches ReadOnlyAccess and the deny policy to plan roles, AdministratorAccess to apply roles by default', () => {
    const att = Object.values<any>(json.resource.aws_iam_role_policy_attachment);
    const of = (role: string) =>
      att
        .filter((a) => a.role.includes(`tfc_${role}_`))
        .map((a) => a.policy_arn)
        .sort();
    expect(of('a-plan')).toEqual([
      expect.stringMatching(/^\$\{aws_iam_policy\.tfc_plan-deny_.*\.arn\}$/),
      'arn:aws:iam::aws:policy/ReadOnlyAccess',
    ]);
    expect(of('a-apply')).toEqual(['arn:aws:iam::aws:policy/AdministratorAccess']);
    expect(Object.values<any>(json.resource.aws_iam_policy)[0].name).toBe('lz-tfc-plan-deny');
  });

  it('replaces AdministratorAccess with inline statements when a workspace needs less', () => {
    const custom = synth({
      workspaces: [
        pair('s', {
          applyStatements: [{ Sid: 'X', Effect: 'Allow', Action: ['guardduty:*'], Resource: '*' }],
          planStatements: [
            {
              Sid: 'Y',
              Effect: 'Allow',
              Action: ['secretsmanager:GetRandomPassword'],
              Resource: '*',
            },
          ],
        }),
      ],
    });
    const att = Object.values<any>(custom.resource.aws_iam_role_policy_attachment).map(
      (a) => a.policy_arn,
    );
    expect(att).not.toContain('arn:aws:iam::aws:policy/AdministratorAccess');
    expect(
      Object.values<any>(custom.resource.aws_iam_role_policy)
        .map((p) => p.name)
        .sort(),
    ).toEqual(['apply-extra', 'plan-extra']);
  });

  it('uses the given hostname for the issuer and the condition keys', () => {
    const custom = synth({ hostname: 'tfe.example.com' });
    expect(Object.values<any>(custom.resource.aws_iam_openid_connect_provider)[0].url).toBe(
      'https://tfe.example.com',
    );
    expect(trustOf(custom, 'a', 'apply').condition.map((c: any) => c.variable)).toEqual([
      'tfe.example.com:aud',
      'tfe.example.com:sub',
    ]);
  });

  it('refuses an empty workspace list', () => {
    expect(() => synth({ workspaces: [] })).toThrow(/workspaces must name at least one workspace/);
  });
});

describe('policy helpers', () => {
  it('denies secret and data reads and every way to assume a role, on every resource', () => {
    const actions = planDenyStatements('acme').flatMap((s) => s.Action);
    // ReadOnlyAccess grants s3:Get*, ssm:Get*, sqs:Receive*, lambda:Get* (zoph-io/MAMIP policies/ReadOnlyAccess)
    for (const a of [
      'secretsmanager:GetSecretValue',
      'ssm:GetParameter',
      'ssm:GetParametersByPath',
      'kms:Decrypt',
      's3:GetObject',
      'sqs:ReceiveMessage',
      'lambda:GetFunction',
      'sts:AssumeRole',
      'sts:GetSessionToken',
    ])
      expect(actions).toContain(a);
    for (const s of planDenyStatements('acme'))
      expect([s.Effect, s.Resource ?? s.NotResource]).toEqual(
        s.NotResource ? ['Deny', ['arn:aws:iam::*:role/acme-*-dns-reader']] : ['Deny', '*'],
      );
  });

  it('renders a trust policy and description within IAM quotas for the longest names the schema allows', () => {
    const longest = {
      hostname: 'app.terraform.io',
      organization: 'o'.repeat(40),
      project: 'p'.repeat(40),
    };
    const ws = `${'x'.repeat(16)}-platform-${'k'.repeat(32)}`;
    const trust = JSON.stringify(
      tfcTrustPolicy(
        longest,
        'arn:aws:iam::123456789012:oidc-provider/app.terraform.io',
        ws,
        'apply',
      ),
    );
    expect(trust.length).toBeLessThan(2048);
    expect(tfcRoleDescription(longest, ws, 'plan').length).toBeLessThanOrEqual(1000);
  });
});
