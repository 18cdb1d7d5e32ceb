/**
 * The identity bootstrap of member accounts without any Terraform provider into them: AWS
 * CloudFormation StackSets with service-managed permissions, created in the management account,
 * that put into each member account the TFC OIDC provider, the plan-deny policy and one role
 * pair per workspace deploying there (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-orgs-associate-stackset-with-org.html).
 *
 * Layout (docs/organization.md, "Identity bootstrap"):
 * - one shared StackSet `<prefix>-tfc-account-access`: OIDC provider, plan-deny policy and the
 *   `account-<key>` role pair, one stack instance per member account with the parameter
 *   overrides `TargetAccountId` and `AccountKey`; the template never changes when accounts are
 *   added, so adding an account adds one instance and touches no other account;
 * - one StackSet `<prefix>-tfc-<key>` per member account that hosts further workspaces
 *   (security, network, cluster-*, platform-*), with those role pairs; its account ID is a
 *   StackSet parameter, the template holds only its own roles.
 *
 * Safety, from upstream facts:
 * - Instances target `deployment_targets { organizational_unit_ids = [ou], accounts = [id],
 *   account_filter_type = "INTERSECTION" }`: service-managed StackSets target OUs only
 *   ("StackSets with SERVICE_MANAGED permission model can only have OrganizationalUnit as
 *   target", aws/aws-cli#8248). An instance update may roll out to the whole OU
 *   (hashicorp/terraform-provider-aws#39393, PR #39683; 5.100's update sends the OU as
 *   `Accounts`), so every resource carries the Condition `IsTargetAccount`
 *   (`AWS::AccountId` equals `TargetAccountId`): a stack in any other account creates nothing
 *   but a `WaitConditionHandle` placeholder (a template needs one resource). Instance
 *   `parameter_overrides` are set once and ignored afterwards, so the update path never runs.
 * - No auto-deployment: "Overridden parameter values only apply to the accounts that are
 *   currently in the target OUs … Accounts added … in the future will use the StackSet default
 *   values" and "Automatic deployments do not consider account level targeting filters"
 *   (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-orgs-manage-auto-deployment.html).
 *   Accounts are vended by this app, and each gets its instance in the apply that creates it.
 * - `administration_role_arn` is ignored: with service-managed permissions AWS fills it in and
 *   hashicorp/aws 5.100 reports a perpetual diff (hashicorp/terraform-provider-aws#23464,
 *   fixed after 5.100 by PR #45992).
 * - `managed_execution { active = true }` queues conflicting operations, so many instances of
 *   the shared StackSet can be created in one apply.
 * - The template body is limited to 51,200 bytes ("Template body size in a request",
 *   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html);
 *   templates are minified and checked ({@link TEMPLATE_BODY_MAX}).
 * - Service-managed StackSets never deploy to the management account ("CloudFormation doesn't
 *   deploy stacks to the management account", same page as the first link): its roles are
 *   plain resources ({@link TfcOidcRoles}).
 * - Needs StackSets trusted access (`member.org.stacksets.cloudformation.amazonaws.com`) and
 *   all features (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-orgs-activate-trusted-access.html).
 */
import { Construct } from 'constructs';
import type { ITerraformDependable } from 'cdktf';
import { CloudformationStackSet } from '@cdktf/provider-aws/lib/cloudformation-stack-set';
import { CloudformationStackSetInstance } from '@cdktf/provider-aws/lib/cloudformation-stack-set-instance';
import {
  planDenyStatements,
  READ_ONLY_ACCESS,
  ADMINISTRATOR_ACCESS,
  planDenyPolicyName,
  tfcRoleDescription,
  tfcTrustPolicy,
  type IamStatement,
  type RunPhase,
  type TfcIdentity,
  type WorkspaceRoleSpec,
} from './tfc-oidc-roles';

/** Maximum template body passed inline, bytes (CloudFormation quotas page, see the file comment). */
export const TEMPLATE_BODY_MAX = 51_200;

/** The Condition every resource of an identity template carries. */
export const TARGET_CONDITION = 'IsTargetAccount';

/** Placeholder value of `TargetAccountId` / `AccountKey`: matches no account, creates nothing. */
export const NO_TARGET = 'none';

/** A string, or `Fn::Sub` when it names template parameters (`${AccountKey}`…). */
function sub(text: string): unknown {
  return text.includes('${') ? { 'Fn::Sub': text } : text;
}

