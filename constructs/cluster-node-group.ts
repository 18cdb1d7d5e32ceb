/**
 * The system node group: a small on-demand EKS managed node group across every AZ for
 * critical add-ons and the Karpenter controller, tainted `CriticalAddonsOnly=true:NoSchedule`,
 * launched from a template that requires IMDSv2 (hop limit 1) and encrypts its gp3 volumes.
 *
 * Sources: https://docs.aws.amazon.com/eks/latest/userguide/launch-templates.html,
 * https://docs.aws.amazon.com/eks/latest/userguide/create-node-role.html
 */
import { Construct } from 'constructs';
import type { ITerraformDependable, TerraformProvider } from 'cdktf';
import { EksNodeGroup } from '@cdktf/provider-aws/lib/eks-node-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import {
  LaunchTemplate,
  type LaunchTemplateBlockDeviceMappings,
} from '@cdktf/provider-aws/lib/launch-template';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { SYSTEM_NODE_LABELS, SYSTEM_NODE_TAINT } from './cluster-addon-identities';
import { isArmInstanceType } from '../envs/schema/clusters';

/** AMI families the system node group supports. */
export type SystemAmiFamily = 'Bottlerocket' | 'AL2023';

/**
 * EKS managed node group `ami_type` for an AMI family and architecture.
 * Source: https://docs.aws.amazon.com/eks/latest/APIReference/API_Nodegroup.html#AmazonEKS-Type-Nodegroup-amiType
 */
export function amiTypeOf(family: SystemAmiFamily, arm64: boolean): string {
  if (family === 'Bottlerocket') return arm64 ? 'BOTTLEROCKET_ARM_64' : 'BOTTLEROCKET_x86_64';
  return arm64 ? 'AL2023_ARM_64_STANDARD' : 'AL2023_x86_64_STANDARD';
}

/** Managed policies of the node role. */
export const SYSTEM_NODE_POLICIES = [
  'arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy',
  'arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy',
  'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly',
  'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore',
] as const;

export interface SystemNodeGroupProps {
  /** The cluster's name (use the cluster resource's `name` so the group waits for it). */
  readonly clusterName: string;
  /** Kubernetes version of the nodes (the cluster's). */
  readonly kubernetesVersion: string;
  /** Private subnets, one per AZ. */
  readonly subnetIds: string[];
  /** On-demand instance types, one architecture. */
  readonly instanceTypes: string[];
  /** AMI family (default `Bottlerocket`). */
  readonly amiFamily?: SystemAmiFamily;
  /** Node counts (defaults 2 / 2 / 4). */
  readonly minSize?: number;
  readonly desiredSize?: number;
  readonly maxSize?: number;
  /** Data volume size, GiB (default 50). Bottlerocket also gets a 4 GiB OS volume. */
  readonly diskSizeGiB?: number;
  /** Resources the group must wait for (e.g. the vpc-cni add-on). */
  readonly dependsOn?: ITerraformDependable[];
  readonly provider?: TerraformProvider;
}

/** The system managed node group with its node role and launch template. */
export class SystemNodeGroup extends Construct {
  readonly nodeGroup: EksNodeGroup;
  readonly role: IamRole;
  readonly launchTemplate: LaunchTemplate;

  constructor(scope: Construct, id: string, props: SystemNodeGroupProps) {
    super(scope, id);
    const provider = props.provider;
    const family = props.amiFamily ?? 'Bottlerocket';
    const arm = props.instanceTypes.map(isArmInstanceType);
    if (arm.some((a) => a !== arm[0]))
      throw new Error(`${id}: instance types ${props.instanceTypes.join(', ')} mix architectures`);

    const trust = new DataAwsIamPolicyDocument(this, 'trust', {
      provider,
      statement: [
        {
          effect: 'Allow',
          principals: [{ type: 'Service', identifiers: ['ec2.amazonaws.com'] }],
          actions: ['sts:AssumeRole'],
        },
      ],
    });
    this.role = new IamRole(this, 'role', {
      provider,
      name: `${props.clusterName}-system-node`,
      assumeRolePolicy: trust.json,
    });
    const attachments = SYSTEM_NODE_POLICIES.map(
      (arn) =>
        new IamRolePolicyAttachment(this, `policy-${arn.split('/').pop()}`, {
          provider,
          role: this.role.name,
          policyArn: arn,
        }),
    );

    const volume = (deviceName: string, size: number): LaunchTemplateBlockDeviceMappings => ({
      deviceName,
      ebs: { volumeSize: size, volumeType: 'gp3', encrypted: 'true', deleteOnTermination: 'true' },
    });
    const disk = props.diskSizeGiB ?? 50;
    this.launchTemplate = new LaunchTemplate(this, 'launch-template', {
      provider,
      namePrefix: `${props.clusterName}-system-`,
      description: `System nodes of ${props.clusterName}`,
      updateDefaultVersion: true,
      metadataOptions: {
        httpEndpoint: 'enabled',
        httpTokens: 'required',
        httpPutResponseHopLimit: 1,
      },
      // Bottlerocket: xvda is the OS volume, xvdb the data volume; AL2023 has one root volume.
      blockDeviceMappings:
        family === 'Bottlerocket'
          ? [volume('/dev/xvda', 4), volume('/dev/xvdb', disk)]
          : [volume('/dev/xvda', disk)],
      tagSpecifications: [
        { resourceType: 'instance', tags: { Name: `${props.clusterName}-system` } },
        { resourceType: 'volume', tags: { Name: `${props.clusterName}-system` } },
      ],
    });

    this.nodeGroup = new EksNodeGroup(this, 'node-group', {
      provider,
      clusterName: props.clusterName,
      nodeGroupName: 'system',
      version: props.kubernetesVersion,
      nodeRoleArn: this.role.arn,
      subnetIds: props.subnetIds,
      capacityType: 'ON_DEMAND',
      instanceTypes: props.instanceTypes,
      amiType: amiTypeOf(family, arm[0] ?? false),
      scalingConfig: {
        minSize: props.minSize ?? 2,
        desiredSize: props.desiredSize ?? 2,
        maxSize: props.maxSize ?? 4,
      },
      updateConfig: { maxUnavailable: 1 },
      launchTemplate: {
        id: this.launchTemplate.id,
        version: this.launchTemplate.latestVersion.toString(),
      },
      labels: { ...SYSTEM_NODE_LABELS },
      taint: [
        { key: SYSTEM_NODE_TAINT.key, value: SYSTEM_NODE_TAINT.value, effect: 'NO_SCHEDULE' },
      ],
      dependsOn: [...attachments, ...(props.dependsOn ?? [])],
    });
  }
}
