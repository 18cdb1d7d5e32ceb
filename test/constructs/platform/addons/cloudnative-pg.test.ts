/**
 * CloudNativePG: the operator release (values valid against the chart schema, defaults
 * merged) and the Dagster Postgres cluster (Cluster against the reference CRD, backups to
 * the cluster's bucket with IAM-role credentials, password generated into Secrets Manager
 * without ever appearing in the synthesized JSON).
 */
import { PLATFORM_CHARTS, POSTGRES_IMAGE } from '../../../../envs/versions';
import { ADDON_IDENTITIES } from '../../../../constructs/eks/addon-identities';
import { postgresNetworkPolicies } from '../../../../constructs/platform/addons/cnpg-cluster';
import {
  describeReference,
  validateChartValues,
  validateCustomResource,
} from '../../../support/conformance';
import {
  expectChart,
  manifestsOf,
  objectsOfKind,
  platformReleases,
  STUB_CLUSTER,
  valuesOf,
} from '../../../support/platform-fixture';
import type { PlatformStack } from '../../../../stacks/platform-stack';

let stack: PlatformStack;
let json: Record<string, any>;
let rel: Record<string, any>;
let objects: Record<string, any>[];
let fiveInstances: Record<string, any>;
let noMonitoringPolicies: Record<string, any>;
beforeAll(() => {
  ({ stack, json, rel } = platformReleases((raw) => {
    raw.clusters['main-01'].platform.postgres = { storageGiB: 50, backupRetentionDays: 14 };
  }));
  objects = manifestsOf(rel['postgres-dagster']);
  const five = platformReleases((raw) => {
    raw.clusters['main-01'].platform.postgres = { instances: 5 };
    raw.clusters['main-01'].platform.monitoring = { enabled: false };
  }).rel['postgres-dagster'];
  fiveInstances = objectsOfKind(five, 'Cluster')['dagster-pg'];
  noMonitoringPolicies = objectsOfKind(five, 'NetworkPolicy');
});

const cluster = () => objects.find((o) => o.kind === 'Cluster')!;

describe('CloudNativePG operator', () => {
  it('pinned chart in cnpg-system with CRDs, cluster-wide', () => {
    expectChart(rel['cloudnative-pg'], PLATFORM_CHARTS.cloudnativePg, 'cnpg-system');
    expect(valuesOf(rel['cloudnative-pg'])).toMatchObject({
      crds: { create: true },
      config: { clusterWide: true },
      monitoring: { podMonitorEnabled: true },
    });
  });
});

