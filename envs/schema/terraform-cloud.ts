/**
 * `terraformCloud`: the Terraform Cloud (HCP Terraform) organization and project the stacks
 * run in, and the settings of the workspaces the TFC bootstrap stack (`stacks/tfc-stack.ts`)
 * creates: run style (CLI- or VCS-driven), bootstrap phase, per-workspace settings,
 * notifications and team access.
 *
 * Secrets never live here: notification URLs and tokens are sensitive Terraform variables of
 * the TFC stack, supplied at apply time (`TF_VAR_…`) and passed to write-only arguments where
 * tfe 0.71 has one. No AWS credential is ever stored in TFC: bootstrap phase `initial` runs the
 * management workspace locally instead. See docs/terraform-cloud.md.
 */
import { z } from 'zod';
import { email, issue, namedRecord } from './common';

/**
 * Workspace tag key: letters, digits, `_`, `-`, `.`, `:`, starting with a letter or digit,
 * at most 128 characters.
 * Source: https://developer.hashicorp.com/terraform/cloud-docs/workspaces/tags
 */
const tagKey = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/,
    'must be 1-128 letters, digits, "_", "-", ".", ":", starting with a letter or digit',
  );

/** Workspace tags (key-value; values up to 256 characters). */
const tfcTags = z.record(tagKey, z.string().max(256));

/** A stack ID as in `planStacks` (`organization`, `security`, `account-<key>`, `network`, `cluster-<name>`, `platform-<name>`). */
const stackId = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,63}$/, 'must be a stack ID (lowercase letters, digits, hyphens)');

/** Settings of one workspace (a key of `terraformCloud.workspaces` is a stack ID). */
export const workspaceSettingsSchema = z
  .object({
    autoApply: z
      .boolean()
      .default(false)
      .describe(
        'Apply runs without confirmation (default `false`: a human confirms every apply in TFC).',
      ),
    autoApplyRunTriggers: z
      .boolean()
      .default(false)
      .describe(
        'Apply runs started by a run trigger (a producer stack applied) without confirmation (default `false`).',
      ),
    description: z
      .string()
      .min(1)
      .max(512)
      .optional()
      .describe(
        'Workspace description (default: `<name>: <stack> stack (<kind>), managed by the tfc stack`).',
      ),
    tags: tfcTags
      .default({})
      .describe(
        'Extra key-value tags, merged over `terraformCloud.tags` and the built-in `lz-*` tags.',
      ),
    triggerPatterns: z
      .array(z.string().min(1))
      .min(1)
      .optional()
      .describe(
        'VCS runs only: glob patterns (relative to the repository root) whose changes start a run (default: `cdktf.out/stacks/<stack>/**` and nothing else). Source: https://developer.hashicorp.com/terraform/cloud-docs/workspaces/settings/vcs#automatic-run-triggering',
      ),
    allowDestroyPlan: z
      .boolean()
      .default(false)
      .describe(
        'Allow destroy plans from the UI/API (default `false`: tearing down needs this set first).',
      ),
  })
  .strict();

/**
 * The GitHub App installation VCS workspaces connect through; exactly one of `name` (the GitHub
 * organization or user the HCP Terraform GitHub App is installed on) or `installationId`
 * (GitHub's numeric installation ID). Resolved with the `tfe_github_app_installation` data source.
 * Source: https://registry.terraform.io/providers/hashicorp/tfe/0.71.0/docs/data-sources/github_app_installation
 */
const githubAppSchema = z
  .object({
    name: z
      .string()
      .min(1)
      .optional()
      .describe('GitHub organization or user name the app is installed on.'),
    installationId: z
      .number()
      .int()
      .positive()
      .optional()
      .describe("GitHub's installation ID (a positive integer)."),
  })
  .strict();

