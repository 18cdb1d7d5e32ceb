/**
 * Keyless Terraform Cloud access to one AWS account: the TFC OIDC identity provider and a
 * plan role (read-only) and an apply role, each trusting only the named workspaces in the
 * matching run phase.
 *
 * Source: https://developer.hashicorp.com/terraform/cloud-docs/workspaces/dynamic-provider-credentials/aws-configuration
 */
import { Construct } from 'constructs';
import {
  DataAwsIamPolicyDocument,
  type DataAwsIamPolicyDocumentStatement,
} from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import type { TerraformProvider } from 'cdktf';

/** The audience TFC puts in its workload identity tokens by default. */
export const TFC_AUDIENCE = 'aws.workload.identity';

/** The run phases a TFC workload identity token names in its `sub` claim. */
export type RunPhase = 'plan' | 'apply';

/**
 * The `sub` claim of a TFC workload identity token:
 * `organization:<org>:project:<project>:workspace:<workspace>:run_phase:<phase>`.
 * @throws Error if any part is empty or contains `*` (a wildcard would admit other workspaces)
 */
export function tfcSubject(
  organization: string,
  project: string,
  workspace: string,
  phase: RunPhase,
): string {
  for (const [field, value] of Object.entries({ organization, project, workspace })) {
    if (!value || value.includes('*'))
      throw new Error(`tfcSubject: ${field} "${value}" must be non-empty and free of wildcards`);
  }
  return `organization:${organization}:project:${project}:workspace:${workspace}:run_phase:${phase}`;
}

export interface TfcOidcRolesProps {
  /** TFC hostname, also the issuer (default `app.terraform.io`). */
  readonly hostname?: string;
  /** TFC organization. */
  readonly organization: string;
  /** TFC project. */
  readonly project: string;
  /** Workspaces admitted (exact names); must not be empty. */
  readonly workspaces: readonly string[];
  /** Role name prefix: roles are `<namePrefix>-plan` and `<namePrefix>-apply`. */
  readonly namePrefix: string;
  /** Managed policies of the plan role (default: `ReadOnlyAccess`). */
  readonly planPolicyArns?: readonly string[];
  /** Managed policies of the apply role (default: `AdministratorAccess`). */
  readonly applyPolicyArns?: readonly string[];
  /**
   * Extra permissions of the plan role beyond its managed policies, as policy-document
   * statements (default none), e.g. `secretsmanager:GetRandomPassword` for stacks whose plan
   * opens an ephemeral random password.
   */
  readonly planStatements?: readonly DataAwsIamPolicyDocumentStatement[];
  /** Maximum session, seconds (default 3600; TFC runs re-assume per phase). */
  readonly maxSessionDuration?: number;
  /** Provider (account) to create the resources with; default: the stack's default provider. */
  readonly provider?: TerraformProvider;
}

/** OIDC provider plus plan and apply roles for a set of TFC workspaces. */
export class TfcOidcRoles extends Construct {
  readonly oidcProvider: IamOpenidConnectProvider;
  readonly planRole: IamRole;
  readonly applyRole: IamRole;

  constructor(scope: Construct, id: string, props: TfcOidcRolesProps) {
    super(scope, id);
    if (props.workspaces.length === 0)
      throw new Error(`${id}: workspaces must name at least one workspace`);
    const host = props.hostname ?? 'app.terraform.io';
    const provider = props.provider;
    this.oidcProvider = new IamOpenidConnectProvider(this, 'oidc-provider', {
      provider,
      url: `https://${host}`,
      clientIdList: [TFC_AUDIENCE],
    });
    const role = (phase: RunPhase, policies: readonly string[]): IamRole => {
      const trust = new DataAwsIamPolicyDocument(this, `${phase}-trust`, {
        provider,
        statement: [
          {
            sid: `TerraformCloud${phase === 'plan' ? 'Plan' : 'Apply'}`,
            effect: 'Allow',
            actions: ['sts:AssumeRoleWithWebIdentity'],
            principals: [{ type: 'Federated', identifiers: [this.oidcProvider.arn] }],
            condition: [
              { test: 'StringEquals', variable: `${host}:aud`, values: [TFC_AUDIENCE] },
              {
                test: 'StringEquals',
                variable: `${host}:sub`,
                values: props.workspaces.map((w) =>
                  tfcSubject(props.organization, props.project, w, phase),
                ),
              },
            ],
          },
        ],
      });
      const r = new IamRole(this, `${phase}-role`, {
        provider,
        name: `${props.namePrefix}-${phase}`,
        description: `Terraform Cloud ${phase} runs of ${props.workspaces.join(', ')}`,
        assumeRolePolicy: trust.json,
        maxSessionDuration: props.maxSessionDuration ?? 3600,
      });
      policies.forEach((arn) => {
        new IamRolePolicyAttachment(this, `${phase}-${arn.split('/').pop()}`, {
          provider,
          role: r.name,
          policyArn: arn,
        });
      });
      return r;
    };
    this.planRole = role(
      'plan',
      props.planPolicyArns ?? ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
    );
    this.applyRole = role(
      'apply',
      props.applyPolicyArns ?? ['arn:aws:iam::aws:policy/AdministratorAccess'],
    );
    if (props.planStatements && props.planStatements.length > 0) {
      const extra = new DataAwsIamPolicyDocument(this, 'plan-extra', {
        provider,
        statement: [...props.planStatements],
      });
      new IamRolePolicy(this, 'plan-extra-policy', {
        provider,
        role: this.planRole.name,
        name: 'plan-extra',
        policy: extra.json,
      });
    }
  }
}
