/**
 * The Terraform Cloud bootstrap stack (`tfc`, tfe provider): the TFC project and one workspace
 * per other stack the app builds, their settings, variable sets, AWS dynamic credentials,
 * remote-state sharing and run triggers that follow the app's cross-stack references, the
 * optional agent pool (`terraformCloud.agentPool`: the pool, the workspaces it admits, and
 * `agent` execution on those workspaces; output `agent_pool_id`), and the optional
 * notifications and team access, the two CI teams (plan-only and apply) with their project
 * access, and a `.terraformignore` in every other stack's synthesized folder. See
 * docs/terraform-cloud.md for the bootstrap order.
 *
 * It always runs on the operator's machine (token in `TFE_TOKEN`). Its state
 * (`terraformCloud.stateBackend`): `local` = `terraform.tfc.<prefix>.tfstate` in the project
 * root whatever the output folder ({@link tfcLocalStatePath}), the first step only; `workspace`
 * = its own workspace `<prefix>-tfc`, which it creates in every phase (default project, `local`
 * execution, no variables); docs/terraform-cloud.md, "The TFC stack's state".
 *
 * Bootstrap phases (`terraformCloud.bootstrapPhase`), following HashiCorp's dynamic-credentials
 * bootstrap ("create the trust relationship by running Terraform commands locally",
 * https://developer.hashicorp.com/terraform/tutorials/cloud/dynamic-credentials):
 * - `initial`: the organization workspace runs in `local` execution mode, so its first
 *   `cdktf deploy` runs with the operator's own AWS session; no AWS credential is ever stored
 *   in TFC, no organization outputs are read and no workspace has dynamic credentials yet.
 * - `complete`: every workspace runs remotely (or on agents); every workspace whose stack
 *   targets an AWS account gets `TFC_AWS_PROVIDER_AUTH` and plan/apply role ARNs read from the
 *   organization workspace's `tfc_roles` output (`tfe_outputs`, by the literal workspace name).
 */