/** VCS-driven runs (only with `runStyle: vcs`). */
export const vcsSchema = z
  .object({
    repository: z
      .string()
      .regex(/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/, 'must be a GitHub repository "<owner>/<repo>"')
      .describe(
        'GitHub repository `<owner>/<repo>` holding this app (with `cdktf.out/` committed, see docs).',
      ),
    branch: z
      .string()
      .min(1)
      .default('main')
      .describe(
        'Branch TFC applies from (default `main`); other branches get speculative plans on pull requests.',
      ),
    githubApp: githubAppSchema.describe('The HCP Terraform GitHub App installation.'),
  })
  .strict();

/**
 * Notification triggers TFC knows.
 * Source: https://registry.terraform.io/providers/hashicorp/tfe/0.71.0/docs/resources/notification_configuration
 */
export const NOTIFICATION_TRIGGERS = [
  'run:created',
  'run:planning',
  'run:needs_attention',
  'run:applying',
  'run:completed',
  'run:errored',
  'assessment:check_failure',
  'assessment:drifted',
  'assessment:failed',
] as const;

/** Notification destination types, as TFC names them (`generic` is a signed webhook). */
export const NOTIFICATION_DESTINATIONS = ['email', 'slack', 'microsoft-teams', 'generic'] as const;

/**
 * One notification configuration, created on every selected workspace. The URL of `slack`,
 * `microsoft-teams` and `generic` destinations (and the HMAC token of `generic`) are sensitive
 * variables of the TFC stack, never config: `notification_<name>_url`, `notification_<name>_token`
 * (hyphens in `<name>` become underscores).
 */
export const notificationSchema = z
  .object({
    destinationType: z.enum(NOTIFICATION_DESTINATIONS),
    triggers: z
      .array(z.enum(NOTIFICATION_TRIGGERS))
      .min(1)
      .default(['run:needs_attention', 'run:errored'])
      .describe('Events that notify (default: `run:needs_attention`, `run:errored`).'),
    emailUsers: z
      .array(email)
      .min(1)
      .optional()
      .describe(
        '`email` only: the emails of organization members to notify (resolved to user IDs; HCP Terraform mails members only).',
      ),
    signed: z
      .boolean()
      .default(true)
      .describe('`generic` only: sign payloads with an HMAC token (default `true`).'),
    workspaces: z
      .array(stackId)
      .min(1)
      .optional()
      .describe('Stack IDs whose workspaces notify (default: every workspace).'),
    enabled: z
      .boolean()
      .default(true)
      .describe('Whether the configuration is enabled (default `true`).'),
  })
  .strict();

/**
 * Workspace access levels of a team.
 * Source: https://developer.hashicorp.com/terraform/cloud-docs/users-teams-organizations/permissions
 */
export const TEAM_ACCESS_LEVELS = ['read', 'plan', 'write', 'admin'] as const;

/** Access of one existing TFC team (the key is the team's name) to the workspaces. */
export const teamAccessSchema = z
  .object({
    access: z.enum(TEAM_ACCESS_LEVELS),
    workspaces: z
      .array(stackId)
      .min(1)
      .optional()
      .describe('Stack IDs whose workspaces the team gets (default: every workspace).'),
  })
  .strict();

/** TFC team names: letters, digits, `-`, `_` (the `owners` team is implicit). */
const teamName = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a TFC team name (letters, digits, "-", "_")');

