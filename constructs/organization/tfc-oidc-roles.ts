/**
 * Keyless Terraform Cloud access: one plan role (read-only, no secret reads, no role
 * assumption) and one apply role per workspace, each trusting exactly that workspace in that
 * run phase. The same policy documents serve the management account's plain IAM resources
 * ({@link TfcOidcRoles}) and the member accounts' CloudFormation StackSet templates
 * (`identity-stackset.ts`), so both places grant the same.
 *
 * Source: https://developer.hashicorp.com/terraform/cloud-docs/workspaces/dynamic-provider-credentials/aws-configuration
 * (provider URL `https://<host>`, audience `aws.workload.identity`, condition keys
 * `<host>:aud` and `<host>:sub`, `sub` = `organization:ORG:project:PROJECT:workspace:WS:run_phase:PHASE`,
 * "if different permissions are desired for plan and apply, then two separate roles").
 */
import { Construct } from 'constructs';
import {
  DataAwsIamPolicyDocument,
  type DataAwsIamPolicyDocumentStatement,
} from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import type { RunPhase, StackKind } from '../../envs/stack-plan';
import { dnsReaderRoleArnPattern } from '../network/dns-delegation';

export type { RunPhase } from '../../envs/stack-plan';

/** The audience TFC puts in its workload identity tokens by default. */
export const TFC_AUDIENCE = 'aws.workload.identity';

/** The managed policy every plan role gets. */
export const READ_ONLY_ACCESS = 'arn:aws:iam::aws:policy/ReadOnlyAccess';
/** The managed policy apply roles get unless a stack needs less. */
export const ADMINISTRATOR_ACCESS = 'arn:aws:iam::aws:policy/AdministratorAccess';

/**
 * IAM quotas the roles are built to stay within.
 * Sources: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
 * ("Role trust policy length | 2048 characters", whitespace not counted) and
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html (Description
 * "Maximum length of 1000").
 */
export const IAM_LIMITS = { trustPolicy: 2048, description: 1000 } as const;

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

/** An IAM policy statement in the JSON shape IAM and CloudFormation take. */
export interface IamStatement {
  readonly Sid: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: readonly string[];
  /** The resources the statement applies to (exactly one of `Resource` and `NotResource`). */
  readonly Resource?: readonly string[] | string;
  /** Every resource except these (exactly one of `Resource` and `NotResource`). */
  readonly NotResource?: readonly string[];
}

/**
 * What every plan role is denied on top of `ReadOnlyAccess`, which grants data reads such as
 * `s3:Get*` (object contents), `ssm:Get*` (parameter values), `sqs:Receive*`, `lambda:Get*`
 * (code URLs, environment), `logs:Get*`, `rds:Download*`, `codecommit:GitPull`,
 * `cognito-identity:GetCredentialsForIdentity` and `sts:GetSessionToken` (zoph-io/MAMIP
 * `policies/ReadOnlyAccess`; https://docs.aws.amazon.com/aws-managed-policy/latest/reference/ReadOnlyAccess.html).
 * `secretsmanager:GetSecretValue` and `kms:Decrypt` are not in it and denied anyway, so no
 * resource or key policy can grant them to a plan. A plan role also cannot assume any role:
 * a speculative plan runs code (external data sources), so it must never become an
 * administrator anywhere.
 */
export function planDenyStatements(prefix: string): readonly IamStatement[] {
  return [
    {
      Sid: 'DenySecretAndDataReads',
      Effect: 'Deny',
      Action: [
        'secretsmanager:GetSecretValue',
        'secretsmanager:BatchGetSecretValue',
        'ssm:GetParameter',
        'ssm:GetParameters',
        'ssm:GetParametersByPath',
        'ssm:GetParameterHistory',
        'kms:Decrypt',
        'kms:GenerateDataKey*',
        'kms:ReEncrypt*',
        's3:GetObject',
        's3:GetObjectVersion',
        'sqs:ReceiveMessage',
        'logs:GetLogEvents',
        'logs:FilterLogEvents',
        'logs:StartQuery',
        'lambda:GetFunction',
        'codecommit:GitPull',
        'rds:DownloadDBLogFilePortion',
        'rds:DownloadCompleteDBLogFile',
        'cognito-identity:GetCredentialsForIdentity',
        'codeartifact:GetAuthorizationToken',
        'ecr:GetAuthorizationToken',
        'ecr:BatchGetImage',
        'ecr:GetDownloadUrlForLayer',
      ],
      Resource: '*',
    },
    {
      // The one role a plan may assume: a cluster stack's read-only DNS delegation role in the
      // network account (`<prefix>-<cluster>-dns-reader`, Route 53 reads only; see
      // constructs/network/dns-delegation.ts).
      Sid: 'DenyRoleAssumptionExceptDnsReader',
      Effect: 'Deny',
      Action: ['sts:AssumeRole'],
      NotResource: [dnsReaderRoleArnPattern(prefix)],
    },
    {
      Sid: 'DenyRoleAssumptionAndTokens',
      Effect: 'Deny',
      Action: [
        'sts:AssumeRoleWithSAML',
        'sts:AssumeRoleWithWebIdentity',
        'sts:GetSessionToken',
        'sts:GetFederationToken',
        'iam:PassRole',
      ],
      Resource: '*',
    },
  ];
}

