/**
 * External Secrets Operator (chart `external-secrets/external-secrets`) and its
 * `ClusterSecretStore`s: `aws-secrets-manager` (AWS Secrets Manager through the controller's
 * Pod Identity: no `auth` block, no static keys) and, when configured, `vault` (Vault
 * Kubernetes auth with the controller's service account).
 *
 * References:
 * - chart values: https://github.com/external-secrets/external-secrets/blob/main/deploy/charts/external-secrets/values.yaml
 * - AWS provider: https://external-secrets.io/latest/provider/aws-secrets-manager/
 * - Vault provider: https://external-secrets.io/latest/provider/hashicorp-vault/
 */
import type { Construct } from 'constructs';
import type { ITerraformDependable } from 'cdktf';
import type { PlatformConfig } from '../../../envs/schema/platform';
import { ADDON_IDENTITIES } from '../../eks/addon-identities';
import { PLATFORM_CHARTS } from '../../../envs/versions';
import type { PlatformContext } from '../addon';
import { HelmAddOn, type HelmRelease } from '../helm-addon';
import { ManifestsRelease } from '../manifests';
import { systemTolerations } from '../scheduling';

/** Name of the `ClusterSecretStore` reading AWS Secrets Manager. */
export const AWS_SECRET_STORE = 'aws-secrets-manager';
/** Name of the optional Vault `ClusterSecretStore`. */
export const VAULT_SECRET_STORE = 'vault';

/** Props of {@link externalSecret}. */
export interface ExternalSecretSpec {
  /** Name of the ExternalSecret and of the Kubernetes Secret it writes. */
  readonly name: string;
  /** Namespace of the ExternalSecret and of the Secret it writes (must exist). */
  readonly namespace: string;
  /** Secret key → Secrets Manager secret (`key`, full name) and JSON `property` (omit for plain strings). */
  readonly data: Record<string, { key: string; property?: string }>;
  /** Kubernetes Secret type, e.g. `kubernetes.io/basic-auth`. Default `Opaque`. */
  readonly type?: string;
  /** Store name. Default {@link AWS_SECRET_STORE}. */
  readonly store?: string;
  /** Labels of the Secret written. */
  readonly labels?: Record<string, string>;
  /** Refresh interval (Go duration). Default `1h`. */
  readonly refreshInterval?: string;
}

/**
 * An `ExternalSecret` (external-secrets.io/v1) that writes a Kubernetes Secret from
 * Secrets Manager entries; the Secret is owned by the ExternalSecret (`creationPolicy: Owner`)
 * and kept if the source disappears (`deletionPolicy: Retain`).
 * Spec: https://external-secrets.io/latest/api/externalsecret/
 * @returns the object, for a {@link ManifestsRelease}
 */
export function externalSecret(spec: ExternalSecretSpec): Record<string, unknown> {
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    metadata: { name: spec.name, namespace: spec.namespace },
    spec: {
      refreshInterval: spec.refreshInterval ?? '1h',
      secretStoreRef: { kind: 'ClusterSecretStore', name: spec.store ?? AWS_SECRET_STORE },
      target: {
        name: spec.name,
        creationPolicy: 'Owner',
        deletionPolicy: 'Retain',
        ...(spec.type || spec.labels
          ? {
              template: {
                ...(spec.type ? { type: spec.type } : {}),
                ...(spec.labels ? { metadata: { labels: spec.labels } } : {}),
              },
            }
          : {}),
      },
      data: Object.entries(spec.data).map(([secretKey, ref]) => ({
        secretKey,
        remoteRef: { key: ref.key, ...(ref.property ? { property: ref.property } : {}) },
      })),
    },
  };
}

/**
 * The `ClusterSecretStore` objects: `aws-secrets-manager` for `region` (controller's Pod
 * Identity, no `auth` block) and, when `vault` is given, `vault` (Kubernetes auth with the
 * controller's service account); both usable only from `namespaces` (`spec.conditions`).
 * @param namespaces the namespaces whose ExternalSecrets may use the stores (at least one)
 * @returns one or two objects (external-secrets.io/v1)
 * @throws Error if `namespaces` is empty
 */
