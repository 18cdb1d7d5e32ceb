/**
 * The always-on add-ons besides Karpenter: AWS Load Balancer Controller, external-dns,
 * External Secrets (+ ClusterSecretStores), metrics-server and the default StorageClass.
 */
import { ADDON_IDENTITIES, SYSTEM_NODE_TAINT } from '../../../../constructs/eks/addon-identities';
import { loadBalancerSecretAccess } from '../../../../constructs/platform/addons/aws-load-balancer-controller';
import { PLATFORM_CHARTS } from '../../../../envs/versions';
import {
  expectChart,
  manifestsOf,
  platformReleases,
  STUB_CLUSTER,
  valuesOf,
} from '../../../support/platform-fixture';

let json: Record<string, any>;
let rel: Record<string, any>;
let vaultRel: Record<string, any>;
beforeAll(() => {
  ({ json, rel } = platformReleases());
  vaultRel = platformReleases((raw) => {
    raw.clusters['main-01'].platform.externalSecrets = {
      vault: {
        server: 'https://vault.acme.example',
        path: 'kv',
        kubernetesAuth: { role: 'external-secrets' },
      },
    };
  }).rel;
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
    expectChart(
      rel['aws-load-balancer-controller'],
      PLATFORM_CHARTS.awsLoadBalancerController,
      'kube-system',
    );
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

  it('gets no cluster-wide Secret access; a Role grants it per Secret and namespace', () => {
    expect(valuesOf(rel['aws-load-balancer-controller']).clusterSecretsPermissions).toEqual({
      allowAllSecrets: false,
    });
    const [role, binding] = loadBalancerSecretAccess('dagster', ['dagster-oidc-client']) as any[];
    expect(role).toMatchObject({ kind: 'Role', metadata: { namespace: 'dagster' } });
    expect(role.rules).toEqual([
      {
        apiGroups: [''],
        resources: ['secrets'],
        resourceNames: ['dagster-oidc-client'],
        verbs: ['get', 'list', 'watch'],
      },
    ]);
    expect(binding.roleRef).toEqual({
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'Role',
      name: role.metadata.name,
    });
    expect(binding.subjects).toEqual([
      { kind: 'ServiceAccount', name: 'aws-load-balancer-controller', namespace: 'kube-system' },
    ]);
    expect(() => loadBalancerSecretAccess('dagster', [])).toThrow(/would allow every Secret/);
  });
});

describe('AWS Load Balancer Controller CRDs (Helm never upgrades crds/)', () => {
  // helm/aws-load-balancer-controller/crds/{crds.yaml,gateway-crds.yaml} at tag v3.5.0; Helm
  // installs a chart's crds/ only on first install (https://helm.sh/docs/chart_best_practices/custom_resource_definitions/).
  it('a Job named after the chart version applies the pinned tag’s CRD files before the chart', () => {
    const crds = rel['aws-load-balancer-controller-crds'];
    const objects = manifestsOf(crds);
    const job = objects.find((o) => o.kind === 'Job')!;
    expect(job.metadata.name).toBe('aws-load-balancer-controller-crds-v3-5-0');
    const c = job.spec.template.spec.containers[0];
    expect(c.image).toBe('registry.k8s.io/kubectl:v1.35.0');
    expect(c.command).toEqual(['kubectl']);
    expect(c.args).toEqual([
      'apply',
      '--server-side',
      '--force-conflicts',
      '-f',
      'https://raw.githubusercontent.com/kubernetes-sigs/aws-load-balancer-controller/v3.5.0/helm/aws-load-balancer-controller/crds/crds.yaml',
      '-f',
      'https://raw.githubusercontent.com/kubernetes-sigs/aws-load-balancer-controller/v3.5.0/helm/aws-load-balancer-controller/crds/gateway-crds.yaml',
    ]);
    const role = objects.find((o) => o.kind === 'ClusterRole')!;
    expect(role.rules).toEqual([
      {
        apiGroups: ['apiextensions.k8s.io'],
        resources: ['customresourcedefinitions'],
        verbs: ['get', 'list', 'create', 'patch', 'update'],
      },
    ]);
    expect(crds.wait_for_jobs).toBe(true);
    expect(rel['aws-load-balancer-controller'].depends_on).toContain(
      `helm_release.${crds.logicalId}`,
    );
  });
});