/** The name of the customer-managed policy holding {@link planDenyStatements} in every account. */
export function planDenyPolicyName(prefix: string): string {
  return `${prefix}-tfc-plan-deny`;
}

/**
 * What a plan role needs beyond `ReadOnlyAccess`, by the kind of stack its workspace runs:
 * - platform plans open the ephemeral `aws_secretsmanager_random_password` (generated database
 *   and Grafana passwords), which calls `secretsmanager:GetRandomPassword` (not
 *   resource-scoped, returns a fresh random string, reads nothing;
 *   https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetRandomPassword.html);
 * - cluster plans read a parent zone in the network account through its read-only DNS
 *   delegation role ({@link dnsReaderRoleArnPattern}): the one role assumption
 *   {@link planDenyStatements} leaves open.
 * @param kind the stack kind of the workspace
 * @param prefix the environment's `prefix`
 */
export function planStatementsFor(kind: StackKind, prefix: string): IamStatement[] {
  switch (kind) {
    case 'platform':
      return [
        {
          Sid: 'GenerateRandomPasswords',
          Effect: 'Allow',
          Action: ['secretsmanager:GetRandomPassword'],
          Resource: '*',
        },
      ];
    case 'cluster':
      return [
        {
          Sid: 'AssumeDnsDelegationReaderRoles',
          Effect: 'Allow',
          Action: ['sts:AssumeRole'],
          Resource: [dnsReaderRoleArnPattern(prefix)],
        },
      ];
    default:
      return [];
  }
}

/** One workspace's role pair, as both the plain resources and the StackSet templates build it. */
export interface WorkspaceRoleSpec {
  /** Stack ID (`organization`, `account-production`, `cluster-main-01`…). */
  readonly stackId: string;
  /** TFC workspace name (exact, no wildcard). */
  readonly workspace: string;
  /** Role names by phase (`<prefix>-<stack>-plan|apply`). */
  readonly roleNames: Readonly<Record<RunPhase, string>>;
  /** Plan-role permissions beyond `ReadOnlyAccess` (default none). */
  readonly planStatements?: readonly IamStatement[];
  /**
   * Apply-role permissions: managed policy ARNs (default `[AdministratorAccess]`) and inline
   * statements (default none). A stack that needs less than administrator gets statements only.
   */
  readonly applyPolicyArns?: readonly string[];
  readonly applyStatements?: readonly IamStatement[];
}

/** TFC identity shared by every role: issuer host, organization and project. */
export interface TfcIdentity {
  /** TFC hostname (issuer without `https://`), e.g. `app.terraform.io`. */
  readonly hostname: string;
  readonly organization: string;
  readonly project: string;
}

/**
 * The trust policy of one role: `sts:AssumeRoleWithWebIdentity` from the account's TFC OIDC
 * provider, audience pinned, subject exactly one workspace in one phase (`StringEquals`).
 * @param providerArn the OIDC provider's ARN (a string, or a CloudFormation expression)
 */
export function tfcTrustPolicy(
  tfc: TfcIdentity,
  providerArn: unknown,
  workspace: string,
  phase: RunPhase,
): Record<string, unknown> {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Federated: providerArn },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: {
            [`${tfc.hostname}:aud`]: TFC_AUDIENCE,
            [`${tfc.hostname}:sub`]: tfcSubject(tfc.organization, tfc.project, workspace, phase),
          },
        },
      },
    ],
  };
}

/**
 * The role description: which workspace and phase may assume it (≤ 1,000 characters from the
 * CreateRole limit, since workspace names are ≤ 90 characters; checked).
 * @throws Error if longer than {@link IAM_LIMITS}.description
 */
export function tfcRoleDescription(tfc: TfcIdentity, workspace: string, phase: RunPhase): string {
  // Short on purpose: it is repeated per role in the StackSet templates (51,200-byte limit).
  const text = `Terraform Cloud ${phase} runs of ${workspace} (${tfc.organization}/${tfc.project}); ${
    phase === 'plan' ? 'read-only, no secrets, no role assumption' : 'applies the stack'
  }`;
  if (text.length > IAM_LIMITS.description)
    throw new Error(
      `role description for ${workspace} exceeds ${IAM_LIMITS.description} characters`,
    );
  return text;
}

