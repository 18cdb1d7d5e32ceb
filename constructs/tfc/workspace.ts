/**
 * One Terraform Cloud workspace for one stack of the app: the `tfe_workspace` (name, project,
 * Terraform version, description, tags, apply policy, optional VCS connection) and its
 * `tfe_workspace_settings` (remote or agent execution, remote-state sharing with exactly the listed
 * consumers; organization-wide sharing off).
 *
 * Sources:
 * - https://registry.terraform.io/providers/hashicorp/tfe/0.71.0/docs/resources/workspace
 * - https://registry.terraform.io/providers/hashicorp/tfe/0.71.0/docs/resources/workspace_settings
 * - https://developer.hashicorp.com/terraform/cloud-docs/workspaces/state#remote-state-access-controls
 */
import { Construct } from 'constructs';
import { Workspace } from '@cdktf/provider-tfe/lib/workspace';
import { WorkspaceSettings } from '@cdktf/provider-tfe/lib/workspace-settings';

/** The VCS connection of a VCS-driven workspace (GitHub App). */
export interface TfcWorkspaceVcs {
  /** Repository `<owner>/<repo>`. */
  readonly identifier: string;
  /** Branch runs apply from. */
  readonly branch: string;
  /** The `ghain-…` ID of the HCP Terraform GitHub App installation (from `tfe_github_app_installation`). */
  readonly githubAppInstallationId: string;
  /** Directory Terraform runs in, relative to the repository root (e.g. `cdktf.out/stacks/network`). */
  readonly workingDirectory: string;
  /** Globs (relative to the repository root) whose changes start a run; must not be empty. */
  readonly triggerPatterns: readonly string[];
}

export interface TfcWorkspaceProps {
  /** Workspace name (the stack's `CloudBackend` workspace, `<prefix>-<stack>`). */
  readonly name: string;
  /** TFC organization. */
  readonly organization: string;
  /** ID of the `tfe_project` the workspace belongs to. */
  readonly projectId: string;
  /** Terraform version, exact `x.y.z`. */
  readonly terraformVersion: string;
  /** Description (default none). */
  readonly description?: string;
  /** Key-value tags (default none). */
  readonly tags?: Readonly<Record<string, string>>;
  /** Apply without confirmation (default `false`). */
  readonly autoApply?: boolean;
  /** Apply runs started by run triggers without confirmation (default `false`). */
  readonly autoApplyRunTriggers?: boolean;
  /** Allow destroy plans (default `false`). */
  readonly allowDestroyPlan?: boolean;
  /** VCS connection (default none: CLI-driven, `cdktf deploy` uploads the configuration). */
  readonly vcs?: TfcWorkspaceVcs;
  /**
   * Agent pool ID: runs execute on that pool's agents (`execution_mode = "agent"`), e.g. to
   * reach a private EKS endpoint. Default none: remote (HCP-hosted) execution.
   */
  readonly agentPoolId?: string;
  /**
   * Terraform logical name of the workspace and settings resources (default: the construct
   * id), so operators can `terraform import 'tfe_workspace.<name>' <org>/<workspace>`.
   */
  readonly logicalName?: string;
}

/** A workspace with remote execution and remote-state sharing limited to named consumers. */
export class TfcWorkspace extends Construct {
  readonly workspace: Workspace;
  readonly settings: WorkspaceSettings;
  /** The workspace name. */
  readonly name: string;

  constructor(scope: Construct, id: string, props: TfcWorkspaceProps) {
    super(scope, id);
    if (props.vcs && props.vcs.triggerPatterns.length === 0) {
      throw new Error(`${id}: vcs.triggerPatterns must name at least one pattern`);
    }
    const vcs = props.vcs;
    this.name = props.name;
    this.workspace = new Workspace(this, 'workspace', {
      name: props.name,
      organization: props.organization,
      projectId: props.projectId,
      description: props.description,
      tags: props.tags ? { ...props.tags } : undefined,
      terraformVersion: props.terraformVersion,
      autoApply: props.autoApply ?? false,
      autoApplyRunTrigger: props.autoApplyRunTriggers ?? false,
      allowDestroyPlan: props.allowDestroyPlan ?? false,
      // No run when the workspace is created: the first run is a deliberate `cdktf deploy`
      // (CLI) or the first push that matches the trigger patterns (VCS).
      queueAllRuns: false,
      speculativeEnabled: true,
      workingDirectory: vcs?.workingDirectory,
      fileTriggersEnabled: vcs ? true : undefined,
      triggerPatterns: vcs ? [...vcs.triggerPatterns] : undefined,
      vcsRepo: vcs
        ? {
            identifier: vcs.identifier,
            branch: vcs.branch,
            githubAppInstallationId: vcs.githubAppInstallationId,
          }
        : undefined,
    });
    // Before any reference to the workspace: a referenced element's logical ID is fixed.
    if (props.logicalName) this.workspace.overrideLogicalId(props.logicalName);
    this.settings = new WorkspaceSettings(this, 'settings', {
      workspaceId: this.workspace.id,
      executionMode: props.agentPoolId ? 'agent' : 'remote',
      agentPoolId: props.agentPoolId,
      globalRemoteState: false,
      remoteStateConsumerIds: [],
    });
    if (props.logicalName) this.settings.overrideLogicalId(props.logicalName);
  }

  /** The workspace ID (`ws-…`). */
  get id(): string {
    return this.workspace.id;
  }

  /**
   * Sets the workspaces that may read this workspace's state (replaces any earlier list;
   * organization-wide sharing stays off). An empty list shares with nobody.
   * @param consumerIds workspace IDs of the consumers
   */
  shareStateWith(consumerIds: readonly string[]): void {
    this.settings.remoteStateConsumerIds = [...consumerIds];
  }
}
