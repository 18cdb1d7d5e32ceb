/**
 * kube-prometheus-stack (chart `prometheus-community/kube-prometheus-stack`): Prometheus
 * Operator, Prometheus (retention and gp3 volume from config), Alertmanager (receivers from
 * config, credentials from Secrets Manager via External Secrets), Grafana (admin
 * credentials generated into Secrets Manager and delivered by External Secrets, persistent
 * volume, no ingress: reach it with `kubectl port-forward` or an authenticated ingress).
 *
 * Chart values: https://github.com/prometheus-community/helm-charts/blob/main/charts/kube-prometheus-stack/values.yaml
 */
import type { Construct } from 'constructs';
import type { ITerraformDependable } from 'cdktf';
import type { PlatformConfig } from '../../../envs/schema/platform';
import {
  ALERTMANAGER_SECRET,
  alertmanagerConfig,
  alertmanagerExternalSecret,
} from './alertmanager';
import { CRD_UPGRADE_IMAGES, PLATFORM_CHARTS } from '../../../envs/versions';
import type { PlatformContext, PlatformServices } from '../addon';
import { externalSecret } from './external-secrets';
import { GeneratedPasswordSecret, PASSWORD_PROPERTY, USERNAME_PROPERTY } from '../generated-secret';
import { HelmAddOn, KARPENTER_ADDON } from '../helm-addon';
import { ManifestsRelease } from '../manifests';
import { DEFAULT_STORAGE_CLASS } from '../storage-class';

/** Namespace of the monitoring stack. */
export const MONITORING_NAMESPACE = 'monitoring';
/** Helm release name (the chart's default rules carry `release: <this>`). */
export const MONITORING_RELEASE = 'kube-prometheus-stack';
/** Kubernetes Secret with Grafana's admin user and password. */
export const GRAFANA_ADMIN_SECRET = 'grafana-admin';

/** The monitoring facts for {@link PlatformServices}. */
export function monitoringServices(): NonNullable<PlatformServices['monitoring']> {
  return {
    namespace: MONITORING_NAMESPACE,
    ruleLabels: { release: MONITORING_RELEASE },
    dashboardLabel: { key: 'grafana_dashboard', value: '1' },
  };
}

/** Secrets Manager name (below the cluster prefix) of Grafana's generated admin password. */
export const GRAFANA_ADMIN_SECRET_NAME = 'grafana/admin';

/** Props of {@link KubePrometheusStackAddOn}. */
export interface KubePrometheusStackAddOnProps {
  /** `clusters.<name>.platform.monitoring`. */
  readonly config: PlatformConfig['monitoring'];
}

/** Add-on `kube-prometheus-stack`. */
export class KubePrometheusStackAddOn extends HelmAddOn {
  private readonly config: PlatformConfig['monitoring'];

  constructor(props: KubePrometheusStackAddOnProps) {
    super({
      name: 'kube-prometheus-stack',
      releaseName: MONITORING_RELEASE,
      chart: PLATFORM_CHARTS.kubePrometheusStack,
      namespace: MONITORING_NAMESPACE,
      // node-exporter needs host network, PID and paths.
      podSecurity: 'privileged',
      dependsOn: [KARPENTER_ADDON, 'external-secrets', 'storage-class'],
      timeoutSeconds: 900,
    });
    this.config = props.config;
  }

