/**
 * Service control policies (SCPs) built from policy documents and attached to OUs or the root.
 */
import { Construct } from 'constructs';
import {
  DataAwsIamPolicyDocument,
  type DataAwsIamPolicyDocumentStatement,
} from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { OrganizationsPolicy } from '@cdktf/provider-aws/lib/organizations-policy';
import { OrganizationsPolicyAttachment } from '@cdktf/provider-aws/lib/organizations-policy-attachment';
import type { ScpName } from '../../envs/schema/organization';
import { markScpExceptions } from '../guardrails/markers';
import { planDenyPolicyName } from './tfc-oidc-roles';

/**
 * Actions of global services exempt from the region allow-list: the NotAction list of
 * Control Tower's landing-zone Region deny control (AWS-GR_REGION_DENY), without the
 * deprecated `aws-portal:*` (replaced by the `billing`, `payments`, `tax`, `invoicing`,
 * `account` and `freetier` actions, which the list has).
 * Source: https://docs.aws.amazon.com/controltower/latest/controlreference/primary-region-deny-policy.html
 * (deprecation: https://docs.aws.amazon.com/awsaccountbilling/latest/aboutv2/migrate-granularaccess-whatis.html)
 */
export const GLOBAL_SERVICE_ACTIONS = [
  'a4b:*',
  'access-analyzer:*',
  'account:*',
  'acm:*',
  'activate:*',
  'artifact:*',
  'aws-marketplace-management:*',
  'aws-marketplace:*',
  'billing:*',
  'billingconductor:*',
  'budgets:*',
  'ce:*',
  'chatbot:*',
  'chime:*',
  'cloudfront:*',
  'cloudtrail:LookupEvents',
  'compute-optimizer:*',
  'config:*',
  'consoleapp:*',
  'consolidatedbilling:*',
  'cur:*',
  'datapipeline:GetAccountLimits',
  'devicefarm:*',
  'directconnect:*',
  'ec2:DescribeRegions',
  'ec2:DescribeTransitGateways',
  'ec2:DescribeVpnGateways',
  'ecr-public:*',
  'fms:*',
  'freetier:*',
  'globalaccelerator:*',
  'health:*',
  'iam:*',
  'importexport:*',
  'invoicing:*',
  'iq:*',
  'kms:*',
  'license-manager:ListReceivedLicenses',
  'lightsail:Get*',
  'mobileanalytics:*',
  'networkmanager:*',
  'notifications-contacts:*',
  'notifications:*',
  'organizations:*',
  'payments:*',
  'pricing:*',
  'quicksight:DescribeAccountSubscription',
  'resource-explorer-2:*',
  'route53-recovery-cluster:*',
  'route53-recovery-control-config:*',
  'route53-recovery-readiness:*',
  'route53:*',
  'route53domains:*',
  's3:CreateMultiRegionAccessPoint',
  's3:DeleteMultiRegionAccessPoint',
  's3:DescribeMultiRegionAccessPointOperation',
  's3:GetAccountPublicAccessBlock',
  's3:GetBucketLocation',
  's3:GetBucketPolicyStatus',
  's3:GetBucketPublicAccessBlock',
  's3:GetMultiRegionAccessPoint',
  's3:GetMultiRegionAccessPointPolicy',
  's3:GetMultiRegionAccessPointPolicyStatus',
  's3:GetStorageLensConfiguration',
  's3:GetStorageLensDashboard',
  's3:ListAllMyBuckets',
  's3:ListMultiRegionAccessPoints',
  's3:ListStorageLensConfigurations',
  's3:PutAccountPublicAccessBlock',
  's3:PutMultiRegionAccessPointPolicy',
  'savingsplans:*',
  'shield:*',
  'sso:*',
  'sts:*',
  'support:*',
  'supportapp:*',
  'supportplans:*',
  'sustainability:*',
  'tag:GetResources',
  'tax:*',
  'trustedadvisor:*',
  'vendor-insights:ListEntitledSecurityProfiles',
  'waf-regional:*',
  'waf:*',
  'wafv2:*',
] as const;

