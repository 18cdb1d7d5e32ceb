/**
 * One Terraform Cloud workspace for one stack of the app: the `tfe_workspace` (name, project,
 * Terraform version, description, tags, destroy-plan policy, run-trigger auto-apply, optional
 * VCS connection) and its `tfe_workspace_settings`, which alone owns `auto_apply`,
 * `assessments_enabled`, `execution_mode`, `agent_pool_id`, `global_remote_state` and
 * `remote_state_consumer_ids` (remote execution, or agent execution after
 * {@link TfcWorkspace.runOnAgentPool}, or local after {@link TfcWorkspace.runLocally};
 * remote-state sharing with exactly the consumers given to {@link TfcWorkspace.shareStateWith},
 * none by default; organization-wide sharing off).
 *
 * Single ownership: tfe 0.71's `tfe_workspace_settings` sends `auto_apply`,
 * `assessments_enabled`, `global_remote_state` and `execution_mode` on every update, as
 * `false`/`remote` when unset (`internal/provider/resource_tfe_workspace_settings.go`
 * `updateSettings` @ v0.71.0; hashicorp/terraform-provider-tfe#1791), and the provider docs
 * warn "You should not attempt to manage the same property on both resources which could cause
 * a permanent drift". So `tfe_workspace` here never sets any of them.
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
  /**
   * Directory Terraform runs in, relative to the repository root (e.g. `cdktf.out/stacks/network`).
   * A CLI plan against such a workspace uploads the parents of the local directory up to that
   * depth (the repository root), filtered by the `.terraformignore` there (docs/terraform-cloud.md).
   */
  readonly workingDirectory: string;
  /** Globs (relative to the repository root) whose changes start a run; must not be empty. */
  readonly triggerPatterns: readonly string[];
}

export interface TfcWorkspaceProps {
  /** Workspace name (the stack's `CloudBackend` workspace, `<prefix>-<stack>`). */
  readonly name: string;
  /** TFC organization. */
  readonly organization: string;
  /** ID of the `tfe_project` the workspace belongs to (default: the organization's default project). */
  readonly projectId?: string;
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
  /**
   * Its `tfe_workspace_settings`: the only owner of auto-apply, assessments, execution mode,
   * agent pool and remote-state sharing.
   */
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
      // auto_apply and assessments_enabled: on the settings resource only (see the file comment).
      autoApplyRunTrigger: props.autoApplyRunTriggers ?? false,
      allowDestroyPlan: props.allowDestroyPlan ?? false,
      // No run is queued when the workspace is created. For a VCS workspace this also means
      // webhook runs (pushes) do not queue until one run has been queued by hand (UI or API):
      // "When set to false, runs triggered by a webhook (such as a commit in VCS) will not be
      // queued until at least one run has been manually queued" (tfe 0.71 docs, r/workspace
      // `queue_all_runs`). The first run of each VCS workspace is queued in the bootstrap order
      // (docs/terraform-cloud.md, "VCS-driven runs"), never all at once on creation.
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
      autoApply: props.autoApply ?? false,
      assessmentsEnabled: false,
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
   * Runs this workspace in `local` execution mode: Terraform runs on the machine that calls
   * `cdktf deploy` (with that shell's credentials) and only the state lives in TFC. "HCP
   * Terraform does not evaluate workspace variables or variable sets in local execution mode"
   * (https://developer.hashicorp.com/terraform/cloud-docs/workspaces/settings#execution-mode).
   * The caller's token needs state read/write and lock permission on the workspace.
   */
  runLocally(): void {
    this.settings.executionMode = 'local';
    this.settings.resetAgentPoolId();
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
