/**
 * cert-manager (chart `jetstack/cert-manager`), optional, for in-cluster certificates
 * (public endpoints use ACM through the load balancer controller). Installs its CRDs and a
 * self-signed `ClusterIssuer` named `selfsigned` for internal TLS.
 *
 * Chart values: https://github.com/cert-manager/cert-manager/blob/master/deploy/charts/cert-manager/values.yaml
 */
import type { Construct } from 'constructs';
import type { ITerraformDependable } from 'cdktf';
import { PLATFORM_CHARTS } from '../../../envs/versions';
import type { PlatformContext } from '../addon';
import { HelmAddOn, type HelmRelease } from '../helm-addon';
import { ManifestsRelease } from '../manifests';
import { systemTolerations } from '../scheduling';

/** The self-signed `ClusterIssuer` (cert-manager.io/v1). */
export function selfSignedIssuer(): Record<string, unknown> {
  return {
    apiVersion: 'cert-manager.io/v1',
    kind: 'ClusterIssuer',
    metadata: { name: 'selfsigned' },
    spec: { selfSigned: {} },
  };
}

/** Add-on `cert-manager`; dependents wait for the issuer. */
export class CertManagerAddOn extends HelmAddOn {
  constructor() {
    super({
      name: 'cert-manager',
      chart: PLATFORM_CHARTS.certManager,
      namespace: 'cert-manager',
      podSecurity: 'restricted',
    });
  }

  protected values(): Record<string, unknown> {
    const tolerations = systemTolerations();
    return {
      crds: { enabled: true, keep: true },
      replicaCount: 2,
      podDisruptionBudget: { enabled: true, maxUnavailable: 1 },
      tolerations,
      webhook: { replicaCount: 2, tolerations },
      cainjector: { tolerations },
    };
  }

  protected override afterRelease(
    scope: Construct,
    _ctx: PlatformContext,
    release: HelmRelease,
  ): ITerraformDependable {
    return new ManifestsRelease(scope, 'issuers', {
      name: 'cert-manager-issuers',
      namespace: this.namespace,
      manifests: [selfSignedIssuer()],
      dependsOn: [release],
    }).release;
  }
}