  /** Grafana's admin password and the ExternalSecrets (Grafana admin, Alertmanager receivers) the chart mounts. */
  protected override beforeRelease(
    scope: Construct,
    ctx: PlatformContext,
    namespace: ITerraformDependable[],
  ): ITerraformDependable[] {
    const grafana = new GeneratedPasswordSecret(scope, 'grafana-admin', {
      secretName: `${ctx.cluster.secretsPrefix}${GRAFANA_ADMIN_SECRET_NAME}`,
      description: `Grafana admin of cluster ${ctx.clusterKey}`,
      username: 'admin',
    });
    const store = ctx.services.secretStoreName;
    const receivers = alertmanagerExternalSecret(
      this.config.alertmanager,
      ctx.cluster.secretsPrefix,
      MONITORING_NAMESPACE,
      store,
    );
    const secrets = new ManifestsRelease(scope, 'secrets', {
      name: 'monitoring-secrets',
      namespace: MONITORING_NAMESPACE,
      manifests: [
        externalSecret({
          name: GRAFANA_ADMIN_SECRET,
          namespace: MONITORING_NAMESPACE,
          store,
          data: {
            'admin-user': { key: grafana.secretName, property: USERNAME_PROPERTY },
            'admin-password': { key: grafana.secretName, property: PASSWORD_PROPERTY },
          },
        }),
        ...(receivers ? [receivers] : []),
      ],
      dependsOn: [...namespace, ctx.dependency('external-secrets'), grafana.version],
    });
    return [secrets.release];
  }

  protected values(ctx: PlatformContext): Record<string, unknown> {
    const c = this.config;
    const services = ctx.services.monitoring ?? monitoringServices();
    const volume = (giB: number) => ({
      volumeClaimTemplate: {
        spec: {
          storageClassName: DEFAULT_STORAGE_CLASS,
          accessModes: ['ReadWriteOnce'],
          resources: { requests: { storage: `${giB}Gi` } },
        },
      },
    });
    const hasCredentials =
      alertmanagerExternalSecret(c.alertmanager, '', MONITORING_NAMESPACE, '') !== undefined;
    return {
      // CRDs: the `crds` subchart keeps them in `crds/`, which Helm never upgrades; the chart's
      // upgrade Job applies them (`kubectl apply --server-side`) as a pre-install/pre-upgrade
      // hook, before the operator (values.yaml `crds.upgradeJob` at kube-prometheus-stack-88.5.3;
      // UPGRADE.md "Since 68.4.0 it is also possible to use `crds.upgradeJob.enabled`"). Its
      // images default to `busybox:latest` and the cluster's kubectl: both pinned.
      crds: {
        enabled: true,
        upgradeJob: {
          enabled: true,
          forceConflicts: true,
          image: {
            busybox: { ...CRD_UPGRADE_IMAGES.busybox },
            kubectl: { ...CRD_UPGRADE_IMAGES.kubectl },
          },
        },
      },
      // EKS runs these control-plane parts; they cannot be scraped, so their rules would only misfire.
      kubeControllerManager: { enabled: false },
      kubeScheduler: { enabled: false },
      kubeEtcd: { enabled: false },
      kubeProxy: { enabled: false },
      prometheus: {
        prometheusSpec: {
          retention: c.retention,
          storageSpec: volume(c.storageGiB),
          ruleSelectorNilUsesHelmValues: false,
          ruleSelector: { matchLabels: services.ruleLabels },
          ruleNamespaceSelector: {},
          serviceMonitorSelectorNilUsesHelmValues: false,
          podMonitorSelectorNilUsesHelmValues: false,
          resources: { requests: { cpu: '500m', memory: '2Gi' }, limits: { memory: '4Gi' } },
        },
      },
      alertmanager: {
        config: alertmanagerConfig(c.alertmanager),
        alertmanagerSpec: {
          storage: volume(c.alertmanager.storageGiB),
          ...(hasCredentials ? { secrets: [ALERTMANAGER_SECRET] } : {}),
        },
      },
      grafana: {
        admin: {
          existingSecret: GRAFANA_ADMIN_SECRET,
          userKey: 'admin-user',
          passwordKey: 'admin-password',
        },
        persistence: {
          enabled: true,
          type: 'pvc',
          storageClassName: DEFAULT_STORAGE_CLASS,
          size: `${c.grafanaStorageGiB}Gi`,
        },
        // One ReadWriteOnce volume: replace the pod instead of rolling.
        deploymentStrategy: { type: 'Recreate' },
        ingress: { enabled: false },
        service: { type: 'ClusterIP' },
        sidecar: {
          dashboards: {
            enabled: true,
            label: services.dashboardLabel.key,
            labelValue: services.dashboardLabel.value,
            searchNamespace: 'ALL',
          },
        },
      },
    };
  }
}