/** Options of {@link identityTemplate}. */
export interface IdentityTemplateOptions extends TfcIdentity {
  /** Resource-name prefix (plan-deny policy name). */
  readonly prefix: string;
  /** Template description (≤ 1,024 bytes). */
  readonly description: string;
  /** Create the OIDC provider and the plan-deny policy (the shared template does; hosting templates reference them). */
  readonly createShared: boolean;
  /**
   * Role pairs; names and workspaces may contain `${AccountKey}` (shared template), resolved by
   * `Fn::Sub` in the account.
   */
  readonly workspaces: readonly WorkspaceRoleSpec[];
  /** Declare the `AccountKey` parameter (shared template). */
  readonly accountKeyParameter?: boolean;
  /** Maximum session, seconds (default 3600). */
  readonly maxSessionDuration?: number;
}

const logicalId = (stackId: string, phase: RunPhase) =>
  `${stackId
    .replace(/[^A-Za-z0-9]/g, ' ')
    .replace(/(^|\s)(\w)/g, (_, __, c: string) => c.toUpperCase())
    .replace(/\s/g, '')}${phase === 'plan' ? 'Plan' : 'Apply'}Role`;

const policyDocument = (statements: readonly IamStatement[]) => ({
  Version: '2012-10-17',
  Statement: statements,
});

/**
 * A CloudFormation template (as an object; `JSON.stringify` it) creating the given role pairs,
 * every resource under {@link TARGET_CONDITION}.
 */
export function identityTemplate(o: IdentityTemplateOptions): Record<string, unknown> {
  const condition = TARGET_CONDITION;
  const providerArn = {
    'Fn::Sub': `arn:\${AWS::Partition}:iam::\${AWS::AccountId}:oidc-provider/${o.hostname}`,
  };
  const denyArn = {
    'Fn::Sub': `arn:\${AWS::Partition}:iam::\${AWS::AccountId}:policy/${planDenyPolicyName(o.prefix)}`,
  };
  const awsManaged = (arn: string) => ({
    'Fn::Sub': arn.replace(/^arn:aws:/, 'arn:${AWS::Partition}:'),
  });
  const resources: Record<string, unknown> = {
    Placeholder: { Type: 'AWS::CloudFormation::WaitConditionHandle' },
  };
  const sharedDependsOn: string[] = [];
  if (o.createShared) {
    resources.TfcOidcProvider = {
      Type: 'AWS::IAM::OIDCProvider',
      Condition: condition,
      // ThumbprintList omitted: optional, IAM validates app.terraform.io through its trusted
      // root CAs (aws-iam-oidcprovider.json in cfn-lint has no "required"; AWS CLI
      // update-open-id-connect-provider-thumbprint reference).
      Properties: { Url: `https://${o.hostname}`, ClientIdList: ['aws.workload.identity'] },
    };
    resources.PlanDenyPolicy = {
      Type: 'AWS::IAM::ManagedPolicy',
      Condition: condition,
      Properties: {
        ManagedPolicyName: planDenyPolicyName(o.prefix),
        Description: 'Denies Terraform Cloud plan roles secret and data reads and role assumption',
        PolicyDocument: policyDocument(planDenyStatements(o.prefix)),
      },
    };
    sharedDependsOn.push('TfcOidcProvider', 'PlanDenyPolicy');
  }
  for (const ws of o.workspaces) {
    for (const phase of ['plan', 'apply'] as const) {
      const inline = phase === 'plan' ? ws.planStatements : ws.applyStatements;
      const managed =
        phase === 'plan'
          ? [awsManaged(READ_ONLY_ACCESS), denyArn]
          : (ws.applyPolicyArns ?? (ws.applyStatements?.length ? [] : [ADMINISTRATOR_ACCESS])).map(
              awsManaged,
            );
      const trust = tfcTrustPolicy(o, providerArn, ws.workspace, phase) as {
        Statement: { Condition: { StringEquals: Record<string, string> } }[];
      };
      const eq = trust.Statement[0].Condition.StringEquals;
      for (const k of Object.keys(eq)) eq[k] = sub(eq[k]) as string;
      resources[logicalId(ws.stackId, phase)] = {
        Type: 'AWS::IAM::Role',
        Condition: condition,
        ...(sharedDependsOn.length ? { DependsOn: sharedDependsOn } : {}),
        Properties: {
          RoleName: sub(ws.roleNames[phase]),
          Description: sub(tfcRoleDescription(o, ws.workspace, phase)),
          MaxSessionDuration: o.maxSessionDuration ?? 3600,
          AssumeRolePolicyDocument: trust,
          ManagedPolicyArns: managed,
          ...(inline?.length
            ? {
                Policies: [
                  { PolicyName: `${phase}-extra`, PolicyDocument: policyDocument(inline) },
                ],
              }
            : {}),
        },
      };
    }
  }
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: o.description,
    Parameters: {
      TargetAccountId: {
        Type: 'String',
        Default: NO_TARGET,
        Description: 'The only account this stack creates resources in',
      },
      ...(o.accountKeyParameter
        ? {
            AccountKey: {
              Type: 'String',
              Default: NO_TARGET,
              Description: 'Account key in the landing zone configuration',
            },
          }
        : {}),
    },
    Conditions: {
      [condition]: { 'Fn::Equals': [{ Ref: 'AWS::AccountId' }, { Ref: 'TargetAccountId' }] },
    },
    Resources: resources,
  };
}

