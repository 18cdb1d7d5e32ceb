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
import type { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import {
  LaunchTemplate,
  type LaunchTemplateBlockDeviceMappings,
} from '@cdktf/provider-aws/lib/launch-template';
import { SYSTEM_NODE_LABELS, SYSTEM_NODE_TAINT } from './addon-identities';
import { ServiceRole, eksNodePolicyArns } from './service-role';
import type { NodeAmiFamily } from '../../envs/versions';
import { isArmInstanceType } from '../../envs/schema/clusters';

/** AMI families the system node group supports. */
export type SystemAmiFamily = NodeAmiFamily;

/**
 * EKS managed node group `ami_type` for an AMI family and architecture.
 * Source: https://docs.aws.amazon.com/eks/latest/APIReference/API_Nodegroup.html#AmazonEKS-Type-Nodegroup-amiType
 */
export function amiTypeOf(family: SystemAmiFamily, arm64: boolean): string {
  if (family === 'Bottlerocket') return arm64 ? 'BOTTLEROCKET_ARM_64' : 'BOTTLEROCKET_x86_64';
  return arm64 ? 'AL2023_ARM_64_STANDARD' : 'AL2023_x86_64_STANDARD';
}

/**
 * Whether `releaseVersion` has the shape of a managed node group AMI release of `family` for
 * Kubernetes `kubernetesVersion`: AL2023 `<kubernetesVersion>.<patch>-<YYYYMMDD>` (the kubelet
 * must match the cluster's minor version), Bottlerocket `<major>.<minor>.<patch>-<8 hex build id>`.
 * Source: https://docs.aws.amazon.com/eks/latest/userguide/eks-linux-ami-versions.html
 */
export function isNodeReleaseVersionOf(
  releaseVersion: string,
  family: SystemAmiFamily,
  kubernetesVersion: string,
): boolean {
  if (family === 'Bottlerocket') return /^\d+\.\d+\.\d+-[0-9a-f]{8}$/.test(releaseVersion);
  const minor = kubernetesVersion.replace(/\./g, '\\.');
  return new RegExp(`^${minor}\\.\\d+-\\d{8}$`).test(releaseVersion);
}

export interface SystemNodeGroupProps {
  /** The cluster's name (use the cluster resource's `name` so the group waits for it). */
  readonly clusterName: string;
  /** The cluster name as a literal (role and launch template names are built from it). */
  readonly clusterNameLiteral: string;
  /** Kubernetes minor version of the nodes (the cluster's), e.g. `1.35`. */
  readonly kubernetesVersion: string;
  /**
   * Pinned AMI release of the nodes (`release_version`), e.g. `1.35.7-20260827` (AL2023) or
   * `1.65.0-0be31b34` (Bottlerocket); take it from `nodeReleaseVersion()` in
   * envs/versions.ts. Changing it rolls the nodes (managed node group update).
   */
  readonly releaseVersion: string;
  /** Private subnets, one per AZ. */
  readonly subnetIds: string[];
  /** On-demand instance types, one architecture (x86_64 or Graviton). */
  readonly instanceTypes: string[];
  /** AMI family (default `Bottlerocket`). */
  readonly amiFamily?: SystemAmiFamily;
  /** Minimum node count (default 2). */
  readonly minSize?: number;
  /** Desired node count (default 2). */
  readonly desiredSize?: number;
  /** Maximum node count (default 4). */
  readonly maxSize?: number;
  /** Data volume size, GiB (default 50). Bottlerocket also gets a 4 GiB OS volume. */
  readonly diskSizeGiB?: number;
  /** Resources the group must wait for (e.g. the vpc-cni add-on). Default none. */
  readonly dependsOn?: ITerraformDependable[];
  /** ARN partition of the node role's managed policies (default `aws`; a token is fine). */
  readonly partition?: string;
  /** Provider (account/region) to create the group with. */
  readonly provider?: TerraformProvider;
}

/**
 * The system managed node group with its node role and launch template.
 * @throws Error if the instance types mix architectures, or `releaseVersion` is not a release
 *   of `amiFamily` for `kubernetesVersion`
 */
export class SystemNodeGroup extends Construct {
  readonly nodeGroup: EksNodeGroup;
  /** Node role `<cluster>-system-node` (EC2 trust, `EKS_NODE_POLICIES` of service-role.ts). */
  readonly role: IamRole;
  /** Launch template: IMDSv2 required (hop limit 1), encrypted gp3 volumes. */
  readonly launchTemplate: LaunchTemplate;

  constructor(scope: Construct, id: string, props: SystemNodeGroupProps) {
    super(scope, id);
    const provider = props.provider;
    const name = props.clusterNameLiteral;
    const family = props.amiFamily ?? 'Bottlerocket';
    const arm = props.instanceTypes.map(isArmInstanceType);
    if (arm.some((a) => a !== arm[0]))
      throw new Error(`${id}: instance types ${props.instanceTypes.join(', ')} mix architectures`);
    if (!isNodeReleaseVersionOf(props.releaseVersion, family, props.kubernetesVersion))
      throw new Error(
        `${id}: release version ${props.releaseVersion} is not an AMI release of ${family} for Kubernetes ${props.kubernetesVersion}`,
      );

    const nodeRole = new ServiceRole(this, 'node-role', {
      provider,
      roleName: `${name}-system-node`,
      description: `System node group of ${name}`,
      service: 'ec2.amazonaws.com',
      managedPolicyArns: eksNodePolicyArns(props.partition),
    });
    this.role = nodeRole.role;

    const volume = (deviceName: string, size: number): LaunchTemplateBlockDeviceMappings => ({
      deviceName,
      ebs: { volumeSize: size, volumeType: 'gp3', encrypted: 'true', deleteOnTermination: 'true' },
    });
    const disk = props.diskSizeGiB ?? 50;
    this.launchTemplate = new LaunchTemplate(this, 'launch-template', {
      provider,
      namePrefix: `${name}-system-`,
      description: `System nodes of ${name}`,
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
        { resourceType: 'instance', tags: { Name: `${name}-system` } },
        { resourceType: 'volume', tags: { Name: `${name}-system` } },
      ],
    });

    this.nodeGroup = new EksNodeGroup(this, 'node-group', {
      provider,
      clusterName: props.clusterName,
      nodeGroupName: 'system',
      version: props.kubernetesVersion,
      releaseVersion: props.releaseVersion,
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
      dependsOn: [...nodeRole.managedPolicyAttachments, ...(props.dependsOn ?? [])],
    });
  }
}
