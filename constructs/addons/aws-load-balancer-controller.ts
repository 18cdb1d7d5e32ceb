/**
 * AWS Load Balancer Controller (chart `eks/aws-load-balancer-controller`): ALBs for
 * `Ingress`es of class `alb`, NLBs for `Service`s. The ingress choice of the landing zone
 * (ingress-nginx was retired upstream in March 2026).
 *
 * Chart values: https://github.com/aws/eks-charts/blob/master/stable/aws-load-balancer-controller/values.yaml
 * Identity: Pod Identity on `kube-system/aws-load-balancer-controller`.
 */
import { ADDON_IDENTITIES } from '../cluster-addon-identities';
import { PLATFORM_CHARTS } from '../versions';
import type { PlatformContext } from './addon';
import { HelmAddOn } from './helm-addon';
import { systemTolerations } from './scheduling';

/** The `IngressClass` the controller creates. */
export const ALB_INGRESS_CLASS = 'alb';

/** Add-on `aws-load-balancer-controller`. */
export class AwsLoadBalancerControllerAddOn extends HelmAddOn {
  constructor() {
    super({
      name: 'aws-load-balancer-controller',
      chart: PLATFORM_CHARTS.awsLoadBalancerController,
      namespace: ADDON_IDENTITIES['aws-load-balancer-controller'].namespace,
      dependsOn: ['karpenter'],
    });
  }

  protected values(ctx: PlatformContext): Record<string, unknown> {
    return {
      clusterName: ctx.cluster.clusterName,
      region: ctx.region,
      vpcId: ctx.cluster.vpcId,
      replicaCount: 2,
      serviceAccount: {
        create: true,
        name: ADDON_IDENTITIES['aws-load-balancer-controller'].serviceAccounts[0],
      },
      tolerations: systemTolerations(),
      createIngressClassResource: true,
      ingressClass: ALB_INGRESS_CLASS,
      ingressClassConfig: { default: false },
      // Targets are pod IPs (VPC CNI), so traffic skips the node hop.
      defaultTargetType: 'ip',
      podDisruptionBudget: { maxUnavailable: 1 },
    };
  }
}