/** One target account of an {@link IdentityStackSet}. */
export interface IdentityTarget {
  /** Account key (construct IDs, `AccountKey` override of the shared StackSet). */
  readonly key: string;
  /** Account ID (`aws_organizations_account.<key>.id`). */
  readonly accountId: string;
  /** ID of the OU holding the account. */
  readonly ouId: string;
  /** Resources the instance waits for (the shared instance of the account, for hosting StackSets). */
  readonly dependsOn?: ITerraformDependable[];
}

/** Props of {@link IdentityStackSet}. */
export interface IdentityStackSetProps {
  /** StackSet name (≤ 128 characters, letters, digits, hyphens). */
  readonly name: string;
  readonly description: string;
  /** The template ({@link identityTemplate}). */
  readonly template: Record<string, unknown>;
  /**
   * `shared`: one instance per target with `TargetAccountId`/`AccountKey` overrides;
   * `account`: exactly one target, whose ID is the StackSet's `TargetAccountId` parameter.
   */
  readonly mode: 'shared' | 'account';
  readonly targets: readonly IdentityTarget[];
  /** Region of the stack instances (IAM is global; the home region). */
  readonly region: string;
  /** Resources the StackSet waits for (the organization, for trusted access). */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * One service-managed StackSet and its per-account instances (see the file comment).
 * @throws Error if the minified template exceeds {@link TEMPLATE_BODY_MAX} bytes, or if an
 *   `account` StackSet does not have exactly one target
 */
export class IdentityStackSet extends Construct {
  readonly stackSet: CloudformationStackSet;
  /** Instances by account key. */
  readonly instances: Record<string, CloudformationStackSetInstance> = {};
  /** The template body as CloudFormation receives it (minified JSON). */
  readonly templateBody: string;

  constructor(scope: Construct, id: string, props: IdentityStackSetProps) {
    super(scope, id);
    this.templateBody = JSON.stringify(props.template);
    const size = Buffer.byteLength(this.templateBody, 'utf8');
    if (size > TEMPLATE_BODY_MAX)
      throw new Error(
        `${props.name}: template body is ${size} bytes, over CloudFormation's ${TEMPLATE_BODY_MAX} (fewer stacks per account)`,
      );
    if (props.mode === 'account' && props.targets.length !== 1)
      throw new Error(`${props.name}: an account StackSet has exactly one target`);
    const parameters: Record<string, string> =
      props.mode === 'account'
        ? { TargetAccountId: props.targets[0].accountId }
        : { TargetAccountId: NO_TARGET, AccountKey: NO_TARGET };
    this.stackSet = new CloudformationStackSet(this, 'stack-set', {
      name: props.name,
      description: props.description,
      permissionModel: 'SERVICE_MANAGED',
      callAs: 'SELF',
      capabilities: ['CAPABILITY_NAMED_IAM'],
      autoDeployment: { enabled: false },
      managedExecution: { active: true },
      parameters,
      // `${AWS::…}` of Fn::Sub is written `$${` so Terraform passes it through literally
      // (https://developer.hashicorp.com/terraform/language/syntax/json#template-expressions).
      templateBody: this.templateBody.split('${').join('$${'),
      dependsOn: props.dependsOn,
      lifecycle: { ignoreChanges: ['administration_role_arn'] },
    });
    for (const t of props.targets) {
      this.instances[t.key] = new CloudformationStackSetInstance(this, `instance-${t.key}`, {
        stackSetName: this.stackSet.name,
        callAs: 'SELF',
        region: props.region,
        deploymentTargets: {
          organizationalUnitIds: [t.ouId],
          accounts: [t.accountId],
          accountFilterType: 'INTERSECTION',
        },
        parameterOverrides:
          props.mode === 'shared' ? { TargetAccountId: t.accountId, AccountKey: t.key } : undefined,
        retainStack: false,
        dependsOn: t.dependsOn,
        lifecycle: props.mode === 'shared' ? { ignoreChanges: ['parameter_overrides'] } : undefined,
      });
    }
  }
}