describe('external-dns', () => {
  it('pinned chart in its own namespace (created, restricted Pod Security)', () => {
    expectChart(rel['external-dns'], PLATFORM_CHARTS.externalDns, 'external-dns');
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
    expectChart(rel['external-secrets'], PLATFORM_CHARTS.externalSecrets, 'external-secrets');
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
        spec: {
          conditions: [{ namespaces: ['dagster', 'monitoring', 'postgres'] }],
          provider: { aws: { service: 'SecretsManager', region: 'eu-central-1' } },
        },
      },
    ]);
    expect(rel['external-secrets-stores'].depends_on).toEqual([
      `helm_release.${rel['external-secrets'].logicalId}`,
    ]);
  });

  it('runs two controllers with leader election (only one reconciles)', () => {
    // deploy/charts/external-secrets at helm-chart-2.9.0: `leaderElect: false` by default;
    // templates/deployment.yaml adds `--enable-leader-election=true` only when it is true.
    const v = valuesOf(rel['external-secrets']);
    expect(v.replicaCount).toBe(2);
    expect(v.leaderElect).toBe(true);
  });

  describe('the stores are restricted to the namespaces that read secrets (spec.conditions)', () => {
    // apis/externalsecrets/v1/secretstore_types.go at v2.9.0:
    //   Conditions []ClusterSecretStoreCondition `json:"conditions,omitempty"`
    //   ClusterSecretStoreCondition{ NamespaceSelector *metav1.LabelSelector `json:"namespaceSelector,omitempty"`;
    //     Namespaces []string `json:"namespaces,omitempty"` (items MinLength 1, MaxLength 63,
    //     Pattern ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$); NamespaceRegexes []string `json:"namespaceRegexes,omitempty"` }
    // pkg/controllers/secretstore/client_manager.go: no conditions → every namespace; otherwise a
    // namespace must match one of them.
    const CONDITION_KEYS = ['namespaceSelector', 'namespaces', 'namespaceRegexes'];
    const NS = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
    it.each([
      ['example', () => rel],
      ['with Vault', () => vaultRel],
    ])('%s: every store names its namespaces in the CRD’s shape', (_n, get) => {
      for (const store of manifestsOf(get()['external-secrets-stores'])) {
        expect(store.spec.conditions.length).toBeGreaterThan(0);
        for (const c of store.spec.conditions) {
          for (const k of Object.keys(c)) expect(CONDITION_KEYS).toContain(k);
          for (const ns of c.namespaces) {
            expect(ns).toMatch(NS);
            expect(ns.length).toBeLessThanOrEqual(63);
          }
        }
      }
    });

    it('the namespaces are exactly those with ExternalSecrets, plus the configured ones', () => {
      const users = new Set<string>();
      for (const r of Object.values<any>(rel))
        if (String(r.chart).includes('assets'))
          for (const o of manifestsOf(r))
            if (o.kind === 'ExternalSecret') users.add(o.metadata.namespace);
      const allowed = manifestsOf(rel['external-secrets-stores'])[0].spec.conditions[0].namespaces;
      expect(allowed).toEqual([...users].sort());
      const extra = platformReleases((raw) => {
        raw.clusters['main-01'].platform.externalSecrets = { namespaces: ['team-a'] };
      }).rel;
      expect(
        manifestsOf(extra['external-secrets-stores'])[0].spec.conditions[0].namespaces,
      ).toContain('team-a');
    });
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
    expectChart(rel['metrics-server'], PLATFORM_CHARTS.metricsServer, 'kube-system');
    expect(valuesOf(rel['metrics-server']).replicas).toBe(2);
    expect(rel['metrics-server'].depends_on).toContain(karpenterPools());
  });
});

describe('default StorageClass', () => {
  const classes = () => Object.values<any>(json.resource.kubernetes_storage_class_v1);

  it('is the only storage class and the cluster default', () => {
    expect(classes()).toHaveLength(1);
    expect(classes()[0].metadata.annotations['storageclass.kubernetes.io/is-default-class']).toBe(
      'true',
    );
  });

  it('provisions encrypted gp3 EBS volumes through the CSI driver', () => {
    const sc = classes()[0];
    expect(sc.storage_provisioner).toBe('ebs.csi.aws.com');
    expect(sc.parameters.type).toBe('gp3');
    expect(sc.parameters.encrypted).toBe('true');
  });

  it("binds in the pod's zone, can grow, and is named as the add-ons expect", () => {
    const sc = classes()[0];
    expect(sc.volume_binding_mode).toBe('WaitForFirstConsumer');
    expect(sc.allow_volume_expansion).toBe(true);
    const pg = manifestsOf(rel['postgres-dagster']).find((o) => o.kind === 'Cluster')!;
    expect(pg.spec.storage.storageClass).toBe(sc.metadata.name);
  });
});