describe('the Dagster Postgres cluster', () => {
  it('is Cluster dagster-pg in namespace postgres, matching the Pod Identity association', () => {
    expect(cluster().metadata).toEqual({ name: 'dagster-pg', namespace: 'postgres' });
    expect(ADDON_IDENTITIES['cloudnative-pg']).toEqual({
      namespace: 'postgres',
      serviceAccounts: ['dagster-pg'],
    });
  });

  it('has 3 instances (default) spread across zones, gp3 storage from config, pinned image', () => {
    const s = cluster().spec;
    expect(s.instances).toBe(3);
    expect(s.affinity).toEqual({
      enablePodAntiAffinity: true,
      topologyKey: 'topology.kubernetes.io/zone',
      podAntiAffinityType: 'required',
      // on-demand capacity only: a spot reclaim of the primary's node would be a failover
      nodeSelector: { 'karpenter.sh/capacity-type': 'on-demand' },
    });
    expect(s.storage).toEqual({ size: '50Gi', storageClass: 'gp3' });
    expect(s.imageName).toBe(POSTGRES_IMAGE);
    expect(s.enableSuperuserAccess).toBe(false);
  });

  it('prefers (not requires) zone spreading when there are more instances than zones', () => {
    expect(fiveInstances.spec.instances).toBe(5);
    expect(fiveInstances.spec.affinity.podAntiAffinityType).toBe('preferred');
  });

  it('backs up to the cluster bucket with retention, using the IAM role (no keys) and the bucket’s KMS key', () => {
    // config/crd/bases/postgresql.cnpg.io_clusters.yaml at v1.30.0: `encryption` "Allowed options
    // are empty string (use the bucket policy, default), `AES256` and `aws:kms`"; AES256 would
    // force SSE-S3 past the bucket's customer-managed key, so it stays unset.
    expect(cluster().spec.backup).toEqual({
      retentionPolicy: '14d',
      barmanObjectStore: {
        destinationPath: `s3://${STUB_CLUSTER.buckets.postgresBackups}/dagster-pg`,
        s3Credentials: { inheritFromIAMRole: true },
        wal: { compression: 'gzip' },
        data: { compression: 'gzip' },
      },
    });
    const sb = objects.find((o) => o.kind === 'ScheduledBackup')!;
    expect(sb.spec).toMatchObject({
      schedule: '0 0 3 * * *',
      cluster: { name: 'dagster-pg' },
      method: 'barmanObjectStore',
      immediate: true,
    });
  });

  it('bootstraps the owner from a Secret written by an ExternalSecret from Secrets Manager', () => {
    expect(cluster().spec.bootstrap.initdb).toEqual({
      database: 'dagster',
      owner: 'dagster',
      secret: { name: 'dagster-pg-app' },
    });
    const es = objects.find((o) => o.kind === 'ExternalSecret')!;
    expect(es.spec.target).toMatchObject({
      name: 'dagster-pg-app',
      template: { type: 'kubernetes.io/basic-auth' },
    });
    expect(es.spec.secretStoreRef).toEqual({
      kind: 'ClusterSecretStore',
      name: 'aws-secrets-manager',
    });
    expect(es.spec.data.map((d: any) => d.remoteRef.property)).toEqual(['username', 'password']);
  });

  it('generates the password into Secrets Manager with an ephemeral value and a write-only argument', () => {
    const secret = Object.values<any>(json.resource.aws_secretsmanager_secret).find(
      (s) => s.name === 'acme/main-01/postgres/dagster',
    );
    expect(secret).toBeDefined();
    const versions = Object.values<any>(json.resource.aws_secretsmanager_secret_version);
    for (const v of versions) {
      expect(v.secret_string).toBeUndefined();
      expect(v.secret_string_wo).toMatch(
        /^\$\{jsonencode\(\{.*"password" = ephemeral\.aws_secretsmanager_random_password\.pw_[0-9a-f]+\.random_password\}\)\}$/,
      );
      expect(v.secret_string_wo_version).toBe(1);
    }
    expect(Object.keys(json.ephemeral.aws_secretsmanager_random_password)).toHaveLength(
      versions.length,
    );
    expect(json.data?.aws_secretsmanager_random_password).toBeUndefined();
    expect(stack.services.postgres?.passwordSecret).toEqual({
      name: 'acme/main-01/postgres/dagster',
      property: 'password',
    });
  });

  it('is monitored: PodMonitor and PrometheusRule with the rule labels', () => {
    expect(objects.find((o) => o.kind === 'PodMonitor')!.spec.podMetricsEndpoints).toEqual([
      { port: 'metrics' },
    ]);
    expect(objects.find((o) => o.kind === 'PrometheusRule')!.metadata.labels).toEqual(
      stack.services.monitoring!.ruleLabels,
    );
  });

  it('applies after the operator, External Secrets, the storage class, monitoring and its password', () => {
    const deps: string[] = rel['postgres-dagster'].depends_on;
    expect(deps).toEqual(
      expect.arrayContaining([
        `helm_release.${rel['cloudnative-pg'].logicalId}`,
        `helm_release.${rel['external-secrets-stores'].logicalId}`,
        `helm_release.${rel['kube-prometheus-stack'].logicalId}`,
      ]),
    );
    expect(deps.some((d) => d.startsWith('kubernetes_storage_class_v1.'))).toBe(true);
    expect(deps.some((d) => d.startsWith('aws_secretsmanager_secret_version.'))).toBe(true);
  });
});

