/**
 * Karpenter's controller IAM policy and interruption event patterns, at parity with Karpenter
 * v1.14's getting-started CloudFormation template
 * (`website/content/en/v1.14/getting-started/getting-started-with-karpenter/cloudformation.yaml`
 * in aws/karpenter-provider-aws). Used by {@link KarpenterAws} (`karpenter-aws.ts`).
 * Source: https://karpenter.sh/docs/reference/cloudformation/
 */
import type { DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';

/** EventBridge rules that feed the interruption queue: rule name suffix → event pattern. */
export const KARPENTER_INTERRUPTION_RULES: Readonly<
  Record<string, { source: string[]; 'detail-type': string[] }>
> = {
  ScheduledChangeRule: { source: ['aws.health'], 'detail-type': ['AWS Health Event'] },
  SpotInterruptionRule: {
    source: ['aws.ec2'],
    'detail-type': ['EC2 Spot Instance Interruption Warning'],
  },
  RebalanceRule: { source: ['aws.ec2'], 'detail-type': ['EC2 Instance Rebalance Recommendation'] },
  InstanceStateChangeRule: {
    source: ['aws.ec2'],
    'detail-type': ['EC2 Instance State-change Notification'],
  },
  CapacityReservationInterruptionRule: {
    source: ['aws.ec2'],
    'detail-type': ['EC2 Capacity Reservation Instance Interruption Warning'],
  },
};

/** Interruption queue message retention, seconds (as upstream). */
export const INTERRUPTION_QUEUE_RETENTION_SECONDS = 300;

/** Inputs of {@link karpenterControllerPolicies}. */
export interface KarpenterPolicyContext {
  /** The cluster name as a literal (it is part of condition keys, which cannot be tokens). */
  readonly clusterName: string;
  /** The cluster's region, e.g. `eu-central-1`. */
  readonly region: string;
  /** The cluster's account ID (12 digits, or a token). */
  readonly accountId: string;
  /** ARN partition (default `aws`). */
  readonly partition?: string;
  /** ARN of the node role (the only role the controller may pass). */
  readonly nodeRoleArn: string;
  /** ARN of the interruption queue. */
  readonly queueArn: string;
}

type Statement = DataAwsIamPolicyDocumentStatement;
const eq = (variable: string, ...values: string[]) => ({ test: 'StringEquals', variable, values });
const like = (variable: string, ...values: string[]) => ({ test: 'StringLike', variable, values });

/**
 * The controller's policy statements, grouped as upstream's managed policies
 * (`NodeLifecyclePolicy`, `IAMIntegrationPolicy`, `EKSIntegrationPolicy`, `InterruptionPolicy`,
 * `ZonalShiftPolicy`, `ResourceDiscoveryPolicy`), with the same Sids, actions, resources and
 * conditions. `test/constructs/eks/karpenter-aws.test.ts` checks them against
 * `../shared/reference/karpenter/controller-iam-and-interruption.json`.
 * Source: https://github.com/aws/karpenter-provider-aws/blob/v1.14.1/website/content/en/v1.14/getting-started/getting-started-with-karpenter/cloudformation.yaml
 * @returns statements by upstream policy name
 */
export function karpenterControllerPolicies(
  c: KarpenterPolicyContext,
): Record<string, Statement[]> {
  const p = c.partition ?? 'aws';
  const ec2 = (res: string) => `arn:${p}:ec2:${c.region}:*:${res}`;
  const clusterTag = `kubernetes.io/cluster/${c.clusterName}`;
  const clusterArn = `arn:${p}:eks:${c.region}:${c.accountId}:cluster/${c.clusterName}`;
  const instanceProfiles = `arn:${p}:iam::${c.accountId}:instance-profile/*`;
  const taggable = [
    'fleet/*',
    'instance/*',
    'volume/*',
    'network-interface/*',
    'launch-template/*',
    'spot-instances-request/*',
  ].map(ec2);
  // The scoping condition sets upstream repeats across statements, each written once here.
  /** An existing EC2 resource of this cluster, launched for some node pool. */
  const ownedNodePoolResource = [
    eq(`aws:ResourceTag/${clusterTag}`, 'owned'),
    like('aws:ResourceTag/karpenter.sh/nodepool', '*'),
  ];
  /** A new EC2 resource tagged for this cluster and some node pool. */
  const ownedNodePoolRequest = [
    eq(`aws:RequestTag/${clusterTag}`, 'owned'),
    eq('aws:RequestTag/eks:eks-cluster-name', c.clusterName),
    like('aws:RequestTag/karpenter.sh/nodepool', '*'),
  ];
  /** An existing instance profile of this cluster and region, made for some node class. */
  const ownedProfileResource = [
    eq(`aws:ResourceTag/${clusterTag}`, 'owned'),
    eq('aws:ResourceTag/topology.kubernetes.io/region', c.region),
    like('aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass', '*'),
  ];
  /** A new (or re-tagged) instance profile tagged for this cluster, region and some node class. */
  const ownedProfileRequest = [
    eq(`aws:RequestTag/${clusterTag}`, 'owned'),
    eq('aws:RequestTag/eks:eks-cluster-name', c.clusterName),
    eq('aws:RequestTag/topology.kubernetes.io/region', c.region),
    like('aws:RequestTag/karpenter.k8s.aws/ec2nodeclass', '*'),
  ];
  return {
    NodeLifecyclePolicy: [
      {
        sid: 'AllowScopedEC2InstanceAccessActions',
        effect: 'Allow',
        actions: ['ec2:RunInstances', 'ec2:CreateFleet'],
        resources: [
          `arn:${p}:ec2:${c.region}::image/*`,
          `arn:${p}:ec2:${c.region}::snapshot/*`,
          ec2('security-group/*'),
          ec2('subnet/*'),
          ec2('capacity-reservation/*'),
          ec2('placement-group/*'),
        ],
      },
      {
        sid: 'AllowScopedEC2LaunchTemplateAccessActions',
        effect: 'Allow',
        actions: ['ec2:RunInstances', 'ec2:CreateFleet'],
        resources: [ec2('launch-template/*')],
        condition: ownedNodePoolResource,
      },
      {
        sid: 'AllowScopedEC2InstanceActionsWithTags',
        effect: 'Allow',
        actions: ['ec2:RunInstances', 'ec2:CreateFleet', 'ec2:CreateLaunchTemplate'],
        resources: taggable,
        condition: ownedNodePoolRequest,
      },
      {
        sid: 'AllowScopedResourceCreationTagging',
        effect: 'Allow',
        actions: ['ec2:CreateTags'],
        resources: taggable,
        condition: [
          ...ownedNodePoolRequest,
          eq('ec2:CreateAction', 'RunInstances', 'CreateFleet', 'CreateLaunchTemplate'),
        ],
      },
      {
        sid: 'AllowScopedResourceTagging',
        effect: 'Allow',
        actions: ['ec2:CreateTags'],
        resources: [ec2('instance/*')],
        condition: [
          ...ownedNodePoolResource,
          {
            test: 'StringEqualsIfExists',
            variable: 'aws:RequestTag/eks:eks-cluster-name',
            values: [c.clusterName],
          },
          {
            test: 'ForAllValues:StringEquals',
            variable: 'aws:TagKeys',
            values: ['eks:eks-cluster-name', 'karpenter.sh/nodeclaim', 'Name'],
          },
        ],
      },
      {
        sid: 'AllowScopedDeletion',
        effect: 'Allow',
        actions: ['ec2:TerminateInstances', 'ec2:DeleteLaunchTemplate'],
        resources: [ec2('instance/*'), ec2('launch-template/*')],
        condition: ownedNodePoolResource,
      },
    ],
    IAMIntegrationPolicy: [
      {
        sid: 'AllowPassingInstanceRole',
        effect: 'Allow',
        actions: ['iam:PassRole'],
        resources: [c.nodeRoleArn],
        condition: [eq('iam:PassedToService', 'ec2.amazonaws.com', 'ec2.amazonaws.com.cn')],
      },
      {
        sid: 'AllowScopedInstanceProfileCreationActions',
        effect: 'Allow',
        actions: ['iam:CreateInstanceProfile'],
        resources: [instanceProfiles],
        condition: ownedProfileRequest,
      },
      {
        sid: 'AllowScopedInstanceProfileTagActions',
        effect: 'Allow',
        actions: ['iam:TagInstanceProfile'],
        resources: [instanceProfiles],
        condition: [...ownedProfileResource, ...ownedProfileRequest],
      },
      {
        sid: 'AllowScopedInstanceProfileActions',
        effect: 'Allow',
        actions: [
          'iam:AddRoleToInstanceProfile',
          'iam:RemoveRoleFromInstanceProfile',
          'iam:DeleteInstanceProfile',
        ],
        resources: [instanceProfiles],
        condition: ownedProfileResource,
      },
    ],
    EKSIntegrationPolicy: [
      {
        sid: 'AllowAPIServerEndpointDiscovery',
        effect: 'Allow',
        actions: ['eks:DescribeCluster'],
        resources: [clusterArn],
      },
    ],
    InterruptionPolicy: [
      {
        sid: 'AllowInterruptionQueueActions',
        effect: 'Allow',
        actions: ['sqs:DeleteMessage', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage'],
        resources: [c.queueArn],
      },
    ],
    ZonalShiftPolicy: [
      {
        sid: 'AllowZonalShiftStatusReadOnly',
        effect: 'Allow',
        actions: ['arc-zonal-shift:GetManagedResource'],
        resources: ['*'],
        condition: [eq('arc-zonal-shift:ResourceIdentifier', clusterArn)],
      },
    ],
    ResourceDiscoveryPolicy: [
      {
        sid: 'AllowRegionalReadActions',
        effect: 'Allow',
        actions: [
          'ec2:DescribeCapacityReservations',
          'ec2:DescribeImages',
          'ec2:DescribeInstances',
          'ec2:DescribeInstanceStatus',
          'ec2:DescribeInstanceTypeOfferings',
          'ec2:DescribeInstanceTypes',
          'ec2:DescribeLaunchTemplates',
          'ec2:DescribePlacementGroups',
          'ec2:DescribeSecurityGroups',
          'ec2:DescribeSpotPriceHistory',
          'ec2:DescribeSubnets',
        ],
        resources: ['*'],
        condition: [eq('aws:RequestedRegion', c.region)],
      },
      {
        sid: 'AllowSSMReadActions',
        effect: 'Allow',
        actions: ['ssm:GetParameter'],
        resources: [`arn:${p}:ssm:${c.region}::parameter/aws/service/*`],
      },
      {
        sid: 'AllowPricingReadActions',
        effect: 'Allow',
        actions: ['pricing:GetProducts'],
        resources: ['*'],
      },
      {
        sid: 'AllowUnscopedInstanceProfileListAction',
        effect: 'Allow',
        actions: ['iam:ListInstanceProfiles'],
        resources: ['*'],
      },
      {
        sid: 'AllowInstanceProfileReadActions',
        effect: 'Allow',
        actions: ['iam:GetInstanceProfile'],
        resources: [instanceProfiles],
      },
    ],
  };
}

/**
 * The one statement beyond upstream: lets EC2 create the Spot service-linked role
 * (`AWSServiceRoleForEC2Spot`) with the controller's credentials on the first Spot launch in
 * an account. A no-op where the role exists; nothing in Terraform state depends on it.
 * Source: https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/service-linked-roles-spot-instance-requests.html
 */
export function spotServiceLinkedRoleStatement(accountId: string, partition = 'aws'): Statement {
  return {
    sid: 'AllowSpotServiceLinkedRoleCreation',
    effect: 'Allow',
    actions: ['iam:CreateServiceLinkedRole'],
    resources: [
      `arn:${partition}:iam::${accountId}:role/aws-service-role/spot.amazonaws.com/AWSServiceRoleForEC2Spot`,
    ],
    condition: [eq('iam:AWSServiceName', 'spot.amazonaws.com')],
  };
}
