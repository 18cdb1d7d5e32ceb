/**
 * AWS dynamic provider credentials for one workspace: the environment variables that make TFC
 * exchange its workload identity token for a plan role (plan phase) and an apply role (apply
 * phase): `TFC_AWS_PROVIDER_AUTH`, `TFC_AWS_PLAN_ROLE_ARN`, `TFC_AWS_APPLY_ROLE_ARN`.
 *
 * With a `tag`, the variables get the `_<tag>` suffix (`TFC_AWS_PLAN_ROLE_ARN_<tag>`…): an
 * additional configuration for a second account the same workspace reaches, consumed by an
 * aliased AWS provider through `var.tfc_aws_dynamic_credentials.aliases["<tag>"]`.
 *
 * Sources:
 * - https://developer.hashicorp.com/terraform/cloud-docs/workspaces/dynamic-provider-credentials/aws-configuration
 * - https://developer.hashicorp.com/terraform/cloud-docs/workspaces/dynamic-provider-credentials/specifying-multiple-configurations
 *   (tags: letters, digits and underscores; `TYPE` is reserved)
 */
import { Construct } from 'constructs';
import { Variable } from '@cdktf/provider-tfe/lib/variable';

/** The variable names TFC's AWS dynamic credentials read. */
export const TFC_AWS_VARIABLES = {
  providerAuth: 'TFC_AWS_PROVIDER_AUTH',
  planRoleArn: 'TFC_AWS_PLAN_ROLE_ARN',
  applyRoleArn: 'TFC_AWS_APPLY_ROLE_ARN',
} as const;

export interface AwsDynamicCredentialsProps {
  /** The workspace ID. */
  readonly workspaceId: string;
  /** ARN of the role assumed in plan runs (read-only). */
  readonly planRoleArn: string;
  /** ARN of the role assumed in apply runs. */
  readonly applyRoleArn: string;
  /**
   * Configuration tag for an additional account (default none: the plain variable names, used
   * by the default AWS provider).
   */
  readonly tag?: string;
}

/** `TFC_AWS_PROVIDER_AUTH[_tag]=true` plus plan and apply role ARNs on one workspace. */
export class AwsDynamicCredentials extends Construct {
  /** Variables by name (`TFC_AWS_PROVIDER_AUTH[_tag]`…). */
  readonly variables: Record<string, Variable> = {};

  /**
   * @throws Error if `tag` is not letters, digits and underscores, or is the reserved `TYPE`
   */
  constructor(scope: Construct, id: string, props: AwsDynamicCredentialsProps) {
    super(scope, id);
    if (props.tag !== undefined && (!/^[A-Za-z0-9_]+$/.test(props.tag) || props.tag === 'TYPE')) {
      throw new Error(
        `${id}: tag "${props.tag}" must be letters, digits or underscores and not the reserved TYPE`,
      );
    }
    const suffix = props.tag ? `_${props.tag}` : '';
    const entries: [string, string, string][] = [
      [TFC_AWS_VARIABLES.providerAuth, 'true', 'Use TFC dynamic credentials for AWS'],
      [TFC_AWS_VARIABLES.planRoleArn, props.planRoleArn, 'Role assumed in plan runs (read-only)'],
      [TFC_AWS_VARIABLES.applyRoleArn, props.applyRoleArn, 'Role assumed in apply runs'],
    ];
    for (const [name, value, description] of entries) {
      const key = `${name}${suffix}`;
      this.variables[key] = new Variable(this, key, {
        workspaceId: props.workspaceId,
        key,
        value,
        category: 'env',
        sensitive: false,
        description,
      });
    }
  }
}
