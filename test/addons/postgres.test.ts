/**
 * CloudNativePG: the operator release (values valid against the chart schema, defaults
 * merged) and the Dagster Postgres cluster (Cluster against the reference CRD, backups to
 * the cluster's bucket with IAM-role credentials, password generated into Secrets Manager
 * without ever appearing in the synthesized JSON).
 */
import { PLATFORM_CHARTS, POSTGRES_IMAGE } from '../../constructs/versions';
import { ADDON_IDENTITIES } from '../../constructs/cluster-addon-identities';
import { describeReference, validateChartValues } from '../support/conformance';
import {
  buildPlatform,
  manifestsOf,
  releases,
  STUB_CLUSTER,
  synthPlatform,
  validateCr,
  valuesOf,
} from './platform-fixture';
import type { PlatformStack } from '../../stacks/platform-stack';

let stack: PlatformStack;
let json: Record<string, any>;
let rel: Record<string, any>;
let objects: Record<string, any>[];
let fiveInstances: Record<string, any>;
beforeAll(() => {
  stack = buildPlatform((raw) => {
    raw.clusters['main-01'].platform.postgres = { storageGiB: 50, backupRetentionDays: 14 };
  });
  json = synthPlatform(stack);
  rel = releases(json);
  objects = manifestsOf(rel['postgres-dagster']);
  fiveInstances = manifestsOf(
    releases(
      synthPlatform(
        buildPlatform((raw) => (raw.clusters['main-01'].platform.postgres = { instances: 5 })),
      ),
    )['postgres-dagster'],
  ).find((o) => o.kind === 'Cluster')!;
});

const cluster = () => objects.find((o) => o.kind === 'Cluster')!;

describe('CloudNativePG operator', () => {
  it('pinned chart in cnpg-system with CRDs, cluster-wide', () => {
    expect(rel['cloudnative-pg']).toMatchObject({
      chart: 'cloudnative-pg',
      repository: 'https://cloudnative-pg.github.io/charts',
      version: PLATFORM_CHARTS.cloudnativePg.version,
      namespace: 'cnpg-system',
    });
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
    });
    expect(s.storage).toEqual({ size: '50Gi', storageClass: 'gp3' });
    expect(s.imageName).toBe(POSTGRES_IMAGE);
    expect(s.enableSuperuserAccess).toBe(false);
  });

  it('prefers (not requires) zone spreading when there are more instances than zones', () => {
    expect(fiveInstances.spec.instances).toBe(5);
    expect(fiveInstances.spec.affinity.podAntiAffinityType).toBe('preferred');
  });

  it('backs up to the cluster bucket with retention, using the IAM role (no keys)', () => {
    expect(cluster().spec.backup).toEqual({
      retentionPolicy: '14d',
      barmanObjectStore: {
        destinationPath: `s3://${STUB_CLUSTER.buckets.postgresBackups}/dagster-pg`,
        s3Credentials: { inheritFromIAMRole: true },
        wal: { compression: 'gzip', encryption: 'AES256' },
        data: { compression: 'gzip', encryption: 'AES256' },
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
    expect(validateCr(cluster(), 'cloudnative-pg/postgresql.cnpg.io_clusters.yaml')).toEqual([]);
    expect(validateCr(fiveInstances, 'cloudnative-pg/postgresql.cnpg.io_clusters.yaml')).toEqual(
      [],
    );
  });

  it('an invalid Cluster is rejected (the check has teeth)', () => {
    const bad = structuredClone(cluster());
    bad.spec.backup.retentionPolicy = '30 days';
    expect(validateCr(bad, 'cloudnative-pg/postgresql.cnpg.io_clusters.yaml').join('\n')).toMatch(
      /retentionPolicy/,
    );
  });

  it('PrometheusRule validates against the prometheus-operator CRD', () => {
    expect(
      validateCr(
        objects.find((o) => o.kind === 'PrometheusRule'),
        'prometheus-operator/crd-prometheusrules.yaml',
      ),
    ).toEqual([]);
  });
});
