/**
 * The TfcOidcRoles construct on its own: trust per run phase, policies, extra plan permissions.
 */
import { Testing, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import {
  TfcOidcRoles,
  type TfcOidcRolesProps,
} from '../../../constructs/organization/tfc-oidc-roles';

function synth(props: Partial<TfcOidcRolesProps> = {}) {
  const stack = new TerraformStack(Testing.app(), 'test');
  new AwsProvider(stack, 'aws', { region: 'eu-central-1' });
  new TfcOidcRoles(stack, 'tfc', {
    organization: 'org',
    project: 'proj',
    workspaces: ['ws-a', 'ws-b'],
    namePrefix: 'lz-tfc',
    ...props,
  });
  return JSON.parse(Testing.synth(stack));
}

const docs = (json: any) => json.data.aws_iam_policy_document;
const trustOf = (json: any, phase: string) =>
  Object.entries<any>(docs(json)).find(([k]) => k.startsWith(`tfc_${phase}-trust`))![1]
    .statement[0];

describe('TfcOidcRoles', () => {
  const json = synth();

  it('trusts each named workspace in the matching run phase only', () => {
    for (const phase of ['plan', 'apply']) {
      const st = trustOf(json, phase);
      expect(st.actions).toEqual(['sts:AssumeRoleWithWebIdentity']);
      expect(st.principals[0]).toEqual({
        type: 'Federated',
        identifiers: [expect.stringMatching(/aws_iam_openid_connect_provider\..*\.arn/)],
      });
      expect(st.condition[1].values).toEqual([
        `organization:org:project:proj:workspace:ws-a:run_phase:${phase}`,
        `organization:org:project:proj:workspace:ws-b:run_phase:${phase}`,
      ]);
    }
  });

  it('uses the given hostname for the issuer and the condition keys', () => {
    const custom = synth({ hostname: 'tfe.example.com' });
    expect(Object.values<any>(custom.resource.aws_iam_openid_connect_provider)[0].url).toBe(
      'https://tfe.example.com',
    );
    expect(trustOf(custom, 'apply').condition.map((c: any) => c.variable)).toEqual([
      'tfe.example.com:aud',
      'tfe.example.com:sub',
    ]);
  });

  it('attaches the given managed policies and sets the session length', () => {
    const custom = synth({
      planPolicyArns: ['arn:aws:iam::aws:policy/ViewOnlyAccess'],
      applyPolicyArns: ['arn:aws:iam::aws:policy/PowerUserAccess'],
      maxSessionDuration: 7200,
    });
    const attachments = Object.values<any>(custom.resource.aws_iam_role_policy_attachment)
      .map((a) => a.policy_arn)
      .sort();
    expect(attachments).toEqual([
      'arn:aws:iam::aws:policy/PowerUserAccess',
      'arn:aws:iam::aws:policy/ViewOnlyAccess',
    ]);
    for (const r of Object.values<any>(custom.resource.aws_iam_role))
      expect(r.max_session_duration).toBe(7200);
  });

  it('adds extra plan permissions only when asked', () => {
    expect(json.resource.aws_iam_role_policy).toBeUndefined();
    const withExtra = synth({
      planStatements: [
        { effect: 'Allow', actions: ['secretsmanager:GetRandomPassword'], resources: ['*'] },
      ],
    });
    const policy = Object.values<any>(withExtra.resource.aws_iam_role_policy)[0];
    expect(policy.role).toMatch(/aws_iam_role\.tfc_plan-role_.*\.name/);
  });

  it('refuses an empty workspace list', () => {
    expect(() => synth({ workspaces: [] })).toThrow(
      'tfc: workspaces must name at least one workspace',
    );
  });
});
