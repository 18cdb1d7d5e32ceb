/**
 * Karpenter's Kubernetes side: one `EC2NodeClass` (`default`) and the `NodePool`s from the
 * cluster's config (`general`, `batch`), delivered as a {@link ManifestsRelease} that
 * depends on the Karpenter controller release (which installs the CRDs).
 *
 * References (Karpenter v1.14):
 * - EC2NodeClass: https://karpenter.sh/docs/concepts/nodeclasses/
 * - NodePool: https://karpenter.sh/docs/concepts/nodepools/
 * - Disruption: https://karpenter.sh/docs/concepts/disruption/
 */
import { Construct } from 'constructs';
import type { ITerraformDependable } from 'cdktf';
import type { NodePoolConfig } from '../../../envs/schema/platform';
import { ManifestsRelease } from '../manifests';
import { KARPENTER_AMI_ALIAS } from '../../../envs/versions';

/** The discovery tag Karpenter selects subnets and security groups by. */
export const KARPENTER_DISCOVERY_TAG = 'karpenter.sh/discovery';
/** Name of the single `EC2NodeClass`. */
export const NODE_CLASS_NAME = 'default';
/**
 * `spec.kubelet.maxPods` of the node class. The cluster's VPC CNI runs with prefix delegation
 * (`ENABLE_PREFIX_DELEGATION=true`), so a node's pod capacity is the EKS max-pods formula
 * `ENIs × ((IPv4 per ENI − 1) × 16) + 2`, capped at 110 below 30 vCPUs and 250 above
 * (awslabs/amazon-eks-ami `templates/al2/runtime/max-pods-calculator.sh`,
 * `MAX_POD_CEILING_FOR_LOW_CPU=110`; EKS user guide "choose-instance-types": "For instances with
 * less than 30 vCPUs the maximum number is 110 and for all other instances the maximum number is
 * 250"). Karpenter's own estimate ignores prefix delegation (ENIs × (IPs − 1) + 2) and would
 * under-pack nodes. 110 holds for every instance with at least 2 vCPUs the pools allow (the
 * smallest, 2-vCPU sizes have 3 ENIs × ≥ 4 addresses: 3 × 3 × 16 + 2 = 146), hence the pools'
 * `instance-cpu > 1` requirement; instances above 30 vCPUs could take 250 but keep 110.
 */
export const NODE_MAX_PODS = 110;

/** Label every Karpenter node carries with its pool's name (set by Karpenter itself). */
export const NODE_POOL_LABEL = 'karpenter.sh/nodepool';

/** Props of {@link KarpenterNodePools}. */
export interface KarpenterNodePoolsProps {
  /** EKS cluster name; also the value of the `karpenter.sh/discovery` tag on subnets and security groups. */
  readonly clusterName: string;
  /** The EKS cluster security group (cluster stack output), selected besides tagged groups. Default: tagged groups only. */
  readonly clusterSecurityGroupId?: string;
  /** IAM role name of Karpenter's nodes (cluster stack output). */
  readonly nodeRoleName: string;
  /** Node pools by name (`general`, `batch`), from `clusters.<name>.platform.karpenter.nodePools`. */
  readonly nodePools: Readonly<Record<string, NodePoolConfig>>;
  /** AMI alias, pinned (`al2023@vYYYYMMDD`). Default {@link KARPENTER_AMI_ALIAS}. Throws on `@latest`. */
  readonly amiAlias?: string;
  /** Root volume of every node, GiB (gp3, encrypted). Default 50. */
  readonly rootVolumeGiB?: number;
  /** Namespace of the Helm release (cluster-scoped objects only). Default `kube-system`. */
  readonly namespace?: string;
  /** What must exist first: the Karpenter controller release. */
  readonly dependsOn: ITerraformDependable[];
}

