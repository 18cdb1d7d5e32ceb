/**
 * Where each add-on with an AWS identity runs: the Kubernetes namespace and service account
 * names the cluster stack binds Pod Identity roles to (`aws_eks_pod_identity_association`).
 * The platform stack must install each chart with exactly these names (set the chart's
 * `serviceAccount.name`, and `serviceAccount.create: true`), or its pods get no AWS credentials.
 *
 * Pod Identity needs no annotation on the service account: the association is keyed on
 * namespace + name. Source: https://docs.aws.amazon.com/eks/latest/userguide/pod-id-association.html
 */
import type { ServiceAccountRef } from './pod-identity-role';

/** Names of the add-ons that get a Pod Identity role (keys of `ClusterOutputs.addonRoleArns`). */
export type AddonIdentityName =
  | 'karpenter'
  | 'aws-load-balancer-controller'
  | 'external-dns'
  | 'external-secrets'
  | 'cloudnative-pg'
  | 'dagster'
  | 'dagster-user-code'
  | 'ebs-csi';

/** One add-on identity: the service accounts bound to its role. */
export interface AddonIdentity {
  /** Namespace of every service account below. */
  readonly namespace: string;
  /** Service accounts (in `namespace`) associated with the role. */
  readonly serviceAccounts: readonly string[];
}

/**
 * The namespace and service accounts of every add-on identity.
 *
 * - `karpenter`: `kube-system/karpenter`, as in Karpenter's getting-started guide
 *   (https://karpenter.sh/docs/getting-started/getting-started-with-karpenter/).
 * - `aws-load-balancer-controller`: `kube-system/aws-load-balancer-controller` (chart default name).
 * - `external-dns`: `external-dns/external-dns`.
 * - `external-secrets`: `external-secrets/external-secrets` (the controller's service account,
 *   used by a `ClusterSecretStore` without `auth`).
 * - `cloudnative-pg`: `postgres/dagster-pg`. CloudNativePG runs backups (barman-cloud) in the
 *   instance pods, whose service account is named after the `Cluster` resource: the Postgres
 *   cluster must be `Cluster/dagster-pg` in namespace `postgres` and use
 *   `s3Credentials.inheritFromIAMRole: true`.
 * - `dagster`: `dagster/dagster` (webserver, daemon and launched runs, which write compute
 *   logs to S3).
 * - `dagster-user-code`: `dagster/dagster-user-code`, the code-location servers, which write
 *   sensor and schedule tick logs to the compute log manager: write access to the
 *   {@link DAGSTER_COMPUTE_LOG_PREFIX} prefix of the compute-log bucket only.
 * - `ebs-csi`: `kube-system/ebs-csi-controller-sa`, fixed by the EKS add-on.
 */
export const ADDON_IDENTITIES: Readonly<Record<AddonIdentityName, AddonIdentity>> = {
  karpenter: { namespace: 'kube-system', serviceAccounts: ['karpenter'] },
  'aws-load-balancer-controller': {
    namespace: 'kube-system',
    serviceAccounts: ['aws-load-balancer-controller'],
  },
  'external-dns': { namespace: 'external-dns', serviceAccounts: ['external-dns'] },
  'external-secrets': { namespace: 'external-secrets', serviceAccounts: ['external-secrets'] },
  'cloudnative-pg': { namespace: 'postgres', serviceAccounts: ['dagster-pg'] },
  dagster: { namespace: 'dagster', serviceAccounts: ['dagster'] },
  'dagster-user-code': { namespace: 'dagster', serviceAccounts: ['dagster-user-code'] },
  'ebs-csi': { namespace: 'kube-system', serviceAccounts: ['ebs-csi-controller-sa'] },
};

/** Key prefix of Dagster's compute logs in the compute-log bucket (`S3ComputeLogManager.prefix`). */
export const DAGSTER_COMPUTE_LOG_PREFIX = 'compute-logs';

/** The {@link ServiceAccountRef}s of one add-on identity. */
export function serviceAccountsOf(name: AddonIdentityName): ServiceAccountRef[] {
  const id = ADDON_IDENTITIES[name];
  return id.serviceAccounts.map((serviceAccount) => ({ namespace: id.namespace, serviceAccount }));
}

/**
 * Taint of the system node group: only pods that tolerate it (critical add-ons: CoreDNS, the
 * EBS CSI controller, Karpenter's controller) land there. Karpenter's chart tolerates
 * `CriticalAddonsOnly` by default.
 */
export const SYSTEM_NODE_TAINT = {
  key: 'CriticalAddonsOnly',
  value: 'true',
  effect: 'NoSchedule',
} as const;

/** Labels of the system node group's nodes, for `nodeSelector`s of critical add-ons. */
export const SYSTEM_NODE_LABELS: Readonly<Record<string, string>> = {
  'landing-zone/node-pool': 'system',
};
