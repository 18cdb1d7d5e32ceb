/**
 * EKS managed add-ons at pinned versions, with conflict resolution `OVERWRITE` on create and
 * update (EKS owns the add-on's fields; hand edits are replaced), plus per-add-on settings:
 * vpc-cni with prefix delegation, aws-ebs-csi-driver with its role through Pod Identity.
 *
 * Order matters: vpc-cni, kube-proxy and eks-pod-identity-agent go before the first nodes (a
 * node is not Ready without the CNI); coredns and aws-ebs-csi-driver need nodes to become
 * ACTIVE, so they go after the node group. Build two instances and pass `dependsOn`.
 *
 * Sources: https://docs.aws.amazon.com/eks/latest/userguide/eks-add-ons.html,
 * https://docs.aws.amazon.com/eks/latest/userguide/cni-increase-ip-addresses.html
 */
import { Construct } from 'constructs';
import type { ITerraformDependable, TerraformProvider } from 'cdktf';
import { EksAddon } from '@cdktf/provider-aws/lib/eks-addon';
import type { EksAddonName } from '../../envs/versions';

/**
 * vpc-cni configuration: prefix delegation on, one warm /28 prefix per node, and the network
 * policy agent on, so Kubernetes `NetworkPolicy` objects (Dagster's default deny) are enforced.
 * Source: https://docs.aws.amazon.com/eks/latest/userguide/cni-network-policy-configure.html
 */
export const VPC_CNI_CONFIGURATION = {
  enableNetworkPolicy: 'true',
  env: { ENABLE_PREFIX_DELEGATION: 'true', WARM_PREFIX_TARGET: '1' },
} as const;

/** The EBS CSI controller's service account (fixed by the add-on). */
export const EBS_CSI_SERVICE_ACCOUNT = 'ebs-csi-controller-sa';

export interface ClusterAddonsProps {
  /** The cluster's name (use the cluster resource's `name`). */
  readonly clusterName: string;
  /** Add-ons to install, in this instance. */
  readonly addons: EksAddonName[];
  /** Pinned version of every add-on (from `EKS_VERSIONS[<k8s version>].addons`). */
  readonly versions: Readonly<Record<EksAddonName, string>>;
  /** Role of the EBS CSI controller (required when `aws-ebs-csi-driver` is listed). */
  readonly ebsCsiRoleArn?: string;
  /** Resources to wait for (e.g. the system node group). */
  readonly dependsOn?: ITerraformDependable[];
  /** Provider (account/region) to create the add-ons with. */
  readonly provider?: TerraformProvider;
}

/** A set of EKS managed add-ons. */
export class ClusterAddons extends Construct {
  /** The add-on resources, by name. */
  readonly addons: Partial<Record<EksAddonName, EksAddon>> = {};

  /** @throws Error if `aws-ebs-csi-driver` is listed without `ebsCsiRoleArn` */
  constructor(scope: Construct, id: string, props: ClusterAddonsProps) {
    super(scope, id);
    for (const name of props.addons) {
      if (name === 'aws-ebs-csi-driver' && !props.ebsCsiRoleArn)
        throw new Error(`${id}: aws-ebs-csi-driver needs ebsCsiRoleArn`);
      this.addons[name] = new EksAddon(this, name, {
        provider: props.provider,
        clusterName: props.clusterName,
        addonName: name,
        addonVersion: props.versions[name],
        resolveConflictsOnCreate: 'OVERWRITE',
        resolveConflictsOnUpdate: 'OVERWRITE',
        configurationValues: name === 'vpc-cni' ? JSON.stringify(VPC_CNI_CONFIGURATION) : undefined,
        podIdentityAssociation:
          name === 'aws-ebs-csi-driver'
            ? [{ roleArn: props.ebsCsiRoleArn!, serviceAccount: EBS_CSI_SERVICE_ACCOUNT }]
            : undefined,
        dependsOn: props.dependsOn,
      });
    }
  }

  /** Every add-on resource of this set (for `dependsOn`). */
  get all(): EksAddon[] {
    return Object.values(this.addons).filter((a): a is EksAddon => a !== undefined);
  }
}
