/**
 * metrics-server (chart `metrics-server/metrics-server`): resource metrics for
 * `kubectl top` and HorizontalPodAutoscalers.
 *
 * Chart values: https://github.com/kubernetes-sigs/metrics-server/blob/master/charts/metrics-server/values.yaml
 * Identity: none.
 */
import { PLATFORM_CHARTS } from '../../../envs/versions';
import { HelmAddOn } from '../helm-addon';
import { systemTolerations } from '../scheduling';

/** Add-on `metrics-server`. */
export class MetricsServerAddOn extends HelmAddOn {
  constructor() {
    super({
      name: 'metrics-server',
      chart: PLATFORM_CHARTS.metricsServer,
      namespace: 'kube-system',
    });
  }

  protected values(): Record<string, unknown> {
    return {
      replicas: 2,
      tolerations: systemTolerations(),
      podDisruptionBudget: { enabled: true, maxUnavailable: 1 },
    };
  }
}
