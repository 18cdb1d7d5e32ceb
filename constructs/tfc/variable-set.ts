/**
 * A Terraform Cloud variable set: the set, its variables, and its attachments to projects
 * and/or workspaces (never organization-wide: `global` stays `false`, so a shared organization
 * is not affected).
 *
 * Sources:
 * - https://registry.terraform.io/providers/hashicorp/tfe/0.71.0/docs/resources/variable_set
 * - https://registry.terraform.io/providers/hashicorp/tfe/0.71.0/docs/resources/variable
 * - https://registry.terraform.io/providers/hashicorp/tfe/0.71.0/docs/resources/project_variable_set
 * - https://registry.terraform.io/providers/hashicorp/tfe/0.71.0/docs/resources/workspace_variable_set
 */
import { Construct } from 'constructs';
import { VariableSet } from '@cdktf/provider-tfe/lib/variable-set';
import { Variable } from '@cdktf/provider-tfe/lib/variable';
import { ProjectVariableSet } from '@cdktf/provider-tfe/lib/project-variable-set';
import { WorkspaceVariableSet } from '@cdktf/provider-tfe/lib/workspace-variable-set';

/** One variable of a set. */
export interface TfcVariable {
  /** Variable name (environment variable name for `env`). */
  readonly key: string;
  /**
   * Value. For `sensitive` variables pass a token (e.g. a sensitive `TerraformVariable`'s
   * `stringValue`), never a literal: literals end up in the synthesized JSON.
   */
  readonly value: string;
  /** `env` (an environment variable of the run) or `terraform` (an input variable); default `env`. */
  readonly category?: 'env' | 'terraform';
  /** Write-once, never shown again in TFC (default `false`). */
  readonly sensitive?: boolean;
  /** Description (default none). */
  readonly description?: string;
}

export interface TfcVariableSetProps {
  /** Set name, unique in the organization. */
  readonly name: string;
  /** TFC organization. */
  readonly organization: string;
  /** Description (default none). */
  readonly description?: string;
  /** The variables; keys must be unique. */
  readonly variables: readonly TfcVariable[];
  /** Projects (IDs) whose every workspace gets the set (default none). */
  readonly projectIds?: Readonly<Record<string, string>>;
  /** Workspaces (logical key → ID) that get the set (default none). */
  readonly workspaceIds?: Readonly<Record<string, string>>;
}

/** A variable set attached to named projects and workspaces. */
export class TfcVariableSet extends Construct {
  /** The `tfe_variable_set` (`global = false`). */
  readonly variableSet: VariableSet;
  /** Variables by key. */
  readonly variables: Record<string, Variable> = {};

  /**
   * @throws Error if two variables share a key
   */
  constructor(scope: Construct, id: string, props: TfcVariableSetProps) {
    super(scope, id);
    this.variableSet = new VariableSet(this, 'set', {
      name: props.name,
      organization: props.organization,
      description: props.description,
      global: false,
    });
    for (const v of props.variables) {
      if (this.variables[v.key]) throw new Error(`${id}: duplicate variable "${v.key}"`);
      this.variables[v.key] = new Variable(this, `var-${v.key}`, {
        variableSetId: this.variableSet.id,
        key: v.key,
        value: v.value,
        category: v.category ?? 'env',
        sensitive: v.sensitive ?? false,
        description: v.description,
      });
    }
    for (const [key, projectId] of Object.entries(props.projectIds ?? {})) {
      new ProjectVariableSet(this, `project-${key}`, {
        projectId,
        variableSetId: this.variableSet.id,
      });
    }
    for (const [key, workspaceId] of Object.entries(props.workspaceIds ?? {})) {
      new WorkspaceVariableSet(this, `workspace-${key}`, {
        workspaceId,
        variableSetId: this.variableSet.id,
      });
    }
  }

  /** The variable set ID (`varset-…`). */
  get id(): string {
    return this.variableSet.id;
  }
}

/** Inputs of {@link landingZoneVariableSet}. */
export interface LandingZoneVariableSetProps {
  /** Environment prefix (names the set `<prefix>-landing-zone`, value of `LZ_PREFIX`). */
  readonly prefix: string;
  /** Home region (`AWS_REGION`). */
  readonly homeRegion: string;
  /** TFC organization (`LZ_TFC_ORGANIZATION`). */
  readonly organization: string;
  /** TFC project name (`LZ_TFC_PROJECT`). */
  readonly project: string;
  /** ID of that project: the set is attached to it (never organization-global). */
  readonly projectId: string;
}

/**
 * The shared, non-secret inputs of every landing-zone workspace (`AWS_REGION`, `LZ_PREFIX`,
 * `LZ_TFC_ORGANIZATION`, `LZ_TFC_PROJECT`) as a variable set attached to the project.
 */
export function landingZoneVariableSet(
  scope: Construct,
  props: LandingZoneVariableSetProps,
): TfcVariableSet {
  return new TfcVariableSet(scope, 'global-variables', {
    name: `${props.prefix}-landing-zone`,
    organization: props.organization,
    description: `Shared inputs of every ${props.prefix} landing-zone workspace`,
    variables: [
      {
        key: 'AWS_REGION',
        value: props.homeRegion,
        description: 'Home region (stacks pin their own region too)',
      },
      { key: 'LZ_PREFIX', value: props.prefix, description: 'Landing-zone resource prefix' },
      { key: 'LZ_TFC_ORGANIZATION', value: props.organization, description: 'TFC organization' },
      { key: 'LZ_TFC_PROJECT', value: props.project, description: 'TFC project' },
    ],
    projectIds: { [props.project.replace(/[^A-Za-z0-9_-]/g, '_')]: props.projectId },
  });
}