describe('NetworkPolicies of the postgres namespace', () => {
  const policies = () => objectsOfKind(rel['postgres-dagster'], 'NetworkPolicy');
  const clusterPods = { matchLabels: { 'cnpg.io/cluster': 'dagster-pg' } };
  const ns = (name: string) => ({
    namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } },
  });

  it('deny all ingress and egress by default, in the release with the Cluster', () => {
    expect(policies()['default-deny'].spec).toEqual({
      podSelector: {},
      policyTypes: ['Ingress', 'Egress'],
    });
    expect(Object.values(policies()).every((p) => p.metadata.namespace === 'postgres')).toBe(true);
  });

  it('let Dagster (namespace dagster) reach the instances on 5432 only', () => {
    expect(policies()['allow-clients'].spec).toEqual({
      podSelector: clusterPods,
      policyTypes: ['Ingress'],
      ingress: [{ from: [ns('dagster')], ports: [{ protocol: 'TCP', port: 5432 }] }],
    });
    // The selector matches what PlatformServices tells Dagster to send to.
    expect(clusterPods.matchLabels).toEqual(stack.services.postgres!.podLabels);
  });

  it('let the operator reach every instance on 8000 and 5432', () => {
    expect(policies()['allow-operator'].spec.ingress).toEqual([
      {
        from: [
          {
            ...ns('cnpg-system'),
            podSelector: { matchLabels: { 'app.kubernetes.io/name': 'cloudnative-pg' } },
          },
        ],
        ports: [
          { protocol: 'TCP', port: 8000 },
          { protocol: 'TCP', port: 5432 },
        ],
      },
    ]);
  });

  it('let the instances replicate to each other, both directions', () => {
    const p = policies()['allow-replication'].spec;
    expect(p.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(p.ingress[0].from).toEqual([{ podSelector: clusterPods }]);
    expect(p.egress[0].to).toEqual([{ podSelector: clusterPods }]);
    expect(p.ingress[0].ports.map((x: any) => x.port)).toEqual([5432, 8000]);
  });

  it('allow DNS, HTTPS (API server, S3, STS) and the Pod Identity agent, never the metadata service', () => {
    expect(policies()['allow-https-egress'].spec.egress).toEqual([
      {
        to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['169.254.169.254/32'] } }],
        ports: [{ protocol: 'TCP', port: 443 }],
      },
      { to: [{ ipBlock: { cidr: '169.254.170.23/32' } }], ports: [{ protocol: 'TCP', port: 80 }] },
    ]);
    expect(policies()['allow-dns-egress'].spec.egress[0].ports).toEqual([
      { protocol: 'UDP', port: 53 },
      { protocol: 'TCP', port: 53 },
    ]);
  });

  it('let Prometheus scrape 9187 only when monitoring is enabled', () => {
    expect(policies()['allow-metrics-scrape'].spec.ingress).toEqual([
      { from: [ns('monitoring')], ports: [{ protocol: 'TCP', port: 9187 }] },
    ]);
    expect(noMonitoringPolicies['allow-metrics-scrape']).toBeUndefined();
    expect(noMonitoringPolicies['allow-clients']).toBeDefined();
  });

  it('take other client namespaces, and refuse none', () => {
    const custom = postgresNetworkPolicies({ clientNamespaces: ['dagster', 'analytics'] });
    const clients = custom.find((p: any) => p.metadata.name === 'allow-clients') as any;
    expect(clients.spec.ingress[0].from).toEqual([ns('dagster'), ns('analytics')]);
    expect(() => postgresNetworkPolicies({ clientNamespaces: [] })).toThrow(
      'postgresNetworkPolicies: clientNamespaces is empty',
    );
  });
});

describeReference('CloudNativePG against the reference chart schema and CRD', () => {
  it('operator values are valid (chart defaults merged)', () => {
    expect(
      validateChartValues(
        valuesOf(rel['cloudnative-pg']),
        'cloudnative-pg/operator-chart.values.schema.json',
        'cloudnative-pg/operator-chart.values.yaml',
      ),
    ).toEqual([]);
  });

  it('Cluster validates against the v1.30 CRD', () => {
    expect(
      validateCustomResource(cluster(), 'cloudnative-pg/postgresql.cnpg.io_clusters.yaml'),
    ).toEqual([]);
    expect(
      validateCustomResource(fiveInstances, 'cloudnative-pg/postgresql.cnpg.io_clusters.yaml'),
    ).toEqual([]);
  });

  it('an invalid Cluster is rejected (the check has teeth)', () => {
    const bad = structuredClone(cluster());
    bad.spec.backup.retentionPolicy = '30 days';
    expect(
      validateCustomResource(bad, 'cloudnative-pg/postgresql.cnpg.io_clusters.yaml').join('\n'),
    ).toMatch(/retentionPolicy/);
  });

  it('PrometheusRule validates against the prometheus-operator CRD', () => {
    expect(
      validateCustomResource(
        objectsOfKind(rel['postgres-dagster'], 'PrometheusRule')['dagster-pg-alerts'],
        'prometheus-operator/crd-prometheusrules.yaml',
      ),
    ).toEqual([]);
  });
});
