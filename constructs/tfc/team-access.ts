/**
 * Workspace access for an existing TFC team (looked up by name with the `tfe_team` data
 * source): one `tfe_team_access` per workspace with a fixed permission level.
 *
 * Sources:
 * - https://registry.terraform.io/providers/hashicorp/tfe/0.71.0/docs/resources/team_access
 * - https://developer.hashicorp.com/terraform/cloud-docs/users-teams-organizations/permissions
 */
import { Construct } from 'constructs';
import { DataTfeTeam } from '@cdktf/provider-tfe/lib/data-tfe-team';
import { TeamAccess } from '@cdktf/provider-tfe/lib/team-access';

export interface TfcTeamAccessProps {
  /** Team name (the team must exist in the organization). */
  readonly team: string;
  /** TFC organization. */
  readonly organization: string;
  /** `read`, `plan`, `write` or `admin`. */
  readonly access: 'read' | 'plan' | 'write' | 'admin';
  /** Workspaces: logical key (stack ID) → workspace ID; must not be empty. */
  readonly workspaceIds: Readonly<Record<string, string>>;
}

/** One team's access to a list of workspaces. */
export class TfcTeamAccess extends Construct {
  /** The existing team, looked up by name (the plan fails if it does not exist). */
  readonly team: DataTfeTeam;
  /** Access grants by workspace key. */
  readonly grants: Record<string, TeamAccess> = {};

  /** @throws Error if `workspaceIds` is empty */
  constructor(scope: Construct, id: string, props: TfcTeamAccessProps) {
    super(scope, id);
    if (Object.keys(props.workspaceIds).length === 0)
      throw new Error(`${id}: workspaceIds must not be empty`);
    this.team = new DataTfeTeam(this, 'team', {
      name: props.team,
      organization: props.organization,
    });
    for (const [key, workspaceId] of Object.entries(props.workspaceIds)) {
      this.grants[key] = new TeamAccess(this, key, {
        teamId: this.team.id,
        workspaceId,
        access: props.access,
      });
    }
  }
}
