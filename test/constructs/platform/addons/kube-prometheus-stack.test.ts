/**
 * kube-prometheus-stack: pinned chart, retention and storage from config, Grafana admin from
 * External Secrets (generated password), persistence, Alertmanager receivers whose
 * credentials are files from a Secret (never values in the release).
 */
import { PLATFORM_CHARTS } from '../../../../envs/versions';
import { alertmanagerConfig } from '../../../../constructs/platform/addons/alertmanager';
import { exampleEnv } from '../../../support/env';
import {
  expectChart,
  manifestsOf,
  platformReleases,
  valuesOf,
} from '../../../support/platform-fixture';

const receivers = {
  ops: {
    slack: {
      channel: '#platform-alerts',
      apiUrlSecret: { name: 'alertmanager/slack', property: 'url' },
    },
  },
  oncall: { pagerduty: { routingKeySecret: { name: 'alertmanager/pagerduty' } } },
  mail: {
    email: {
      to: 'ops@acme.example',
      from: 'alertmanager@acme.example',
      smarthost: 'smtp.acme.example:587',
      authUsername: 'alertmanager',
      authPasswordSecret: { name: 'alertmanager/smtp', property: 'password' },
    },
  },
};

let json: Record<string, any>;
let rel: Record<string, any>;
let values: Record<string, any>;
let noMonitoring: Record<string, any>;
beforeAll(() => {
  ({ json, rel } = platformReleases((raw) => {
    raw.clusters['main-01'].platform.monitoring = {
      retention: '30d',
      storageGiB: 100,
      grafanaStorageGiB: 5,
      alertmanager: { receivers, defaultReceiver: 'ops' },
    };
  }));
  values = valuesOf(rel['kube-prometheus-stack']);
  noMonitoring = platformReleases(
    (raw) => (raw.clusters['main-01'].platform.monitoring = { enabled: false }),
  ).rel;
});

