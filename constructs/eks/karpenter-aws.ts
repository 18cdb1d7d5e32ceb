/**
 * Karpenter's AWS side, at parity with Karpenter v1.14's getting-started CloudFormation
 * template (`website/content/en/v1.14/getting-started/getting-started-with-karpenter/cloudformation.yaml`
 * in aws/karpenter-provider-aws): the controller role (Pod Identity) with the same policy
 * statements, actions and scoping conditions; the node role with the same managed policies
 * and an `EC2_LINUX` access entry (instance profiles are left to Karpenter, which creates them
 * from `EC2NodeClass.spec.role`); the interruption queue (SSE, 300 s retention, TLS only) and
 * the EventBridge rules feeding it.
 *
 * One addition to the template: the controller may create the EC2 Spot service-linked role
 * (`iam:CreateServiceLinkedRole` for `spot.amazonaws.com` only), so the first Spot launch in an
 * account works whether or not the role exists, and the stack never manages that
 * account-wide role (see {@link spotServiceLinkedRoleStatement}).
 *
 * Source: https://karpenter.sh/docs/reference/cloudformation/
 */
import { Construct } from 'constructs';
import type { TerraformProvider } from 'cdktf';
import type { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { EksAccessEntry } from '@cdktf/provider-aws/lib/eks-access-entry';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { SqsQueuePolicy } from '@cdktf/provider-aws/lib/sqs-queue-policy';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import {
  DataAwsIamPolicyDocument,
  type DataAwsIamPolicyDocumentStatement,
} from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { PodIdentityRole } from './pod-identity-role';
import { ServiceRole, eksNodePolicyArns } from './service-role';
import { serviceAccountsOf } from './addon-identities';

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
 * conditions. `test/cluster-karpenter.test.ts` checks them against
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

export interface KarpenterAwsProps {
  /** The cluster's name (use the cluster resource's `name` so access entries wait for it). */
  readonly clusterName: string;
  /**
   * The cluster name as a literal: tag condition keys, the queue name (`<cluster>`) and the
   * role names (`<cluster>-karpenter-node`, `<cluster>-karpenter-controller`) are built from it.
   */
  readonly clusterNameLiteral: string;
  /** The cluster's ARN (Pod Identity trust is limited to it). */
  readonly clusterArn: string;
  /** The cluster's region, e.g. `eu-central-1` (region conditions of the controller policy). */
  readonly region: string;
  /** The cluster's account ID (12 digits, or a token). */
  readonly accountId: string;
  /** ARN partition (default `aws`; a token is fine). */
  readonly partition?: string;
  /** Provider (account/region) to create the resources with. */
  readonly provider?: TerraformProvider;
}

/**
 * Karpenter's IAM roles, access entry, interruption queue and rules.
 * @throws Error if a role name built from `clusterNameLiteral` is longer than 64 characters
 */
export class KarpenterAws extends Construct {
  /** Node role (EC2 trust, `EKS_NODE_POLICIES` of cluster-service-role.ts); give its name to `EC2NodeClass.spec.role`. */
  readonly nodeRole: IamRole;
  /** Controller role, bound to `kube-system/karpenter` through Pod Identity. */
  readonly controller: PodIdentityRole;
  /** Interruption queue named after the cluster; give its name to `settings.interruptionQueue`. */
  readonly queue: SqsQueue;
  /** EventBridge rules feeding the queue, by upstream rule name. */
  readonly rules: Record<string, CloudwatchEventRule> = {};

  constructor(scope: Construct, id: string, props: KarpenterAwsProps) {
    super(scope, id);
    const provider = props.provider;
    const partition = props.partition ?? 'aws';
    const name = props.clusterNameLiteral;

    // Trusted by EC2 only: upstream's template also trusts pods.eks.amazonaws.com, which
    // nothing here uses (the controller has its own role).
    this.nodeRole = new ServiceRole(this, 'node-role', {
      provider,
      roleName: `${name}-karpenter-node`,
      description: `Nodes Karpenter launches for ${name}`,
      service: 'ec2.amazonaws.com',
      managedPolicyArns: eksNodePolicyArns(partition),
    }).role;
    new EksAccessEntry(this, 'node-access-entry', {
      provider,
      clusterName: props.clusterName,
      principalArn: this.nodeRole.arn,
      type: 'EC2_LINUX',
    });

    this.queue = new SqsQueue(this, 'queue', {
      provider,
      name,
      messageRetentionSeconds: INTERRUPTION_QUEUE_RETENTION_SECONDS,
      sqsManagedSseEnabled: true,
    });
    const queuePolicy = new DataAwsIamPolicyDocument(this, 'queue-policy-document', {
      provider,
      policyId: 'EC2InterruptionPolicy',
      statement: [
        {
          sid: 'AllowEventsToSend',
          effect: 'Allow',
          principals: [
            { type: 'Service', identifiers: ['events.amazonaws.com', 'sqs.amazonaws.com'] },
          ],
          actions: ['sqs:SendMessage'],
          resources: [this.queue.arn],
        },
        {
          sid: 'DenyHTTP',
          effect: 'Deny',
          principals: [{ type: '*', identifiers: ['*'] }],
          actions: ['sqs:*'],
          resources: [this.queue.arn],
          condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
        },
      ],
    });
    new SqsQueuePolicy(this, 'queue-policy', {
      provider,
      queueUrl: this.queue.url,
      policy: queuePolicy.json,
    });

    for (const [rule, pattern] of Object.entries(KARPENTER_INTERRUPTION_RULES)) {
      const r = new CloudwatchEventRule(this, rule, {
        provider,
        name: `${name}-karpenter-${rule}`.slice(0, 64),
        description: `Karpenter interruption events (${pattern['detail-type'][0]}) for ${name}`,
        eventPattern: JSON.stringify(pattern),
      });
      new CloudwatchEventTarget(this, `${rule}-target`, {
        provider,
        rule: r.name,
        targetId: 'KarpenterInterruptionQueueTarget',
        arn: this.queue.arn,
      });
      this.rules[rule] = r;
    }

    this.controller = new PodIdentityRole(this, 'controller', {
      provider,
      roleName: `${name}-karpenter-controller`,
      description: `Karpenter controller of ${name}`,
      clusterName: props.clusterName,
      clusterArn: props.clusterArn,
      accountId: props.accountId,
      policies: {
        ...karpenterControllerPolicies({
          clusterName: name,
          region: props.region,
          accountId: props.accountId,
          partition,
          nodeRoleArn: this.nodeRole.arn,
          queueArn: this.queue.arn,
        }),
        SpotServiceLinkedRolePolicy: [spotServiceLinkedRoleStatement(props.accountId, partition)],
      },
      serviceAccounts: serviceAccountsOf('karpenter'),
    });
  }
}