/**
 * IAM actions that create or change a role: Control Tower's mandatory control
 * AWS-GR_IAM_ROLE_CHANGE_PROHIBITED (its 11 actions, `iam:CreateRole` included, so no one can
 * recreate a protected name) plus the tag changes it leaves out.
 * Source: https://docs.aws.amazon.com/controltower/latest/controlreference/mandatory-controls.html
 */
/**
 * IAM actions that change or remove a customer-managed policy's document (Service
 * Authorization Reference, IAM: https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html).
 */
export const PLAN_DENY_POLICY_MUTATING_ACTIONS = [
  'iam:CreatePolicyVersion',
  'iam:DeletePolicy',
  'iam:DeletePolicyVersion',
  'iam:SetDefaultPolicyVersion',
] as const;

export const ROLE_MUTATING_ACTIONS = [
  'iam:AttachRolePolicy',
  'iam:CreateRole',
  'iam:DeleteRole',
  'iam:DeleteRolePermissionsBoundary',
  'iam:DeleteRolePolicy',
  'iam:DetachRolePolicy',
  'iam:PutRolePermissionsBoundary',
  'iam:PutRolePolicy',
  'iam:UpdateAssumeRolePolicy',
  'iam:UpdateRole',
  'iam:UpdateRoleDescription',
  'iam:TagRole',
  'iam:UntagRole',
] as const;

/**
 * IAM actions that create, change or delete an OIDC identity provider (deleting the
 * Terraform Cloud provider locks every pipeline of the account out).
 * Source: https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html
 */
export const OIDC_PROVIDER_MUTATING_ACTIONS = [
  'iam:AddClientIDToOpenIDConnectProvider',
  'iam:CreateOpenIDConnectProvider',
  'iam:DeleteOpenIDConnectProvider',
  'iam:RemoveClientIDFromOpenIDConnectProvider',
  'iam:TagOpenIDConnectProvider',
  'iam:UntagOpenIDConnectProvider',
  'iam:UpdateOpenIDConnectProviderThumbprint',
] as const;

/**
 * The one principal allowed to manage the protected roles and the OIDC provider in member
 * accounts: the execution role of service-managed StackSets, which CloudFormation creates in
 * every target account ("CloudFormation creates both the necessary service-linked role and a
 * service role named `stacksets-exec-*` in the target (member) accounts":
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-orgs-activate-trusted-access.html).
 * The account-bootstrap StackSet creates the OIDC provider and the per-workspace roles through
 * it; Control Tower exempts the same pattern in AWS-GR_IAM_ROLE_CHANGE_PROHIBITED. The
 * `stacksets-exec-*` roles are themselves protected, so no one can create one to escape.
 */
export const STACKSET_EXECUTION_ROLE_ARN = 'arn:aws:iam::*:role/stacksets-exec-*';

/**
 * Role names (IAM `ArnLike` patterns) the landing zone relies on in every member account:
 * the per-workspace TFC roles `<prefix>-<stack>-plan|apply`, the StackSet execution roles and
 * the organization's account access role.
 * @param prefix the environment prefix
 * @param accessRoleName the account access role (default `OrganizationAccountAccessRole`)
 */
export function landingZoneRoleNames(
  prefix: string,
  accessRoleName = 'OrganizationAccountAccessRole',
): string[] {
  return [`${prefix}-*-plan`, `${prefix}-*-apply`, 'stacksets-exec-*', accessRoleName];
}

/**
 * The global services a monitoring principal (see {@link RegionalMonitoringExemption}) still
 * reaches outside the allowed regions besides its regional actions: IAM, Organizations and STS
 * (their requests are signed for us-east-1). A short list, so the region policy stays far
 * below the SCP size quota with every region allowed.
 */
export const MONITORING_GLOBAL_ACTIONS = ['iam:*', 'organizations:*', 'sts:*'] as const;

/** Principals that may use some regional actions outside the allowed regions (see {@link ServiceControlPoliciesProps.monitoring}). */
export interface RegionalMonitoringExemption {
  /** Exact role ARNs (no wildcards: they must be protected names), e.g. the security stack's plan and apply roles. */
  readonly principalArns: readonly string[];
  /** Regional actions they may use in every region, e.g. `['guardduty:*']`. */
  readonly actions: readonly string[];
}