export function clusterSecretStores(
  region: string,
  vault: PlatformConfig['externalSecrets']['vault'] | undefined,
  namespaces: readonly string[],
): Record<string, unknown>[] {
  if (namespaces.length === 0)
    throw new Error('clusterSecretStores: no namespace may use the stores (namespaces is empty)');
  const identity = ADDON_IDENTITIES['external-secrets'];
  // `spec.conditions` (apis/externalsecrets/v1/secretstore_types.go at v2.9.0, "Used to
  // constrain a ClusterSecretStore to specific namespaces"): without it, any namespace that may
  // create an ExternalSecret reads every secret under the cluster's prefix.
  const conditions = [{ namespaces: [...new Set(namespaces)].sort() }];
  const stores: Record<string, unknown>[] = [
    {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ClusterSecretStore',
      metadata: { name: AWS_SECRET_STORE },
      // No `auth`: the controller's own credentials (Pod Identity) are used.
      spec: { conditions, provider: { aws: { service: 'SecretsManager', region } } },
    },
  ];
  if (vault) {
    stores.push({
      apiVersion: 'external-secrets.io/v1',
      kind: 'ClusterSecretStore',
      metadata: { name: VAULT_SECRET_STORE },
      spec: {
        conditions: structuredClone(conditions),
        provider: {
          vault: {
            server: vault.server,
            path: vault.path,
            version: vault.version,
            ...(vault.namespace ? { namespace: vault.namespace } : {}),
            auth: {
              kubernetes: {
                mountPath: vault.kubernetesAuth.mountPath,
                role: vault.kubernetesAuth.role,
                serviceAccountRef: {
                  name: identity.serviceAccounts[0],
                  namespace: identity.namespace,
                },
              },
            },
          },
        },
      },
    });
  }
  return stores;
}

/** Props of {@link ExternalSecretsAddOn}. */
export interface ExternalSecretsAddOnProps {
  /** Optional Vault store (`clusters.<name>.platform.externalSecrets.vault`). */
  readonly vault?: PlatformConfig['externalSecrets']['vault'];
  /**
   * Namespaces whose ExternalSecrets may use the stores (`spec.conditions`): the platform's
   * own (`postgres`, `monitoring`, `dagster` as enabled) plus
   * `clusters.<name>.platform.externalSecrets.namespaces`. At least one.
   */
  readonly namespaces: readonly string[];
}

/**
 * Add-on `external-secrets`. Dependents wait for the secret stores' release (so an
 * `ExternalSecret` never references a store that does not exist yet).
 */
export class ExternalSecretsAddOn extends HelmAddOn {
  private readonly vault?: PlatformConfig['externalSecrets']['vault'];
  /** Namespaces allowed to use the stores. */
  readonly storeNamespaces: readonly string[];

  constructor(props: ExternalSecretsAddOnProps) {
    super({
      name: 'external-secrets',
      chart: PLATFORM_CHARTS.externalSecrets,
      namespace: ADDON_IDENTITIES['external-secrets'].namespace,
      podSecurity: 'restricted',
    });
    this.vault = props.vault;
    this.storeNamespaces = props.namespaces;
  }

  protected values(): Record<string, unknown> {
    const tolerations = systemTolerations();
    return {
      installCRDs: true,
      replicaCount: 2,
      // Two controllers reconcile concurrently unless they elect a leader: `leaderElect` (default
      // false) adds `--enable-leader-election=true` to the controller and cert controller
      // (templates/deployment.yaml, cert-controller-deployment.yaml at helm-chart-2.9.0).
      leaderElect: true,
      serviceAccount: {
        create: true,
        name: ADDON_IDENTITIES['external-secrets'].serviceAccounts[0],
      },
      tolerations,
      webhook: { replicaCount: 2, tolerations },
      certController: { tolerations },
      podDisruptionBudget: { enabled: true, maxUnavailable: 1 },
    };
  }

  protected override afterRelease(
    scope: Construct,
    ctx: PlatformContext,
    release: HelmRelease,
  ): ITerraformDependable {
    return new ManifestsRelease(scope, 'stores', {
      name: 'external-secrets-stores',
      namespace: this.namespace,
      manifests: clusterSecretStores(ctx.region, this.vault, this.storeNamespaces),
      dependsOn: [release],
    }).release;
  }
}