describe('kube-prometheus-stack', () => {
  it('pinned chart in namespace monitoring with CRDs, upgraded by the chart’s CRD Job with pinned images', () => {
    expectChart(rel['kube-prometheus-stack'], PLATFORM_CHARTS.kubePrometheusStack, 'monitoring');
    // prometheus-community/helm-charts kube-prometheus-stack-88.5.3: the CRDs are in the `crds`
    // subchart's `crds/` (installed once, never upgraded by Helm); values.yaml `crds.upgradeJob`
    // ("The job will apply the CRDs to the cluster before the operator is deployed, using helm
    // hooks"), busybox defaulting to "latest" and kubectl to the cluster version.
    expect(values.crds).toEqual({
      enabled: true,
      upgradeJob: {
        enabled: true,
        forceConflicts: true,
        image: {
          busybox: { registry: 'docker.io', repository: 'busybox', tag: '1.37.0' },
          kubectl: { registry: 'registry.k8s.io', repository: 'kubectl', tag: 'v1.35.0' },
        },
      },
    });
    expect(JSON.stringify(values.crds)).not.toMatch(/latest|"tag":""/);
  });

  it('Prometheus retention and gp3 volume from config; rules selected by the published labels', () => {
    const p = values.prometheus.prometheusSpec;
    expect(p.retention).toBe('30d');
    expect(p.storageSpec.volumeClaimTemplate.spec).toMatchObject({
      storageClassName: 'gp3',
      resources: { requests: { storage: '100Gi' } },
    });
    expect(p.ruleSelector).toEqual({ matchLabels: { release: 'kube-prometheus-stack' } });
  });

  it('Grafana: admin from the External Secrets Secret, persistent, no ingress', () => {
    expect(values.grafana.admin).toEqual({
      existingSecret: 'grafana-admin',
      userKey: 'admin-user',
      passwordKey: 'admin-password',
    });
    expect(values.grafana.persistence).toMatchObject({
      enabled: true,
      size: '5Gi',
      storageClassName: 'gp3',
    });
    expect(values.grafana.ingress).toEqual({ enabled: false });
    expect(JSON.stringify(values.grafana)).not.toMatch(/adminPassword/);
  });

  it('Grafana admin password is generated into Secrets Manager, then an ExternalSecret', () => {
    const secret = Object.values<any>(json.resource.aws_secretsmanager_secret).find(
      (s) => s.name === 'acme/main-01/grafana/admin',
    );
    expect(secret).toBeDefined();
    const es = manifestsOf(rel['monitoring-secrets']).find(
      (o) => o.metadata.name === 'grafana-admin',
    )!;
    expect(es.spec.data.map((d: any) => [d.secretKey, d.remoteRef.property])).toEqual([
      ['admin-user', 'username'],
      ['admin-password', 'password'],
    ]);
  });

  it('Alertmanager receivers read their credentials from files of a Secret synced from Secrets Manager', () => {
    const am = values.alertmanager;
    expect(am.alertmanagerSpec.secrets).toEqual(['alertmanager-receivers']);
    const byName = Object.fromEntries(am.config.receivers.map((r: any) => [r.name, r]));
    expect(byName.ops.slack_configs[0]).toMatchObject({
      channel: '#platform-alerts',
      api_url_file: '/etc/alertmanager/secrets/alertmanager-receivers/ops-slack-api-url',
    });
    expect(byName.oncall.pagerduty_configs[0].routing_key_file).toBe(
      '/etc/alertmanager/secrets/alertmanager-receivers/oncall-pagerduty-routing-key',
    );
    expect(byName.mail.email_configs[0]).toMatchObject({
      to: 'ops@acme.example',
      auth_password_file: '/etc/alertmanager/secrets/alertmanager-receivers/mail-smtp-password',
      require_tls: true,
    });
    expect(am.config.route.receiver).toBe('ops');
    const es = manifestsOf(rel['monitoring-secrets']).find(
      (o) => o.metadata.name === 'alertmanager-receivers',
    )!;
    expect(es.spec.data).toEqual([
      {
        secretKey: 'ops-slack-api-url',
        remoteRef: { key: 'acme/main-01/alertmanager/slack', property: 'url' },
      },
      {
        secretKey: 'oncall-pagerduty-routing-key',
        remoteRef: { key: 'acme/main-01/alertmanager/pagerduty' },
      },
      {
        secretKey: 'mail-smtp-password',
        remoteRef: { key: 'acme/main-01/alertmanager/smtp', property: 'password' },
      },
    ]);
    // No credential-like value in the release values.
    expect(JSON.stringify(am.config)).not.toMatch(/api_url"|routing_key"|auth_password"/);
  });

  it('the chart waits for its secrets release, which waits for External Secrets', () => {
    expect(rel['kube-prometheus-stack'].depends_on).toContain(
      `helm_release.${rel['monitoring-secrets'].logicalId}`,
    );
    expect(rel['monitoring-secrets'].depends_on).toContain(
      `helm_release.${rel['external-secrets-stores'].logicalId}`,
    );
  });

  it('without receivers routes to a null receiver and mounts no Secret', () => {
    const config = alertmanagerConfig(
      exampleEnv().clusters['main-01'].platform.monitoring.alertmanager,
    );
    expect(config.route).toMatchObject({ receiver: 'null' });
    expect(config.receivers).toEqual([{ name: 'null' }]);
  });

  it('disabled: no monitoring release, no PodMonitor, operator without PodMonitor', () => {
    expect(noMonitoring['kube-prometheus-stack']).toBeUndefined();
    expect(noMonitoring['monitoring-secrets']).toBeUndefined();
    expect(manifestsOf(noMonitoring['postgres-dagster']).map((o) => o.kind)).not.toContain(
      'PodMonitor',
    );
    expect(valuesOf(noMonitoring['cloudnative-pg']).monitoring.podMonitorEnabled).toBe(false);
  });
});
