/**
 * Karpenter controller (chart `oci://public.ecr.aws/karpenter/karpenter`) on the system
 * node group, plus its `EC2NodeClass` and `NodePool`s ({@link KarpenterNodePools}).
 *
 * Chart values: https://github.com/aws/karpenter-provider-aws/blob/main/charts/karpenter/values.yaml
 * Identity: Pod Identity on `kube-system/karpenter` (role from the cluster stack), no annotation.
 */
import type { Construct } from 'constructs';
import type { ITerraformDependable } from 'cdktf';
import type { PlatformConfig } from '../../../envs/schema/platform';
import { ADDON_IDENTITIES } from '../../eks/addon-identities';
import { KarpenterNodePools } from './karpenter-node-pools';
import { PLATFORM_CHARTS } from '../../../envs/versions';
import type { PlatformContext } from '../addon';
import { HelmAddOn, KARPENTER_ADDON, type HelmRelease } from '../helm-addon';
import { systemNodeSelector, systemTolerations } from '../scheduling';

/** Props of {@link KarpenterAddOn}. */
export interface KarpenterAddOnProps {
  /** `clusters.<name>.platform.karpenter.nodePools`. */
  readonly nodePools: PlatformConfig['karpenter']['nodePools'];
  /** Controller replicas (spread across system nodes). Default 2. */
  readonly replicas?: number;
}

/**
 * Add-on `karpenter`. What dependents wait for is the node pools' release, so anything that
 * needs Karpenter capacity (every other add-on) installs after the pools exist.
 */
export class KarpenterAddOn extends HelmAddOn {
  private readonly props: KarpenterAddOnProps;

  constructor(props: KarpenterAddOnProps) {
    const identity = ADDON_IDENTITIES.karpenter;
    super({
      name: KARPENTER_ADDON,
      chart: PLATFORM_CHARTS.karpenter,
      namespace: identity.namespace,
      dependsOn: [],
    });
    this.props = props;
  }

  protected values(ctx: PlatformContext): Record<string, unknown> {
    return {
      serviceAccount: { create: true, name: ADDON_IDENTITIES.karpenter.serviceAccounts[0] },
      replicas: this.props.replicas ?? 2,
      nodeSelector: systemNodeSelector(),
      tolerations: systemTolerations(),
      settings: {
        clusterName: ctx.cluster.clusterName,
        clusterEndpoint: ctx.cluster.clusterEndpoint,
        interruptionQueue: ctx.cluster.karpenter.interruptionQueueName,
      },
      controller: {
        resources: { requests: { cpu: '250m', memory: '512Mi' }, limits: { memory: '512Mi' } },
      },
    };
  }

  protected override afterRelease(
    scope: Construct,
    ctx: PlatformContext,
    release: HelmRelease,
  ): ITerraformDependable {
    const pools = new KarpenterNodePools(scope, 'node-pools', {
      clusterName: ctx.cluster.clusterName,
      nodeRoleName: ctx.cluster.karpenter.nodeRoleName,
      clusterSecurityGroupId: ctx.cluster.clusterSecurityGroupId,
      nodePools: this.props.nodePools,
      dependsOn: [release],
    });
    return pools.release;
  }
}
