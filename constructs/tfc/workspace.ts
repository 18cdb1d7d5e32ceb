/**
 * One Terraform Cloud workspace for one stack of the app: the `tfe_workspace` (name, project,
 * Terraform version, description, tags, apply policy, optional VCS connection) and its
 * `tfe_workspace_settings` (remote execution, or agent execution after
 * {@link TfcWorkspace.runOnAgentPool}; remote-state sharing with exactly the consumers given to
 * {@link TfcWorkspace.shareStateWith}, none by default; organization-wide sharing off).
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
   * Terraform logical name of the workspace and settings resources (default: the construct
   * id), so operators can `terraform import 'tfe_workspace.<name>' <org>/<workspace>`.
   */
  readonly logicalName?: string;
}

/** A workspace with remote execution and remote-state sharing limited to named consumers. */
export class TfcWorkspace extends Construct {
  /** The `tfe_workspace`. */
  readonly workspace: Workspace;
  /** Its `tfe_workspace_settings` (execution mode, agent pool, remote-state consumers). */
  readonly settings: WorkspaceSettings;
  /** The workspace name. */
  readonly name: string;

  /** @throws Error if `vcs.triggerPatterns` is empty */
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
      executionMode: 'remote',
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
   * Runs this workspace on an agent pool (`execution_mode = "agent"`) instead of HCP-hosted
   * workers, e.g. to reach a private EKS endpoint from agents inside the VPC (default: remote).
   *
   * Pass the `id` of the `tfe_agent_pool_allowed_workspaces` that admits this workspace (it
   * equals the pool ID), not the pool's own `id`: the reference makes Terraform grant the
   * permission before it assigns the pool, which the API otherwise refuses for a pool that is
   * not organization-scoped.
   * Source: https://registry.terraform.io/providers/hashicorp/tfe/0.71.0/docs/resources/agent_pool_allowed_workspaces
   * @param agentPoolId the agent pool ID (`apool-…`), as a reference to the allowed-workspaces resource
   */
  runOnAgentPool(agentPoolId: string): void {
    this.settings.executionMode = 'agent';
    this.settings.agentPoolId = agentPoolId;
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