export const terraformCloudSchema = z
  .object({
    hostname: z
      .string()
      .default('app.terraform.io')
      .describe('TFC hostname (default `app.terraform.io`); also the OIDC issuer host.'),
    organization: z
      .string()
      .regex(/^[A-Za-z0-9_-]{3,40}$/, 'must be 3-40 letters, digits, underscores or hyphens')
      .describe('TFC organization name (must exist; the TFC stack creates everything inside it).'),
    project: z
      .string()
      .regex(
        /^[A-Za-z0-9 _-]{3,40}$/,
        'must be 3-40 letters, digits, spaces, underscores or hyphens',
      )
      .describe(
        'TFC project that holds every workspace of this landing zone (created by the TFC stack).',
      ),
    terraformVersion: z
      .string()
      .regex(/^\d+\.\d+\.\d+$/, 'must be an exact version like 1.11.4')
      .refine(
        (v) => {
          if (!/^\d+\.\d+\.\d+$/.test(v)) return true; // the format rule above reports it
          const [major, minor] = v.split('.').map(Number);
          return major > 1 || (major === 1 && minor >= 11);
        },
        {
          message: 'must be 1.11.0 or newer (ephemeral resources and write-only arguments need it)',
        },
      )
      .describe('Terraform version pinned on every workspace (exact `x.y.z`).'),
    bootstrapPhase: z
      .enum(['initial', 'complete'])
      .default('complete')
      .describe(
        "Bootstrap phase of the TFC stack (default `complete`): - `initial`: no role exists yet; the workspace of the stack that creates the OIDC provider and roles (`organization`) runs in `local` execution mode, so its first `cdktf deploy` runs on the operator's machine with the operator's own AWS session (state still kept in the workspace). No AWS credential is ever stored in TFC (HashiCorp's bootstrap: https://developer.hashicorp.com/terraform/tutorials/cloud/dynamic-credentials, \"create the trust relationship by running Terraform commands locally\"); no workspace gets dynamic credentials yet; - `complete`: that workspace runs remotely again; every AWS workspace gets dynamic credentials whose role ARNs are read from the organization workspace's `tfc_roles` output.",
      ),
    stateBackend: z
      .enum(['local', 'workspace'])
      .default('local')
      .describe(
        "Where the TFC stack keeps its own state (default `local`): - `local`: `terraform.tfc.<prefix>.tfstate` in the project root (or in the directory of the `LZ_TFC_STATE_DIR` environment variable), whatever the output folder; the documented first step only (no locking, one operator); - `workspace`: the workspace `<prefix>-tfc` (in the organization's default project, outside the landing-zone project the CI teams reach), which the TFC stack itself creates in `local` execution mode: runs stay on the operator's machine with `TFE_TOKEN`, state is locked and versioned in TFC. Switch after the first apply and push the local state into it (`terraform state push`, docs/terraform-cloud.md).",
      ),
    runTriggers: z
      .boolean()
      .optional()
      .describe(
        "Run triggers along the cross-stack references (default and only allowed value with `runStyle: cli`: off; default with `vcs`: on). With CLI runs, CI's `cdktf deploy` already runs each consumer after its producers with the new configuration; a run trigger would queue a second run of the consumer's previous configuration in the middle of that deploy.",
      ),
    ciTeams: z
      .union([
        z.literal(false),
        z
          .object({
            plan: teamName
              .optional()
              .describe('Name of the plan-only team (default `<prefix>-ci-plan`).'),
            apply: teamName
              .optional()
              .describe('Name of the apply team (default `<prefix>-ci-apply`).'),
          })
          .strict(),
      ])
      .default({})
      .describe(
        'The two CI teams the TFC stack creates and grants on the landing-zone project (default `<prefix>-ci-plan` and `<prefix>-ci-apply`): `plan` gets custom project access with `runs = plan` (speculative plans for pull requests; cannot apply), `apply` gets `write` (the main-branch deploy). Their team tokens are minted by an operator, never by Terraform (docs/terraform-cloud.md, "CI tokens"). `false` creates no teams. Source: https://registry.terraform.io/providers/hashicorp/tfe/0.71.0/docs/resources/team_project_access',
      ),
    runStyle: z
      .enum(['cli', 'vcs'])
      .default('cli')
      .describe(
        'How runs start (default `cli`): `cli` = `cdktf deploy <stack>` uploads the synthesized stack; `vcs` = TFC runs `cdktf.out/stacks/<stack>` from the repository in `vcs`.',
      ),
    vcs: vcsSchema
      .optional()
      .describe(
        'Repository and GitHub App of VCS-driven runs (required with `runStyle: vcs`, else unset).',
      ),
    tags: tfcTags
      .default({})
      .describe(
        'Key-value tags on every workspace (default none; `lz-prefix`, `lz-stack`, `lz-kind` are always added).',
      ),
    workspaces: z
      .record(stackId, workspaceSettingsSchema)
      .default({})
      .describe(
        'Per-workspace settings, by stack ID (default: every workspace uses the defaults).',
      ),
    agentPool: z
      .object({
        name: z
          .string()
          .regex(/^[A-Za-z0-9_-]{1,90}$/, 'must be letters, digits, "-" or "_"')
          .describe('Pool name, e.g. `acme-vpc-agents`.'),
        kinds: z
          .array(z.enum(['organization', 'security', 'account', 'network', 'cluster', 'platform']))
          .min(1)
          .default(['platform'])
          .describe(
            'Kinds of stacks whose workspaces run on the pool (default `[platform]`: they talk to the private EKS API).',
          ),
      })
      .strict()
      .optional()
      .describe(
        'An HCP Terraform agent pool for runs that must reach private endpoints (default none). The TFC stack creates the pool, allows it to the workspaces of the stack kinds listed, and sets those workspaces to `agent` execution. The agents themselves (tfc-agent in the VPC, token created by an operator) are run outside this app; see docs/terraform-cloud.md. Source: https://developer.hashicorp.com/terraform/cloud-docs/agents',
      ),
    notifications: namedRecord(notificationSchema)
      .default({})
      .describe('Notification configurations by name (default none).'),
    teamAccess: z
      .record(teamName, teamAccessSchema)
      .default({})
      .describe('Workspace access of existing teams, by team name (default none).'),
  })
  .strict()
  .superRefine((tfc, ctx) => {
    if (tfc.runStyle === 'vcs' && !tfc.vcs) issue(ctx, ['vcs'], 'is required with runStyle: vcs');
    if (tfc.runStyle === 'cli' && tfc.vcs)
      issue(ctx, ['vcs'], 'is only used with runStyle: vcs (remove it or set runStyle: vcs)');
    if (tfc.vcs) {
      const app = tfc.vcs.githubApp;
      if ((app.name === undefined) === (app.installationId === undefined)) {
        issue(ctx, ['vcs', 'githubApp'], 'set exactly one of name or installationId');
      }
    }
    if (tfc.runTriggers === true && tfc.runStyle === 'cli')
      issue(
        ctx,
        ['runTriggers'],
        "is refused with runStyle: cli: CI's cdktf deploy orders the stacks, and a triggered run of a consumer's previous configuration would wait for confirmation and block the run the deploy uploads next",
      );
    const triggers = tfc.runTriggers ?? tfc.runStyle === 'vcs';
    for (const [id, ws] of Object.entries(tfc.workspaces)) {
      if (ws.triggerPatterns && tfc.runStyle !== 'vcs') {
        issue(ctx, ['workspaces', id, 'triggerPatterns'], 'is only used with runStyle: vcs');
      }
      if (ws.autoApplyRunTriggers && !triggers)
        issue(ctx, ['workspaces', id, 'autoApplyRunTriggers'], 'needs runTriggers: true');
      if (ws.autoApplyRunTriggers && tfc.runStyle === 'cli')
        issue(
          ctx,
          ['workspaces', id, 'autoApplyRunTriggers'],
          "is refused with runStyle: cli: a triggered run would apply the consumer's previous configuration in the middle of CI's deploy",
        );
    }
    if (tfc.ciTeams && tfc.ciTeams.plan !== undefined && tfc.ciTeams.plan === tfc.ciTeams.apply)
      issue(ctx, ['ciTeams', 'apply'], 'must differ from ciTeams.plan');
    for (const [key, n] of Object.entries(tfc.notifications)) {
      if (n.destinationType === 'email' && !n.emailUsers) {
        issue(ctx, ['notifications', key, 'emailUsers'], 'is required with destinationType: email');
      }
      if (n.destinationType !== 'email' && n.emailUsers) {
        issue(
          ctx,
          ['notifications', key, 'emailUsers'],
          'is only used with destinationType: email',
        );
      }
    }
  });

export type TerraformCloudConfig = z.output<typeof terraformCloudSchema>;
export type TfcWorkspaceSettings = z.output<typeof workspaceSettingsSchema>;
export type TfcNotification = z.output<typeof notificationSchema>;
export type TfcTeamAccess = z.output<typeof teamAccessSchema>;
export type TfcVcs = z.output<typeof vcsSchema>;
