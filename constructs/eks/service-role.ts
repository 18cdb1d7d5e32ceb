/**
 * An IAM role that one AWS service principal may assume (the EKS control plane, EC2 nodes, EKS
 * Pod Identity), with its trust policy built as a policy document and AWS-managed policies
 * attached. The roles of the cluster stack (cluster role, system and Karpenter node roles, Pod
 * Identity roles) are all built from it, so each trust policy is written once.
 *
 * Source: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-service.html
 */
import { Construct } from 'constructs';
import type { TerraformProvider } from 'cdktf';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import {
  DataAwsIamPolicyDocument,
  type DataAwsIamPolicyDocumentStatementCondition,
} from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';

/**
 * Managed policies of an EKS node role, as Karpenter v1.14's reference node role has them
 * (`../shared/reference/karpenter/controller-iam-and-interruption.json`,
 * `nodeRoleManagedPolicies`); the system node group's role uses the same set.
 * Source: https://docs.aws.amazon.com/eks/latest/userguide/create-node-role.html
 */
export const EKS_NODE_POLICIES = [
  'AmazonEKS_CNI_Policy',
  'AmazonEKSWorkerNodePolicy',
  'AmazonEC2ContainerRegistryPullOnly',
  'AmazonSSMManagedInstanceCore',
] as const;

/**
 * ARN of an AWS-managed IAM policy.
 * @param name policy name with its path below `policy/` (e.g. `service-role/AmazonEBSCSIDriverPolicy`)
 * @param partition ARN partition (default `aws`; a token is fine)
 */
export function awsManagedPolicyArn(name: string, partition = 'aws'): string {
  return `arn:${partition}:iam::aws:policy/${name}`;
}

/** ARNs of {@link EKS_NODE_POLICIES} in `partition` (default `aws`). */
export function eksNodePolicyArns(partition = 'aws'): string[] {
  return EKS_NODE_POLICIES.map((name) => awsManagedPolicyArn(name, partition));
}

export interface ServiceRoleProps {
  /** Role name (at most 64 characters). */
  readonly roleName: string;
  /** Role description (default none). */
  readonly description?: string;
  /** The service principal allowed to assume the role, e.g. `ec2.amazonaws.com`. */
  readonly service: string;
  /** Trust actions (default `['sts:AssumeRole']`). */
  readonly actions?: string[];
  /** Conditions of the trust statement (default none), e.g. `aws:SourceArn` for a confused-deputy guard. */
  readonly conditions?: DataAwsIamPolicyDocumentStatementCondition[];
  /** Sid of the trust statement (default none). */
  readonly sid?: string;
  /** AWS-managed (or other existing) policy ARNs to attach (default none). */
  readonly managedPolicyArns?: string[];
  /** Provider (account/region) to create the role with. */
  readonly provider?: TerraformProvider;
}

/**
 * A role trusted by one service principal, with managed policies attached.
 * @throws Error if `roleName` is longer than 64 characters (IAM's limit)
 */
export class ServiceRole extends Construct {
  readonly role: IamRole;
  /** The trust policy document. */
  readonly trust: DataAwsIamPolicyDocument;
  /** One attachment per `managedPolicyArns` entry, in order (for `dependsOn`). */
  readonly managedPolicyAttachments: IamRolePolicyAttachment[];

  constructor(scope: Construct, id: string, props: ServiceRoleProps) {
    super(scope, id);
    if (props.roleName.length > 64)
      throw new Error(`${id}: role name "${props.roleName}" is longer than 64 characters`);
    const provider = props.provider;
    this.trust = new DataAwsIamPolicyDocument(this, 'trust', {
      provider,
      statement: [
        {
          sid: props.sid,
          effect: 'Allow',
          principals: [{ type: 'Service', identifiers: [props.service] }],
          actions: props.actions ?? ['sts:AssumeRole'],
          condition: props.conditions,
        },
      ],
    });
    this.role = new IamRole(this, 'role', {
      provider,
      name: props.roleName,
      description: props.description,
      assumeRolePolicy: this.trust.json,
    });
    this.managedPolicyAttachments = (props.managedPolicyArns ?? []).map(
      (arn) =>
        new IamRolePolicyAttachment(this, `managed-${arn.split('/').pop()}`, {
          provider,
          role: this.role.name,
          policyArn: arn,
        }),
    );
  }

  /** The role's ARN. */
  get roleArn(): string {
    return this.role.arn;
  }

  /** The role's name (a token: depending on it waits for the role). */
  get roleName(): string {
    return this.role.name;
  }
}
