/**
 * The two Terraform Cloud teams CI runs as, and their access to the landing-zone project:
 *
 * - **plan** (pull requests): `tfe_team_project_access` with `access = "custom"` and
 *   `workspace_access { runs = "plan" }`: it may queue (speculative) plans, read variables and
 *   state, never apply, lock, or write state or variables. tfe 0.71 has no fixed `plan` level at
 *   project scope ("Valid values are `admin`, `maintain`, `write`, `read`, or `custom`";
 *   `runs`: "Valid strings: `read`, `plan`, or `apply`"), hence the custom access.
 * - **apply** (main-branch deploys): fixed `write` access ("Apply: Allows users to read, plan,
 *   approve, and apply Terraform plans").
 *
 * Both teams are `secret` (visible to their members and owners only), have no organization
 * permissions, and hold no members: CI authenticates with a **team token**. Tokens are not
 * created here: `tfe_team_token` stores the token in this stack's state (its `token` is
 * Computed + Sensitive, no write-only variant in tfe 0.71; the ephemeral `tfe_team_token` has
 * no cdktf binding). An operator mints them once (docs/terraform-cloud.md, "CI tokens").
 *
 * Sources (tfe 0.71.0):
 * - https://registry.terraform.io/providers/hashicorp/tfe/0.71.0/docs/resources/team
 * - https://registry.terraform.io/providers/hashicorp/tfe/0.71.0/docs/resources/team_project_access
 * - https://developer.hashicorp.com/terraform/cloud-docs/users-teams-organizations/permissions/workspace
 */
import { Construct } from 'constructs';
import { TerraformOutput } from 'cdktf';
import { Team } from '@cdktf/provider-tfe/lib/team';
import { TeamProjectAccess } from '@cdktf/provider-tfe/lib/team-project-access';

export interface TfcCiTeamsProps {
  /** TFC organization. */
  readonly organization: string;
  /** ID of the landing-zone `tfe_project`. */
  readonly projectId: string;
  /** Name of the plan-only team. */
  readonly planTeam: string;
  /** Name of the apply team. */
  readonly applyTeam: string;
  /** Names of the stack outputs that publish the two team IDs (default: no outputs). */
  readonly outputs?: { readonly plan: string; readonly apply: string };
}

/**
 * The workspace permissions of the plan team: what TFC's fixed **Plan** set grants ("Plan
 * workspace runs. Read variables the workspace has access to. Read the state of a workspace.",
 * permissions/workspace docs), and nothing more.
 */
export const PLAN_TEAM_WORKSPACE_ACCESS = {
  runs: 'plan',
  variables: 'read',
  stateVersions: 'read',
  sentinelMocks: 'none',
  create: false,
  delete: false,
  locking: false,
  move: false,
  runTasks: false,
} as const;

/** The plan and apply teams with their project access. */
export class TfcCiTeams extends Construct {
  readonly planTeam: Team;
  readonly applyTeam: Team;
  readonly planAccess: TeamProjectAccess;
  readonly applyAccess: TeamProjectAccess;

  /** @throws Error if the two team names are equal */
  constructor(scope: Construct, id: string, props: TfcCiTeamsProps) {
    super(scope, id);
    if (props.planTeam === props.applyTeam)
      throw new Error(`${id}: the plan and apply teams must differ (${props.planTeam})`);
    const team = (name: string, key: string) => {
      const t = new Team(this, key, {
        name,
        organization: props.organization,
        visibility: 'secret',
        // members may not mint tokens of these teams; only owners / "Manage teams" can
        allowMemberTokenManagement: false,
      });
      t.overrideLogicalId(key);
      return t;
    };
    this.planTeam = team(props.planTeam, 'ci-plan');
    this.applyTeam = team(props.applyTeam, 'ci-apply');
    this.planAccess = new TeamProjectAccess(this, 'plan-access', {
      teamId: this.planTeam.id,
      projectId: props.projectId,
      access: 'custom',
      projectAccess: [{ settings: 'read', teams: 'none', variableSets: 'none' }],
      workspaceAccess: [{ ...PLAN_TEAM_WORKSPACE_ACCESS }],
    });
    this.planAccess.overrideLogicalId('ci-plan');
    this.applyAccess = new TeamProjectAccess(this, 'apply-access', {
      teamId: this.applyTeam.id,
      projectId: props.projectId,
      access: 'write',
    });
    this.applyAccess.overrideLogicalId('ci-apply');
    for (const [key, team] of [
      ['plan', this.planTeam],
      ['apply', this.applyTeam],
    ] as const) {
      const name = props.outputs?.[key];
      if (!name) continue;
      new TerraformOutput(this, `output-${key}`, {
        value: team.id,
        description: `ID of the CI ${key} team (mint its token: docs/terraform-cloud.md, CI tokens)`,
      }).overrideLogicalId(name);
    }
  }
}
