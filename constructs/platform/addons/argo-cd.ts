/**
 * Argo CD (chart `argo/argo-cd`), optional, for application teams. The API server is a
 * ClusterIP service with no ingress (reach it with `kubectl port-forward`, or add an ALB
 * ingress with OIDC authentication); Dex is off (use SSO through an OIDC provider).
 *
 * Chart values: https://github.com/argoproj/argo-helm/blob/main/charts/argo-cd/values.yaml
 */
import { PLATFORM_CHARTS } from '../../../envs/versions';
import { HelmAddOn } from '../helm-addon';

/** Add-on `argo-cd`. */
export class ArgoCdAddOn extends HelmAddOn {
  constructor() {
    super({
      name: 'argo-cd',
      chart: PLATFORM_CHARTS.argoCd,
      namespace: 'argocd',
    });
  }

  protected values(): Record<string, unknown> {
    return {
      crds: { install: true, keep: true },
      dex: { enabled: false },
      configs: { params: { 'server.insecure': false } },
      server: { service: { type: 'ClusterIP' }, ingress: { enabled: false } },
    };
  }
}
