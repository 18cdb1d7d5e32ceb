/**
 * The CI teams: plan-only custom project access and write access for the apply team.
 *
 * Upstream (tfe 0.71.0): `website/docs/r/team_project_access.html.markdown`: "`access` -
 * (Required) Type of fixed access to grant. Valid values are `admin`, `maintain`, `write`,
 * `read`, or `custom`." and, for `workspace_access.runs`, "Valid strings: `read`, `plan`, or
 * `apply`"; `state_versions`: "`none`, `read-outputs`, `read`, or `write`"; `variables`: "`none`,
 * `read`, or `write`". HCP Terraform permissions/workspace: "Plan access grants … Plan workspace
 * runs. Read variables the workspace has access to. Read the state of a workspace."
 * `r/team.html.markdown`: `visibility` "`secret` or `organization`".
 */
import { Testing, TerraformStack } from 'cdktf';
import { TfcCiTeams } from '../../../constructs/tfc/ci-teams';

function synth(): Record<string, any> {
  const app = Testing.app();
  const stack = new TerraformStack(app, 's');
  new TfcCiTeams(stack, 'ci', {
    organization: 'acme',
    projectId: 'prj-1',
    planTeam: 'acme-ci-plan',
    applyTeam: 'acme-ci-apply',
    outputs: { plan: 'plan_id', apply: 'apply_id' },
  });
  return JSON.parse(Testing.synth(stack));
}

describe('TfcCiTeams', () => {
  const json = synth();
  const access = json.resource.tfe_team_project_access;

  it('creates two secret teams without organization permissions or member token management', () => {
    expect(json.resource.tfe_team).toEqual({
      'ci-plan': expect.objectContaining({
        name: 'acme-ci-plan',
        visibility: 'secret',
        allow_member_token_management: false,
      }),
      'ci-apply': expect.objectContaining({
        name: 'acme-ci-apply',
        visibility: 'secret',
        allow_member_token_management: false,
      }),
    });
    for (const t of Object.values<any>(json.resource.tfe_team))
      expect(t.organization_access).toBeUndefined();
  });

  it('gives the plan team custom access that can plan but never apply, lock or write', () => {
    expect(access['ci-plan']).toMatchObject({
      access: 'custom',
      project_id: 'prj-1',
      team_id: '${tfe_team.ci-plan.id}',
      project_access: [{ settings: 'read', teams: 'none', variable_sets: 'none' }],
    });
    const ws = access['ci-plan'].workspace_access[0];
    expect(ws.runs).toBe('plan');
    expect(['read', 'plan', 'apply']).toContain(ws.runs);
    expect(['none', 'read-outputs', 'read']).toContain(ws.state_versions);
    expect(['none', 'read']).toContain(ws.variables);
    expect(ws).toMatchObject({
      locking: false,
      create: false,
      delete: false,
      move: false,
      run_tasks: false,
    });
  });

  it('gives the apply team fixed write access, and publishes both team IDs', () => {
    expect(access['ci-apply']).toEqual(
      expect.objectContaining({
        access: 'write',
        project_id: 'prj-1',
        team_id: '${tfe_team.ci-apply.id}',
      }),
    );
    expect(['admin', 'maintain', 'write', 'read', 'custom']).toContain(access['ci-apply'].access);
    expect(json.output.plan_id.value).toBe('${tfe_team.ci-plan.id}');
    expect(json.output.apply_id.value).toBe('${tfe_team.ci-apply.id}');
  });

  it('never creates a team token (it would be stored in state)', () => {
    expect(json.resource.tfe_team_token).toBeUndefined();
  });

  it('refuses one team for both roles', () => {
    const stack = new TerraformStack(Testing.app(), 's');
    expect(
      () =>
        new TfcCiTeams(stack, 'ci', {
          organization: 'a',
          projectId: 'p',
          planTeam: 'x',
          applyTeam: 'x',
        }),
    ).toThrow('ci: the plan and apply teams must differ (x)');
  });
});
