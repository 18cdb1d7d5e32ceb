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
 * controller's service account).
 * @returns one or two objects (external-secrets.io/v1)
 */
export function clusterSecretStores(
  region: string,
  vault?: PlatformConfig['externalSecrets']['vault'],
): Record<string, unknown>[] {
  const identity = ADDON_IDENTITIES['external-secrets'];
  const stores: Record<string, unknown>[] = [
    {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ClusterSecretStore',
      metadata: { name: AWS_SECRET_STORE },
      // No `auth`: the controller's own credentials (Pod Identity) are used.
      spec: { provider: { aws: { service: 'SecretsManager', region } } },
    },
  ];
  if (vault) {
    stores.push({
      apiVersion: 'external-secrets.io/v1',
      kind: 'ClusterSecretStore',
      metadata: { name: VAULT_SECRET_STORE },
      spec: {
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
}

/**
 * Add-on `external-secrets`. Dependents wait for the secret stores' release (so an
 * `ExternalSecret` never references a store that does not exist yet).
 */
export class ExternalSecretsAddOn extends HelmAddOn {
  private readonly vault?: PlatformConfig['externalSecrets']['vault'];

  constructor(props: ExternalSecretsAddOnProps = {}) {
    super({
      name: 'external-secrets',
      chart: PLATFORM_CHARTS.externalSecrets,
      namespace: ADDON_IDENTITIES['external-secrets'].namespace,
      podSecurity: 'restricted',
    });
    this.vault = props.vault;
  }

  protected values(): Record<string, unknown> {
    const tolerations = systemTolerations();
    return {
      installCRDs: true,
      replicaCount: 2,
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
      manifests: clusterSecretStores(ctx.region, this.vault),
      dependsOn: [release],
    }).release;
  }
}
