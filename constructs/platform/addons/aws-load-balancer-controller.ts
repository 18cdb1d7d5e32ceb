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
 * Webhooks: the Service mutator is off (see `values`); the remaining ones with `failurePolicy:
 * Fail` (`vingress`, `vtargetgroupbinding`, `mtargetgroupbinding`, `vingressclassparams`) only
 * intercept the controller's own kinds and Ingresses, which only the Dagster add-on creates,
 * after this release (`wait: true`: its pods, hence the webhook endpoints, are ready).
 *
 * CRDs: the chart ships them in `crds/` (`crds.yaml`, `gateway-crds.yaml` at v3.5.0), which
 * Helm installs once and never upgrades; {@link loadBalancerControllerCrdJob} applies the pinned
 * release's CRDs before every install or upgrade of the chart.
 *
 * Chart values: https://github.com/kubernetes-sigs/aws-load-balancer-controller/blob/main/helm/aws-load-balancer-controller/values.yaml
 * Identity: Pod Identity on `kube-system/aws-load-balancer-controller`.
 */
import type { Construct } from 'constructs';
import type { ITerraformDependable } from 'cdktf';
import { ADDON_IDENTITIES } from '../../eks/addon-identities';
import { CRD_UPGRADE_IMAGES, PLATFORM_CHARTS } from '../../../envs/versions';
import type { PlatformContext } from '../addon';
import { HelmAddOn } from '../helm-addon';
import { ManifestsRelease } from '../manifests';
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

/**
 * The CRD files of the pinned chart (`helm/aws-load-balancer-controller/crds/` at tag
 * `v<version>`: `crds.yaml`, `gateway-crds.yaml`), as raw GitHub URLs.
 */
export function loadBalancerControllerCrdUrls(version: string): string[] {
  const base = `https://raw.githubusercontent.com/kubernetes-sigs/aws-load-balancer-controller/v${version}/helm/aws-load-balancer-controller/crds`;
  return [`${base}/crds.yaml`, `${base}/gateway-crds.yaml`];
}

/**
 * The objects that apply the pinned chart's CRDs before the chart is installed or upgraded
 * (Helm installs a chart's `crds/` once and never upgrades it; the chart README: "CRDs need to be
 * updated as follows … `kubectl apply -k …/crds`"): a ServiceAccount, a ClusterRole limited to
 * CustomResourceDefinitions, its binding, and a Job named after the chart version (a new version
 * is a new Job) running `kubectl apply --server-side --force-conflicts` on
 * {@link loadBalancerControllerCrdUrls}. Needs egress to raw.githubusercontent.com (NAT).
 * @param version the chart version (`PLATFORM_CHARTS.awsLoadBalancerController.version`)
 */
export function loadBalancerControllerCrdJob(
  version: string,
  namespace: string,
): Record<string, unknown>[] {
  const name = 'aws-load-balancer-controller-crds';
  const k = CRD_UPGRADE_IMAGES.kubectl;
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace } },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name },
      rules: [
        {
          apiGroups: ['apiextensions.k8s.io'],
          resources: ['customresourcedefinitions'],
          verbs: ['get', 'list', 'create', 'patch', 'update'],
        },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
      subjects: [{ kind: 'ServiceAccount', name, namespace }],
    },
    {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: `${name}-v${version.replace(/\./g, '-')}`, namespace },
      spec: {
        backoffLimit: 3,
        ttlSecondsAfterFinished: 86400,
        template: {
          spec: {
            serviceAccountName: name,
            restartPolicy: 'OnFailure',
            securityContext: {
              runAsNonRoot: true,
              runAsUser: 65534,
              seccompProfile: { type: 'RuntimeDefault' },
            },
            containers: [
              {
                name: 'apply',
                image: `${k.registry}/${k.repository}:${k.tag}`,
                // as the kube-prometheus-stack CRD Job runs the same image (upgrade/job.yaml)
                command: ['kubectl'],
                args: [
                  'apply',
                  '--server-side',
                  '--force-conflicts',
                  ...loadBalancerControllerCrdUrls(version).flatMap((u) => ['-f', u]),
                ],
                resources: {
                  requests: { cpu: '50m', memory: '64Mi' },
                  limits: { memory: '128Mi' },
                },
                securityContext: {
                  allowPrivilegeEscalation: false,
                  readOnlyRootFilesystem: true,
                  capabilities: { drop: ['ALL'] },
                },
              },
            ],
          },
        },
      },
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

  /** The CRD Job release ({@link loadBalancerControllerCrdJob}), before the chart. */
  protected override beforeRelease(
    scope: Construct,
    ctx: PlatformContext,
    namespace: ITerraformDependable[],
  ): ITerraformDependable[] {
    return [
      new ManifestsRelease(scope, 'crds', {
        name: 'aws-load-balancer-controller-crds',
        namespace: this.namespace,
        manifests: loadBalancerControllerCrdJob(this.chart.version, this.namespace),
        dependsOn: [...namespace, ...this.dependsOn.map((d) => ctx.dependency(d))],
        waitForJobs: true,
      }).release,
    ];
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
      // The Service mutator (`mservice.elbv2.k8s.aws`, templates/webhook.yaml at v3.5.0) intercepts
      // CREATE of every Service in every namespace with `failurePolicy: Fail`; until the
      // controller's pods are ready, every Service-creating release installed beside it fails
      // ("no endpoints available for service aws-load-balancer-webhook-service",
      // kubernetes-sigs/aws-load-balancer-controller#4140). It only makes this controller the
      // default for `type: LoadBalancer` Services, and nothing here creates one.
      enableServiceMutatorWebhook: false,
    };
  }
}