export interface ServiceControlPoliciesProps {
  /** Name prefix of the policies (`<prefix>-<policy>`). */
  readonly prefix: string;
  /** Policy name → target IDs (OU IDs or the root ID). */
  readonly attachments: Partial<Record<ScpName, string[]>>;
  /** Regions allowed by `region-allow-list`. */
  readonly allowedRegions: readonly string[];
  /**
   * Role name patterns (IAM `ArnLike` on `arn:aws:iam::*:role/<pattern>`) protected by
   * `protect-landing-zone-roles`, in addition to {@link landingZoneRoleNames}`(prefix)`.
   */
  readonly protectedRoleNames: readonly string[];
  /**
   * The principals that may still manage the protected roles and OIDC providers, and are
   * exempt from the region rule (default `[STACKSET_EXECUTION_ROLE_ARN]`).
   */
  readonly managingPrincipalArns?: readonly string[];
  /**
   * Hostnames of the OIDC providers `protect-landing-zone-roles` protects
   * (`arn:aws:iam::*:oidc-provider/<host>`; default `['app.terraform.io']`).
   */
  readonly oidcProviderHosts?: readonly string[];
  /**
   * Principals allowed a few regional actions outside `allowedRegions` (e.g. the security
   * stack's roles and `guardduty:*`, for GuardDuty in us-east-1; default none).
   */
  readonly monitoring?: RegionalMonitoringExemption;
  /**
   * Per policy, the OUs exempt from it with the reason (`organization.serviceControlPolicies.<name>.exceptions`):
   * a policy with exceptions is attached to OUs rather than the root, which rule LZ-SCP-001
   * accepts only with these reasons. Default none.
   */
  readonly exceptions?: Partial<Record<ScpName, Record<string, string>>>;
}

/**
 * The props {@link scpStatements} reads (`prefix` optional: without it only
 * `protectedRoleNames` are protected).
 */
export type ScpStatementProps = Partial<Pick<ServiceControlPoliciesProps, 'prefix'>> &
  Pick<
    ServiceControlPoliciesProps,
    | 'allowedRegions'
    | 'protectedRoleNames'
    | 'managingPrincipalArns'
    | 'oidcProviderHosts'
    | 'monitoring'
  >;

/**
 * Writes the statements of each built-in SCP.
 * @throws Error if `name` is not a built-in policy, or a monitoring principal has a wildcard
 */
