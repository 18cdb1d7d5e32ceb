/**
 * The always-on add-ons besides Karpenter: AWS Load Balancer Controller, external-dns,
 * External Secrets (+ ClusterSecretStores), metrics-server and the default StorageClass.
 */
import { ADDON_IDENTITIES, SYSTEM_NODE_TAINT } from '../../constructs/cluster-addon-identities';
import { PLATFORM_CHARTS } from '../../constructs/versions';
import {
  buildPlatform,
  manifestsOf,
  releases,
  STUB_CLUSTER,
  synthPlatform,
  valuesOf,
} from './platform-fixture';

let json: Record<string, any>;
let rel: Record<string, any>;
let vaultRel: Record<string, any>;
beforeAll(() => {
  json = synthPlatform(buildPlatform());
  rel = releases(json);
  vaultRel = releases(
    synthPlatform(
      buildPlatform((raw) => {
        raw.clusters['main-01'].platform.externalSecrets = {
          vault: {
            server: 'https://vault.acme.example',
            path: 'kv',
            kubernetesAuth: { role: 'external-secrets' },
          },
        };
      }),
    ),
  );
});

const tolerationOfSystemTaint = {
  key: SYSTEM_NODE_TAINT.key,
  operator: 'Equal',
  value: SYSTEM_NODE_TAINT.value,
  effect: 'NoSchedule',
};
const karpenterPools = () => `helm_release.${rel['karpenter-node-pools'].logicalId}`;

describe('AWS Load Balancer Controller', () => {
  it('pinned chart in kube-system, after the node pools', () => {
    expect(rel['aws-load-balancer-controller']).toMatchObject({
      chart: 'aws-load-balancer-controller',
      repository: 'https://aws.github.io/eks-charts',
      version: PLATFORM_CHARTS.awsLoadBalancerController.version,
      namespace: 'kube-system',
    });
    expect(rel['aws-load-balancer-controller'].depends_on).toContain(karpenterPools());
  });

  it('knows the cluster, region and VPC, creates IngressClass alb, uses its Pod Identity service account', () => {
    const v = valuesOf(rel['aws-load-balancer-controller']);
    expect(v).toMatchObject({
      clusterName: STUB_CLUSTER.clusterName,
      region: 'eu-central-1',
      vpcId: STUB_CLUSTER.vpcId,
      ingressClass: 'alb',
      createIngressClassResource: true,
      serviceAccount: {
        create: true,
        name: ADDON_IDENTITIES['aws-load-balancer-controller'].serviceAccounts[0],
      },
    });
    expect(v.tolerations).toEqual([tolerationOfSystemTaint]);
    expect(v.serviceAccount.annotations).toBeUndefined();
  });
});

describe('external-dns', () => {
  it('pinned chart in its own namespace (created, restricted Pod Security)', () => {
    expect(rel['external-dns']).toMatchObject({
      chart: 'external-dns',
      version: PLATFORM_CHARTS.externalDns.version,
      namespace: 'external-dns',
    });
    const ns = Object.values<any>(json.resource.kubernetes_namespace_v1).find(
      (n) => n.metadata.name === 'external-dns',
    );
    expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });

  it('upsert-only, TXT ownership by cluster name, filtered to the cluster zone', () => {
    const v = valuesOf(rel['external-dns']);
    expect(v).toMatchObject({
      provider: { name: 'aws' },
      policy: 'upsert-only',
      registry: 'txt',
      txtOwnerId: STUB_CLUSTER.clusterName,
      domainFilters: [STUB_CLUSTER.zone.name],
      serviceAccount: { create: true, name: 'external-dns' },
    });
    expect(v.extraArgs).toContain(`--zone-id-filter=${STUB_CLUSTER.zone.id}`);
  });
});

describe('External Secrets Operator', () => {
  it('pinned chart with CRDs, Pod Identity service account, no static keys', () => {
    expect(rel['external-secrets']).toMatchObject({
      chart: 'external-secrets',
      repository: 'https://charts.external-secrets.io',
      version: PLATFORM_CHARTS.externalSecrets.version,
      namespace: 'external-secrets',
    });
    const v = valuesOf(rel['external-secrets']);
    expect(v.installCRDs).toBe(true);
    expect(v.serviceAccount).toEqual({
      create: true,
      name: ADDON_IDENTITIES['external-secrets'].serviceAccounts[0],
    });
    expect(JSON.stringify(v)).not.toMatch(/accessKey|secretAccessKey|AWS_ACCESS_KEY/i);
  });

  it('ClusterSecretStore for Secrets Manager uses the controller identity (no auth block)', () => {
    const stores = manifestsOf(rel['external-secrets-stores']);
    expect(stores).toEqual([
      {
        apiVersion: 'external-secrets.io/v1',
        kind: 'ClusterSecretStore',
        metadata: { name: 'aws-secrets-manager' },
        spec: { provider: { aws: { service: 'SecretsManager', region: 'eu-central-1' } } },
      },
    ]);
    expect(rel['external-secrets-stores'].depends_on).toEqual([
      `helm_release.${rel['external-secrets'].logicalId}`,
    ]);
  });

  it('adds a Vault store with Kubernetes auth when configured', () => {
    const vault = manifestsOf(vaultRel['external-secrets-stores']).find(
      (s) => s.metadata.name === 'vault',
    )!;
    expect(vault.spec.provider.vault).toEqual({
      server: 'https://vault.acme.example',
      path: 'kv',
      version: 'v2',
      auth: {
        kubernetes: {
          mountPath: 'kubernetes',
          role: 'external-secrets',
          serviceAccountRef: { name: 'external-secrets', namespace: 'external-secrets' },
        },
      },
    });
  });
});

describe('metrics-server', () => {
  it('pinned chart in kube-system, two replicas', () => {
    expect(rel['metrics-server']).toMatchObject({
      chart: 'metrics-server',
      repository: 'https://kubernetes-sigs.github.io/metrics-server',
      version: PLATFORM_CHARTS.metricsServer.version,
      namespace: 'kube-system',
    });
    expect(valuesOf(rel['metrics-server']).replicas).toBe(2);
  });
});

describe('default StorageClass', () => {
  it('gp3, encrypted, EBS CSI, default, WaitForFirstConsumer', () => {
    expect(Object.values(json.resource.kubernetes_storage_class_v1)).toEqual([
      {
        metadata: {
          name: 'gp3',
          annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' },
        },
        storage_provisioner: 'ebs.csi.aws.com',
        parameters: { type: 'gp3', encrypted: 'true', 'csi.storage.k8s.io/fstype': 'ext4' },
        reclaim_policy: 'Delete',
        volume_binding_mode: 'WaitForFirstConsumer',
        allow_volume_expansion: true,
      },
    ]);
  });
});