/** The `EC2NodeClass` object (karpenter.k8s.aws/v1). */
export function ec2NodeClass(
  props: Pick<
    KarpenterNodePoolsProps,
    'clusterName' | 'nodeRoleName' | 'amiAlias' | 'rootVolumeGiB' | 'clusterSecurityGroupId'
  >,
): Record<string, unknown> {
  const alias = props.amiAlias ?? KARPENTER_AMI_ALIAS;
  if (!/^[a-z0-9]+@v\d{8}$/.test(alias)) {
    throw new Error(
      `EC2NodeClass: AMI alias "${alias}" must be pinned to a release (family@vYYYYMMDD), never @latest`,
    );
  }
  const discovery = { [KARPENTER_DISCOVERY_TAG]: props.clusterName };
  return {
    apiVersion: 'karpenter.k8s.aws/v1',
    kind: 'EC2NodeClass',
    metadata: { name: NODE_CLASS_NAME },
    spec: {
      amiSelectorTerms: [{ alias }],
      role: props.nodeRoleName,
      subnetSelectorTerms: [{ tags: discovery }],
      // Terms are ORed: any security group carrying the discovery tag, and the EKS cluster
      // security group itself (always present, so nodes can join even before tagging).
      securityGroupSelectorTerms: [
        { tags: discovery },
        ...(props.clusterSecurityGroupId ? [{ id: props.clusterSecurityGroupId }] : []),
      ],
      // IMDSv2 only; hop limit 1 keeps pods (which use Pod Identity) away from the node's credentials.
      metadataOptions: {
        httpEndpoint: 'enabled',
        httpProtocolIPv6: 'disabled',
        httpPutResponseHopLimit: 1,
        httpTokens: 'required',
      },
      blockDeviceMappings: [
        {
          deviceName: '/dev/xvda',
          ebs: {
            volumeSize: `${props.rootVolumeGiB ?? 50}Gi`,
            volumeType: 'gp3',
            encrypted: true,
            deleteOnTermination: true,
          },
        },
      ],
      detailedMonitoring: false,
      kubelet: { maxPods: NODE_MAX_PODS },
    },
  };
}

/** One `NodePool` object (karpenter.sh/v1) from its config. */
export function nodePool(name: string, pool: NodePoolConfig): Record<string, unknown> {
  return {
    apiVersion: 'karpenter.sh/v1',
    kind: 'NodePool',
    metadata: { name },
    spec: {
      template: {
        metadata: { labels: { 'landing-zone/node-pool': name } },
        spec: {
          nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: NODE_CLASS_NAME },
          requirements: [
            {
              key: 'karpenter.k8s.aws/instance-category',
              operator: 'In',
              values: [...pool.instanceCategories],
            },
            {
              key: 'karpenter.k8s.aws/instance-generation',
              operator: 'Gt',
              values: [String(pool.minInstanceGeneration - 1)],
            },
            // At least 2 vCPUs: the node class's maxPods (NODE_MAX_PODS) fits them.
            { key: 'karpenter.k8s.aws/instance-cpu', operator: 'Gt', values: ['1'] },
            { key: 'kubernetes.io/arch', operator: 'In', values: [...pool.architectures] },
            { key: 'kubernetes.io/os', operator: 'In', values: ['linux'] },
            { key: 'karpenter.sh/capacity-type', operator: 'In', values: [...pool.capacityTypes] },
          ],
          ...(pool.taints.length > 0
            ? {
                taints: pool.taints.map((t) => ({
                  key: t.key,
                  effect: t.effect,
                  ...(t.value !== undefined ? { value: t.value } : {}),
                })),
              }
            : {}),
          expireAfter: pool.expireAfter,
          terminationGracePeriod: pool.terminationGracePeriod,
        },
      },
      disruption: {
        consolidationPolicy: pool.disruption.consolidationPolicy,
        consolidateAfter: pool.disruption.consolidateAfter,
        budgets: pool.disruption.budgets.map((b) => ({ ...b })),
      },
      limits: { cpu: String(pool.limits.cpu), memory: `${pool.limits.memoryGiB}Gi` },
    },
  };
}

/**
 * The `EC2NodeClass` and `NodePool`s as one Helm release (`karpenter-node-pools`).
 * @throws Error if the AMI alias is not pinned, or `nodePools` is empty.
 */
export class KarpenterNodePools extends Construct {
  /** The manifests release (after the controller release); what other add-ons wait for. */
  readonly release: ManifestsRelease['release'];
  /** The objects applied (node class first). */
  readonly manifests: Record<string, unknown>[];

  constructor(scope: Construct, id: string, props: KarpenterNodePoolsProps) {
    super(scope, id);
    const pools = Object.entries(props.nodePools);
    if (pools.length === 0) throw new Error('KarpenterNodePools: no node pools');
    this.manifests = [ec2NodeClass(props), ...pools.map(([name, pool]) => nodePool(name, pool))];
    this.release = new ManifestsRelease(this, 'manifests', {
      name: 'karpenter-node-pools',
      namespace: props.namespace ?? 'kube-system',
      manifests: this.manifests,
      dependsOn: props.dependsOn,
    }).release;
  }
}