import { App, Fn, TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { TfeProvider } from '@cdktf/provider-tfe/lib/provider';
import { Project } from '@cdktf/provider-tfe/lib/project';
import { DataTfeOutputs } from '@cdktf/provider-tfe/lib/data-tfe-outputs';
import { DataTfeGithubAppInstallation } from '@cdktf/provider-tfe/lib/data-tfe-github-app-installation';
import { AgentPool } from '@cdktf/provider-tfe/lib/agent-pool';
import { AgentPoolAllowedWorkspaces } from '@cdktf/provider-tfe/lib/agent-pool-allowed-workspaces';
import { LandingZoneStack, type LandingZoneStackProps } from './base-stack';
import { ORGANIZATION_OUTPUTS } from './organization-stack';
import { TfcWorkspace, type TfcWorkspaceVcs } from '../constructs/tfc/workspace';
import { TfcVariableSet, landingZoneVariableSet } from '../constructs/tfc/variable-set';
import { TfcRunTrigger, checkRunTriggerSources } from '../constructs/tfc/run-trigger';
import { TfcCiTeams } from '../constructs/tfc/ci-teams';
import { addTerraformIgnore } from '../constructs/tfc/terraformignore';
import { addStateWorkspace, tfcLocalStatePath } from '../constructs/tfc/state-path';
import { AwsDynamicCredentials } from '../constructs/tfc/aws-dynamic-credentials';
import { addConfiguredNotifications } from '../constructs/tfc/notification';
import { TfcTeamAccess } from '../constructs/tfc/team-access';
import { crossStackEdges, trackPreparation } from '../constructs/tfc/stack-edges';

/**
 * Output of the TFC stack with the agent pool ID (`apool-…`), when a pool is created: the pool
 * an operator creates the agents' token for (docs/terraform-cloud.md, bootstrap step 5).
 */
export const AGENT_POOL_OUTPUT = 'agent_pool_id';

/** Outputs of the TFC stack with the IDs of the CI teams (the teams an operator mints tokens for). */
export const CI_TEAM_OUTPUTS = { plan: 'ci_plan_team_id', apply: 'ci_apply_team_id' } as const;

/**
 * Optional hook for a stack that reaches AWS accounts besides `spec.account` with TFC dynamic
 * credentials of their own: tag → account key. The TFC stack then adds the tagged variables
 * (`TFC_AWS_PLAN_ROLE_ARN_<tag>`…) for each, and the stack's aliased provider reads
 * `var.tfc_aws_dynamic_credentials.aliases["<tag>"]`. The security stack uses it
 * (`MANAGEMENT`) for its registrations and the trail in the management account.
 */
export interface TfcMultiAccountStack {
  readonly tfcAdditionalAwsAccounts: Readonly<Record<string, string>>;
}

/** A {@link StackEdge}-like pair of stack IDs: `consumer` reads `producer`'s state and runs after it. */
export interface StackIdEdge {
  readonly producer: string;
  readonly consumer: string;
}

/**
 * Props of {@link TfcStack}: the common stack props (its `backend` is ignored: the state goes
 * where `terraformCloud.stateBackend` says) and the stacks to serve.
 */
export interface TfcStackProps extends LandingZoneStackProps {
  /**
   * Every other stack the app builds (one workspace each, in this order); each must be a
   * `LandingZoneStack` (its `spec` names the workspace). Build the TFC stack after them; a
   * stack built later is reported when the app synthesizes.
   */
  readonly stacks: readonly TerraformStack[];
}

export { notificationVariable } from '../constructs/tfc/notification';

/**
 * The TFC bootstrap stack (see the file comment): build it after every other stack, passing
 * them in `stacks`; `buildLandingZone` does.
 */
export class TfcStack extends LandingZoneStack {
  readonly project: Project;
  /** Workspaces by stack ID. */
  readonly workspaces: Record<string, TfcWorkspace> = {};
  /** The agent pool of `terraformCloud.agentPool`, when some built stack runs on it. */
  readonly agentPool?: AgentPool;
  /** The workspaces admitted to {@link TfcStack.agentPool} (the pool is not organization-scoped). */
  readonly agentPoolWorkspaces?: AgentPoolAllowedWorkspaces;
  /** Shared, non-secret inputs, attached to the project. */
  readonly globalVariables: TfcVariableSet;
  /** The workspace `<prefix>-tfc` that holds this stack's state with `stateBackend: workspace`. */
  readonly stateWorkspace: TfcWorkspace;
  /** The plan-only and apply teams of CI (unless `terraformCloud.ciTeams` is `false`). */
  readonly ciTeams?: TfcCiTeams;
  /** Phase `complete` only: the organization workspace's outputs. */
  readonly managementOutputs?: DataTfeOutputs;
  /** Dynamic credentials by stack ID (phase `complete`; stacks with an AWS account). */
  readonly dynamicCredentials: Record<string, AwsDynamicCredentials[]> = {};
  /** Run triggers by `<producer>--<consumer>`, filled when the app is synthesized. */
  readonly runTriggers: Record<string, TfcRunTrigger> = {};
  private readonly built: readonly LandingZoneStack[];
  private wiredEdges?: StackIdEdge[];

  /**
   * @throws Error if `stacks` holds the TFC stack itself, a stack that is not a
   *   `LandingZoneStack`, or two stacks with the same ID, or if
   *   phase `complete` finds no organization stack to read role ARNs from
   */
  constructor(scope: Construct, props: TfcStackProps) {
    // This stack creates the workspaces the others keep their state in, its own included.
    const tfc = props.env.terraformCloud;
    super(scope, { ...props, backend: tfc.stateBackend === 'workspace' ? 'cloud' : 'local' });
    const env = this.env;
    if (tfc.stateBackend === 'workspace') {
      // its workspace lives outside the landing-zone project (which the CI teams reach)
      this.addOverride('terraform.cloud.workspaces.project', undefined);
    } else {
      this.addOverride(
        'terraform.backend.local.path',
        tfcLocalStatePath({
          prefix: env.prefix,
          stackId: this.spec.id,
          outdir: App.of(this).outdir,
        }),
      );
    }
    this.built = props.stacks.map((s) => {
      if (!(s instanceof LandingZoneStack))
        throw new Error(
          `${this.spec.id}: stack "${s.node.id}" is not a LandingZoneStack (no spec, no workspace name)`,
        );
      return s;
    });
    // App.synth() prepares them before this stack: wireEdges reuses that. This stack too, so
    // whoever reads the edges after the synth (the overview) does not prepare it again.
    trackPreparation([...this.built, this]);
    const ids = this.built.map((s) => s.spec.id);
    ids.forEach((id, i) => {
      if (id === this.spec.id)
        throw new Error(`${this.spec.id}: stacks must not include the TFC stack itself`);
      if (ids.indexOf(id) !== i) throw new Error(`${this.spec.id}: stack "${id}" is listed twice`);
    });

    // Token from TFE_TOKEN (never in config or synth output).
    new TfeProvider(this, 'tfe', { hostname: tfc.hostname, organization: tfc.organization });

    this.project = new Project(this, 'project', {
      name: tfc.project,
      organization: tfc.organization,
      description: `${env.name} landing zone (${env.prefix}); managed by the ${this.spec.id} stack`,
    });
    this.project.overrideLogicalId('project');

    const vcsInstallation = tfc.vcs
      ? new DataTfeGithubAppInstallation(this, 'github-app', {
          name: tfc.vcs.githubApp.name,
          installationId: tfc.vcs.githubApp.installationId,
        })
      : undefined;

    // Agent pool for runs that must reach private endpoints (platform stacks: the EKS API).
    const onAgents = (kind: string) => tfc.agentPool?.kinds.some((k) => k === kind) ?? false;
    this.agentPool =
      tfc.agentPool && this.built.some((s) => onAgents(s.spec.kind))
        ? new AgentPool(this, 'agent-pool', {
            name: tfc.agentPool.name,
            organization: tfc.organization,
            organizationScoped: false,
          })
        : undefined;

    for (const stack of this.built) {
      const { id, kind, workspace } = stack.spec;
      const ws = tfc.workspaces[id];
      let vcs: TfcWorkspaceVcs | undefined;
      if (tfc.vcs && vcsInstallation) {
        const dir = `cdktf.out/stacks/${id}`; // VCS runs read the committed synth output
        vcs = {
          identifier: tfc.vcs.repository,
          branch: tfc.vcs.branch,
          githubAppInstallationId: vcsInstallation.id,
          workingDirectory: dir,
          triggerPatterns: ws?.triggerPatterns ?? [`${dir}/**/*`],
        };
      }
      this.workspaces[id] = new TfcWorkspace(this, `workspace-${id}`, {
        name: workspace,
        organization: tfc.organization,
        projectId: this.project.id,
        terraformVersion: tfc.terraformVersion,
        description:
          ws?.description ??
          `${env.name}: ${id} stack (${kind}) of the ${env.prefix} landing zone; managed by the ${this.spec.id} stack`,
        tags: {
          ...tfc.tags,
          ...ws?.tags,
          'lz-prefix': env.prefix,
          'lz-stack': id,
          'lz-kind': kind,
        },
        autoApply: ws?.autoApply,
        autoApplyRunTriggers: ws?.autoApplyRunTriggers,
        allowDestroyPlan: ws?.allowDestroyPlan,
        vcs,
        logicalName: id,
      });
      // CLI runs upload the stack folder: never local state or plans in it
      addTerraformIgnore(stack);
    }
    this.stateWorkspace = addStateWorkspace(this, {
      name: this.spec.workspace,
      organization: tfc.organization,
      terraformVersion: tfc.terraformVersion,
      description: `${env.name}: state of the ${this.spec.id} stack (runs locally with TFE_TOKEN); managed by itself`,
      tags: { ...tfc.tags, 'lz-prefix': env.prefix, 'lz-stack': this.spec.id, 'lz-kind': 'tfc' },
      logicalName: this.spec.id,
    });
    if (this.agentPool) {
      const onPool = this.built.filter((s) => onAgents(s.spec.kind)).map((s) => s.spec.id);
      this.agentPoolWorkspaces = new AgentPoolAllowedWorkspaces(this, 'agent-pool-workspaces', {
        agentPoolId: this.agentPool.id,
        allowedWorkspaceIds: onPool.map((id) => this.workspaces[id].id),
      });
      // The allowed-workspaces ID (= the pool ID) orders the permission before the assignment.
      for (const id of onPool) this.workspaces[id].runOnAgentPool(this.agentPoolWorkspaces.id);
      new TerraformOutput(this, AGENT_POOL_OUTPUT, {
        value: this.agentPool.id,
        description:
          'ID of the agent pool the agents register with (create their token for this pool)',
      }).overrideLogicalId(AGENT_POOL_OUTPUT);
    }

    this.globalVariables = landingZoneVariableSet(this, {
      prefix: env.prefix,
      homeRegion: env.homeRegion,
      organization: tfc.organization,
      project: tfc.project,
      projectId: this.project.id,
    });

    const organization = this.built.find((s) => s.spec.kind === 'organization');
    if (tfc.bootstrapPhase === 'initial') {
      // HashiCorp's bootstrap: the first run that creates the OIDC trust runs locally with the
      // operator's own session; no static AWS key is stored in TFC.
      if (organization) this.workspaces[organization.spec.id].runLocally();
    } else {
      if (!organization)
        throw new Error(
          `${this.spec.id}: bootstrapPhase complete needs the organization stack (role ARNs come from its outputs)`,
        );
      // The literal name, not a reference: a pending change to the workspace resource would make
      // every role ARN "known after apply".
      this.managementOutputs = new DataTfeOutputs(this, 'management-outputs', {
        organization: tfc.organization,
        workspace: organization.spec.workspace,
      });
      const roles = this.managementOutputs.nonsensitiveValues;
      // The organization stack's `tfc_roles`: stack ID -> its workspace's role pair (and
      // `aliases.<tag>` for the extra accounts of a TfcMultiAccountStack).
      const roleArn = (id: string, tag: string | undefined, phase: 'plan' | 'apply') =>
        Fn.lookupNested(roles, [
          ORGANIZATION_OUTPUTS.tfcRoles,
          id,
          ...(tag ? ['aliases', tag] : []),
          `${phase}_role_arn`,
        ]) as string;
      for (const stack of this.built) {
        const { id, account } = stack.spec;
        const targets: [string | undefined, string][] = [];
        if (account) targets.push([undefined, account]);
        for (const [tag, acct] of Object.entries(additionalAccounts(stack)))
          targets.push([tag, acct]);
        if (targets.length === 0) continue;
        this.dynamicCredentials[id] = targets.map(
          ([tag]) =>
            new AwsDynamicCredentials(this, `aws-credentials-${id}${tag ? `-${tag}` : ''}`, {
              workspaceId: this.workspaces[id].id,
              planRoleArn: roleArn(id, tag, 'plan'),
              applyRoleArn: roleArn(id, tag, 'apply'),
              tag,
            }),
        );
      }
    }

    this.notifications();
    this.teamAccess();
    if (tfc.ciTeams !== false) {
      this.ciTeams = new TfcCiTeams(this, 'ci-teams', {
        organization: tfc.organization,
        projectId: this.project.id,
        planTeam: tfc.ciTeams.plan ?? `${env.prefix}-ci-plan`,
        applyTeam: tfc.ciTeams.apply ?? `${env.prefix}-ci-apply`,
        outputs: CI_TEAM_OUTPUTS,
      });
    }
  }

  /**
   * The cross-stack edges (stack IDs) the run triggers and state sharing were built from;
   * available once the app is synthesized (or after {@link TfcStack.prepareStack}).
   */
  get edges(): readonly StackIdEdge[] {
    if (!this.wiredEdges)
      throw new Error(
        `${this.spec.id}: edges are known once the app is synthesized (prepareStack)`,
      );
    return this.wiredEdges;
  }

  /**
   * Before the stack is resolved: derive the cross-stack edges from the other stacks (which
   * `crossStackEdges` prepares unless `App.synth()` already did) and add, per edge, state sharing on the producer's
   * workspace and a run trigger on the consumer's. Runs once; `App.synth()` calls it.
   * @throws Error if a stack in the app has no workspace (built after the TFC stack), or if a
   *   stack references the TFC stack or the TFC stack references another stack
   */
  override prepareStack(): void {
    // Every change to this stack's elements happens before `super.prepareStack()`: the synth
    // reuses what that resolves (constructs/shared/resolve-once.ts).
    if (!this.wiredEdges) this.wireEdges();
    super.prepareStack();
    if (this.dependencies.length > 0) {
      throw new Error(
        `${this.spec.id}: the TFC stack must not reference other stacks (it reads ${this.dependencies.map((d) => d.node.id).join(', ')})`,
      );
    }
  }

  private wireEdges(): void {
    const orphans = App.of(this)
      .node.findAll()
      .filter(
        (c): c is TerraformStack =>
          TerraformStack.isStack(c) && c !== this && !this.built.includes(c as LandingZoneStack),
      );
    if (orphans.length > 0) {
      throw new Error(
        `${this.spec.id}: stack(s) ${orphans.map((s) => `"${s.node.id}"`).join(', ')} have no workspace: build the TFC stack after every other stack`,
      );
    }
    const edges = crossStackEdges(this.built).map((e) => ({
      producer: e.producer.node.id,
      consumer: e.consumer.node.id,
    }));
    for (const stack of this.built) {
      const id = stack.spec.id;
      this.workspaces[id].shareStateWith(
        edges.filter((e) => e.producer === id).map((e) => this.workspaces[e.consumer].id),
      );
    }
    const triggers =
      this.env.terraformCloud.runTriggers ?? this.env.terraformCloud.runStyle === 'vcs';
    if (triggers) checkRunTriggerSources(edges, (id) => this.workspaces[id].name);
    for (const e of triggers ? edges : []) {
      const key = `${e.producer}--${e.consumer}`;
      this.runTriggers[key] = new TfcRunTrigger(this, `run-after-${key}`, {
        producerWorkspaceId: this.workspaces[e.producer].id,
        consumerWorkspaceId: this.workspaces[e.consumer].id,
      });
    }
    this.wiredEdges = edges;
  }

  /** Workspace IDs by stack ID for a config list of stack IDs (default: every workspace). */
  private workspaceIds(stackIds?: readonly string[]): Record<string, string> {
    const ids = stackIds ?? Object.keys(this.workspaces);
    return Object.fromEntries(
      ids.map((id) => {
        const ws = this.workspaces[id];
        if (!ws)
          throw new Error(
            `${this.spec.id}: stack "${id}" is named in terraformCloud but the app does not build it`,
          );
        return [id, ws.id];
      }),
    );
  }

  private notifications(): void {
    addConfiguredNotifications(this, {
      prefix: this.env.prefix,
      terraformCloud: this.env.terraformCloud,
      workspaceIds: (ids) => this.workspaceIds(ids),
    });
  }

  private teamAccess(): void {
    const tfc = this.env.terraformCloud;
    for (const [team, t] of Object.entries(tfc.teamAccess)) {
      new TfcTeamAccess(this, `team-${team}`, {
        team,
        organization: tfc.organization,
        access: t.access,
        workspaceIds: this.workspaceIds(t.workspaces),
      });
    }
  }
}

/** The {@link TfcMultiAccountStack} hook of a stack, or `{}`. */
function additionalAccounts(stack: LandingZoneStack): Readonly<Record<string, string>> {
  const hook = (stack as Partial<TfcMultiAccountStack>).tfcAdditionalAwsAccounts;
  return hook ?? {};
}
