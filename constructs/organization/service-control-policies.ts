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

/**
 * Actions of global services exempt from the region allow-list, as in AWS's example SCP
 * "Deny access to AWS based on the requested AWS Region".
 * Source: https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_examples_general.html#example-scp-deny-region
 */
export const GLOBAL_SERVICE_ACTIONS = [
  'a4b:*',
  'acm:*',
  'aws-marketplace-management:*',
  'aws-marketplace:*',
  'aws-portal:*',
  'budgets:*',
  'ce:*',
  'chime:*',
  'cloudfront:*',
  'config:*',
  'cur:*',
  'directconnect:*',
  'ec2:DescribeRegions',
  'ec2:DescribeTransitGateways',
  'ec2:DescribeVpnGateways',
  'fms:*',
  'globalaccelerator:*',
  'health:*',
  'iam:*',
  'importexport:*',
  'kms:*',
  'mobileanalytics:*',
  'networkmanager:*',
  'organizations:*',
  'pricing:*',
  'route53:*',
  'route53domains:*',
  'route53-recovery-cluster:*',
  'route53-recovery-control-config:*',
  'route53-recovery-readiness:*',
  's3:GetAccountPublic*',
  's3:ListAllMyBuckets',
  's3:ListMultiRegionAccessPoints',
  's3:PutAccountPublic*',
  'shield:*',
  'sts:*',
  'support:*',
  'trustedadvisor:*',
  'waf-regional:*',
  'waf:*',
  'wafv2:*',
  'wellarchitected:*',
] as const;

/** IAM actions that change a role; denied on the landing zone's roles by `protect-landing-zone-roles`. */
export const ROLE_MUTATING_ACTIONS = [
  'iam:AttachRolePolicy',
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

export interface ServiceControlPoliciesProps {
  /** Name prefix of the policies (`<prefix>-<policy>`). */
  readonly prefix: string;
  /** Policy name → target IDs (OU IDs or the root ID). */
  readonly attachments: Partial<Record<ScpName, string[]>>;
  /** Regions allowed by `region-allow-list`. */
  readonly allowedRegions: readonly string[];
  /**
   * Role name patterns (IAM `ArnLike` on `arn:aws:iam::*:role/<pattern>`) of the roles the
   * landing zone relies on: protected by `protect-landing-zone-roles`, and exempt from the
   * region rule so the pipeline can always repair an account.
   */
  readonly protectedRoleNames: readonly string[];
}

/**
 * Writes the statements of each built-in SCP.
 * @throws Error if `name` is not a built-in policy
 */
export function scpStatements(
  name: ScpName,
  props: Pick<ServiceControlPoliciesProps, 'allowedRegions' | 'protectedRoleNames'>,
): DataAwsIamPolicyDocumentStatement[] {
  const protectedArns = props.protectedRoleNames.map((r) => `arn:aws:iam::*:role/${r}`);
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
    case 'region-allow-list':
      return [
        {
          sid: 'DenyOutsideAllowedRegions',
          effect: 'Deny',
          notActions: [...GLOBAL_SERVICE_ACTIONS],
          resources: ['*'],
          condition: [
            {
              test: 'StringNotEquals',
              variable: 'aws:RequestedRegion',
              values: [...props.allowedRegions],
            },
            { test: 'ArnNotLike', variable: 'aws:PrincipalArn', values: protectedArns },
          ],
        },
      ];
    case 'protect-landing-zone-roles':
      return [
        {
          sid: 'ProtectLandingZoneRoles',
          effect: 'Deny',
          actions: [...ROLE_MUTATING_ACTIONS],
          resources: protectedArns,
          condition: [{ test: 'ArnNotLike', variable: 'aws:PrincipalArn', values: protectedArns }],
        },
      ];
    default:
      throw new Error(`serviceControlPolicies: unknown policy "${String(name)}"`);
  }
}

/** One SCP per configured built-in policy, attached to its targets. */
export class ServiceControlPolicies extends Construct {
  /** The policies by name. */
  readonly policies: Partial<Record<ScpName, OrganizationsPolicy>> = {};

  constructor(scope: Construct, id: string, props: ServiceControlPoliciesProps) {
    super(scope, id);
    for (const [name, targets] of Object.entries(props.attachments) as [ScpName, string[]][]) {
      const doc = new DataAwsIamPolicyDocument(this, `${name}-document`, {
        statement: scpStatements(name, props),
      });
      const policy = new OrganizationsPolicy(this, name, {
        name: `${props.prefix}-${name}`,
        description: `Landing zone guardrail: ${name}`,
        type: 'SERVICE_CONTROL_POLICY',
        content: doc.minifiedJson,
      });
      this.policies[name] = policy;
      targets.forEach((targetId, i) => {
        new OrganizationsPolicyAttachment(this, `${name}-attachment-${i}`, {
          policyId: policy.id,
          targetId,
        });
      });
    }
  }
}