/** {@link IamStatement}s in the shape of `DataAwsIamPolicyDocument` statements. */
export function toDocumentStatements(
  statements: readonly IamStatement[],
): DataAwsIamPolicyDocumentStatement[] {
  return statements.map((s) => ({
    sid: s.Sid,
    effect: s.Effect,
    actions: [...s.Action],
    ...(s.NotResource
      ? { notResources: [...s.NotResource] }
      : { resources: typeof s.Resource === 'string' ? [s.Resource] : [...(s.Resource ?? [])] }),
  }));
}

/** Props of {@link TfcOidcRoles}. */
export interface TfcOidcRolesProps extends TfcIdentity {
  /** Resource-name prefix (the deny policy is `<prefix>-tfc-plan-deny`). */
  readonly prefix: string;
  /** The role pairs to create (at least one). */
  readonly workspaces: readonly WorkspaceRoleSpec[];
  /** Maximum session, seconds (default 3600; TFC runs re-assume per phase). */
  readonly maxSessionDuration?: number;
}

/** One workspace's roles in {@link TfcOidcRoles}. */
export interface TfcRolePair {
  readonly plan: IamRole;
  readonly apply: IamRole;
}

/**
 * The TFC OIDC provider of the stack's account (its default provider: this construct is for the
 * management account, whose roles are plain resources because a service-managed StackSet never
 * deploys there), the plan-deny managed policy and one role pair per workspace.
 * @throws Error if `workspaces` is empty
 */
export class TfcOidcRoles extends Construct {
  readonly oidcProvider: IamOpenidConnectProvider;
  readonly planDenyPolicy: IamPolicy;
  /** Role pairs by stack ID. */
  readonly roles: Record<string, TfcRolePair> = {};

  constructor(scope: Construct, id: string, props: TfcOidcRolesProps) {
    super(scope, id);
    if (props.workspaces.length === 0)
      throw new Error(`${id}: workspaces must name at least one workspace`);
    this.oidcProvider = new IamOpenidConnectProvider(this, 'oidc-provider', {
      url: `https://${props.hostname}`,
      clientIdList: [TFC_AUDIENCE],
    });
    const deny = new DataAwsIamPolicyDocument(this, 'plan-deny-document', {
      statement: toDocumentStatements(planDenyStatements(props.prefix)),
    });
    this.planDenyPolicy = new IamPolicy(this, 'plan-deny', {
      name: planDenyPolicyName(props.prefix),
      description: 'Denies Terraform Cloud plan roles secret and data reads and role assumption',
      policy: deny.minifiedJson,
    });
    for (const ws of props.workspaces) {
      const role = (phase: RunPhase): IamRole => {
        const trust = new DataAwsIamPolicyDocument(this, `${ws.stackId}-${phase}-trust`, {
          statement: [
            {
              sid: `TerraformCloud${phase === 'plan' ? 'Plan' : 'Apply'}`,
              effect: 'Allow',
              actions: ['sts:AssumeRoleWithWebIdentity'],
              principals: [{ type: 'Federated', identifiers: [this.oidcProvider.arn] }],
              condition: [
                { test: 'StringEquals', variable: `${props.hostname}:aud`, values: [TFC_AUDIENCE] },
                {
                  test: 'StringEquals',
                  variable: `${props.hostname}:sub`,
                  values: [tfcSubject(props.organization, props.project, ws.workspace, phase)],
                },
              ],
            },
          ],
        });
        return new IamRole(this, `${ws.stackId}-${phase}`, {
          name: ws.roleNames[phase],
          description: tfcRoleDescription(props, ws.workspace, phase),
          assumeRolePolicy: trust.minifiedJson,
          maxSessionDuration: props.maxSessionDuration ?? 3600,
        });
      };
      const plan = role('plan');
      const apply = role('apply');
      this.roles[ws.stackId] = { plan, apply };
      new IamRolePolicyAttachment(this, `${ws.stackId}-plan-read-only`, {
        role: plan.name,
        policyArn: READ_ONLY_ACCESS,
      });
      new IamRolePolicyAttachment(this, `${ws.stackId}-plan-deny`, {
        role: plan.name,
        policyArn: this.planDenyPolicy.arn,
      });
      const inline = (phase: RunPhase, statements: readonly IamStatement[] | undefined) => {
        if (!statements?.length) return;
        const doc = new DataAwsIamPolicyDocument(this, `${ws.stackId}-${phase}-extra-document`, {
          statement: toDocumentStatements(statements),
        });
        new IamRolePolicy(this, `${ws.stackId}-${phase}-extra`, {
          role: (phase === 'plan' ? plan : apply).name,
          name: `${phase}-extra`,
          policy: doc.minifiedJson,
        });
      };
      inline('plan', ws.planStatements);
      (ws.applyPolicyArns ?? (ws.applyStatements?.length ? [] : [ADMINISTRATOR_ACCESS])).forEach(
        (arn) =>
          new IamRolePolicyAttachment(this, `${ws.stackId}-apply-${arn.split('/').pop()}`, {
            role: apply.name,
            policyArn: arn,
          }),
      );
      inline('apply', ws.applyStatements);
    }
  }
}