export function scpStatements(
  name: ScpName,
  props: ScpStatementProps,
): DataAwsIamPolicyDocumentStatement[] {
  const managers = [...(props.managingPrincipalArns ?? [STACKSET_EXECUTION_ROLE_ARN])];
  const roleNames = [
    ...new Set([
      ...(props.prefix ? landingZoneRoleNames(props.prefix) : []),
      ...props.protectedRoleNames,
    ]),
  ];
  const protectedArns = roleNames.map((r) => `arn:aws:iam::*:role/${r}`);
  const hosts = props.oidcProviderHosts ?? ['app.terraform.io'];
  const monitors = [...(props.monitoring?.principalArns ?? [])];
  const wildcard = monitors.find((a) => /[*?]/.test(a));
  if (wildcard)
    throw new Error(`serviceControlPolicies: monitoring principal "${wildcard}" has a wildcard`);
  const notManager = { test: 'ArnNotLike', variable: 'aws:PrincipalArn', values: managers };
  const outside = {
    test: 'StringNotEquals',
    variable: 'aws:RequestedRegion',
    values: [...props.allowedRegions],
  };
  switch (name) {
    case 'deny-leave-organization':
      return [
        {
          sid: 'DenyLeaveOrganization',
          effect: 'Deny',
          actions: ['organizations:LeaveOrganization'],
          resources: ['*'],
        },
      ];
    case 'deny-root-user':
      return [
        {
          sid: 'DenyRootUser',
          effect: 'Deny',
          actions: ['*'],
          resources: ['*'],
          condition: [
            { test: 'StringLike', variable: 'aws:PrincipalArn', values: ['arn:aws:iam::*:root'] },
          ],
        },
      ];
    case 'region-allow-list': {
      const statements: DataAwsIamPolicyDocumentStatement[] = [
        {
          sid: 'DenyOutsideAllowedRegions',
          effect: 'Deny',
          notActions: [...GLOBAL_SERVICE_ACTIONS],
          resources: ['*'],
          condition: [
            outside,
            {
              test: 'ArnNotLike',
              variable: 'aws:PrincipalArn',
              values: [...managers, ...monitors],
            },
          ],
        },
      ];
      if (monitors.length > 0) {
        statements.push({
          sid: 'MonitoringOnlyOutsideAllowedRegions',
          effect: 'Deny',
          notActions: [...MONITORING_GLOBAL_ACTIONS, ...(props.monitoring?.actions ?? [])],
          resources: ['*'],
          condition: [outside, { test: 'ArnLike', variable: 'aws:PrincipalArn', values: monitors }],
        });
      }
      return statements;
    }
    case 'protect-landing-zone-roles':
      return [
        {
          sid: 'ProtectLandingZoneRoles',
          effect: 'Deny',
          actions: [...ROLE_MUTATING_ACTIONS],
          resources: protectedArns,
          condition: [notManager],
        },
        {
          sid: 'ProtectOidcProviders',
          effect: 'Deny',
          actions: [...OIDC_PROVIDER_MUTATING_ACTIONS],
          resources: hosts.map((h) => `arn:aws:iam::*:oidc-provider/${h}`),
          condition: [notManager],
        },
        // The plan roles' deny policy (secret reads, role assumption): a new default version
        // would lift it from every plan role of the account.
        ...(props.prefix
          ? [
              {
                sid: 'ProtectPlanDenyPolicy',
                effect: 'Deny',
                actions: [...PLAN_DENY_POLICY_MUTATING_ACTIONS],
                resources: [`arn:aws:iam::*:policy/${planDenyPolicyName(props.prefix)}`],
                condition: [notManager],
              },
            ]
          : []),
      ];
    default:
      throw new Error(`serviceControlPolicies: unknown policy "${String(name)}"`);
  }
}

/**
 * Maximum size of an SCP document in bytes; whitespace counts when the policy is written
 * through the API, hence the minified JSON. Source:
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html
 * ("Service control policies: 5120 bytes").
 */
export const SCP_MAX_BYTES = 5120;

/**
 * One SCP per configured built-in policy (content: the policy document's `minified_json`),
 * attached to its targets. Attach at the root (the default of the schema) so OUs created
 * later are covered; SCPs never affect the management account.
 */
export class ServiceControlPolicies extends Construct {
  /** The policies by name. */
  readonly policies: Partial<Record<ScpName, OrganizationsPolicy>> = {};
  /** The policy documents by name (their `minifiedJson` is the SCP content). */
  readonly documents: Partial<Record<ScpName, DataAwsIamPolicyDocument>> = {};

  constructor(scope: Construct, id: string, props: ServiceControlPoliciesProps) {
    super(scope, id);
    for (const [name, targets] of Object.entries(props.attachments) as [ScpName, string[]][]) {
      const doc = new DataAwsIamPolicyDocument(this, `${name}-document`, {
        statement: scpStatements(name, props),
      });
      this.documents[name] = doc;
      const policy = new OrganizationsPolicy(this, name, {
        name: `${props.prefix}-${name}`,
        description: `Landing zone guardrail: ${name}`,
        type: 'SERVICE_CONTROL_POLICY',
        content: doc.minifiedJson,
      });
      this.policies[name] = policy;
      const except = Object.entries(props.exceptions?.[name] ?? {});
      if (except.length > 0)
        markScpExceptions(policy, except.map(([ou, why]) => `${ou}: ${why}`).join('; '));
      targets.forEach((targetId, i) => {
        new OrganizationsPolicyAttachment(this, `${name}-attachment-${i}`, {
          policyId: policy.id,
          targetId,
        });
      });
    }
  }
}
