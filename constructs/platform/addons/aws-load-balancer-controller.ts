/**
 * AWS Load Balancer Controller (chart `eks/aws-load-balancer-controller`): ALBs for
 * `Ingress`es of class `alb`, NLBs for `Service`s. The ingress choice of the landing zone
 * (ingress-nginx was retired upstream in March 2026).
 *
 * Secrets: the chart's ClusterRole grants no access to Secrets unless
 * `clusterSecretsPermissions.allowAllSecrets` is true (templates/rbac.yaml of the chart). It
 * stays false here; an application that uses ALB OIDC authentication (the
 * `alb.ingress.kubernetes.io/auth-idp-oidc` annotation names a Secret in the Ingress's
 * namespace) grants the controller read access to that one Secret with
 * {@link loadBalancerSecretAccess}, as upstream documents in
 * https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/examples/secrets_access/
 *
 * Chart values: https://github.com/kubernetes-sigs/aws-load-balancer-controller/blob/main/helm/aws-load-balancer-controller/values.yaml
 * Identity: Pod Identity on `kube-system/aws-load-balancer-controller`.
 */
import { ADDON_IDENTITIES } from '../../eks/addon-identities';
import { PLATFORM_CHARTS } from '../../../envs/versions';
import type { PlatformContext } from '../addon';
import { HelmAddOn } from '../helm-addon';
import { systemTolerations } from '../scheduling';

/** The `IngressClass` the controller creates. */
export const ALB_INGRESS_CLASS = 'alb';

const identity = ADDON_IDENTITIES['aws-load-balancer-controller'];

/**
 * A `Role` and `RoleBinding` (rbac.authorization.k8s.io/v1) in `namespace` that let the load
 * balancer controller's service account (`kube-system/aws-load-balancer-controller`) `get`,
 * `list` and `watch` the named Secrets only (the controller watches each Secret it uses with a
 * `metadata.name` field selector, which `resourceNames` admits).
 *
 * Use: the OIDC client Secret of an ALB-authenticated Ingress (Dagster's `dagster-oidc-client`).
 * Deliver the objects with the application's manifests, before its Ingress.
 *
 * @param namespace the Ingress's (and Secret's) namespace, e.g. `dagster`
 * @param secretNames the Secrets the controller may read; at least one
 * @returns `[Role, RoleBinding]`, both named `aws-load-balancer-controller-secrets`
 * @throws Error if `secretNames` is empty (an empty `resourceNames` would allow every Secret)
 */
export function loadBalancerSecretAccess(
  namespace: string,
  secretNames: readonly string[],
): Record<string, unknown>[] {
  if (secretNames.length === 0) {
    throw new Error(
      `loadBalancerSecretAccess(${namespace}): secretNames is empty (that would allow every Secret)`,
    );
  }
  const name = 'aws-load-balancer-controller-secrets';
  return [
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name, namespace },
      rules: [
        {
          apiGroups: [''],
          resources: ['secrets'],
          resourceNames: [...secretNames],
          verbs: ['get', 'list', 'watch'],
        },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name, namespace },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      subjects: [
        {
          kind: 'ServiceAccount',
          name: identity.serviceAccounts[0],
          namespace: identity.namespace,
        },
      ],
    },
  ];
}

/** Add-on `aws-load-balancer-controller` (after the node pools). */
export class AwsLoadBalancerControllerAddOn extends HelmAddOn {
  constructor() {
    super({
      name: 'aws-load-balancer-controller',
      chart: PLATFORM_CHARTS.awsLoadBalancerController,
      namespace: identity.namespace,
    });
  }

  protected values(ctx: PlatformContext): Record<string, unknown> {
    return {
      clusterName: ctx.cluster.clusterName,
      region: ctx.region,
      vpcId: ctx.cluster.vpcId,
      replicaCount: 2,
      serviceAccount: { create: true, name: identity.serviceAccounts[0] },
      tolerations: systemTolerations(),
      createIngressClassResource: true,
      ingressClass: ALB_INGRESS_CLASS,
      ingressClassConfig: { default: false },
      // Targets are pod IPs (VPC CNI), so traffic skips the node hop.
      defaultTargetType: 'ip',
      podDisruptionBudget: { maxUnavailable: 1 },
      // No cluster-wide Secret access: see loadBalancerSecretAccess() for per-Secret grants.
      clusterSecretsPermissions: { allowAllSecrets: false },
    };
  }
}
