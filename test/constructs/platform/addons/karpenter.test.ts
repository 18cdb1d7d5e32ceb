/**
 * Karpenter: the controller release (chart, pinned version, system nodes, settings,
 * identity) and the EC2NodeClass / NodePools (IMDSv2, encrypted gp3, discovery selectors,
 * pinned AMI alias; validated against the v1.14 CRDs).
 */
import { ec2NodeClass } from '../../../../constructs/platform/addons/karpenter-node-pools';
import {
  ADDON_IDENTITIES,
  SYSTEM_NODE_LABELS,
  SYSTEM_NODE_TAINT,
} from '../../../../constructs/eks/addon-identities';
import { EKS_VERSIONS, KARPENTER_AMI_ALIAS, PLATFORM_CHARTS } from '../../../../envs/versions';
import { describeReference, validateCustomResource } from '../../../support/conformance';
import {
  expectChart,
  manifestsOf,
  objectsOfKind,
  platformReleases,
  STUB_CLUSTER,
  valuesOf,
} from '../../../support/platform-fixture';

let rel: Record<string, any>;
beforeAll(() => {
  ({ rel } = platformReleases((raw) => {
    raw.clusters['main-01'].platform.karpenter = {
      nodePools: {
        general: {
          limits: { cpu: 64, memoryGiB: 256 },
          disruption: {
            budgets: [
              { nodes: '10%' },
              {
                nodes: '0',
                schedule: '0 9 * * mon-fri',
                duration: '8h',
                reasons: ['Underutilized'],
              },
            ],
          },
        },
      },
    };
  }));
});

describe('Karpenter controller', () => {
  it('installs the pinned OCI chart into kube-system', () => {
    expectChart(rel.karpenter, PLATFORM_CHARTS.karpenter, 'kube-system');
    expect(rel.karpenter).toMatchObject({ repository: 'oci://public.ecr.aws/karpenter' });
    expect(PLATFORM_CHARTS.karpenter.version).toMatch(/^1\.14\.\d+$/);
    expect(rel.karpenter.depends_on).toBeUndefined();
  });

  it('runs on the system nodes, tolerating their taint', () => {
    const v = valuesOf(rel.karpenter);
    expect(v.nodeSelector).toMatchObject(SYSTEM_NODE_LABELS);
    expect(v.tolerations).toEqual([
      {
        key: SYSTEM_NODE_TAINT.key,
        operator: 'Equal',
        value: SYSTEM_NODE_TAINT.value,
        effect: 'NoSchedule',
      },
    ]);
  });

  it('gets cluster name, endpoint and interruption queue from the cluster outputs', () => {
    expect(valuesOf(rel.karpenter).settings).toEqual({
      clusterName: STUB_CLUSTER.clusterName,
      clusterEndpoint: STUB_CLUSTER.clusterEndpoint,
      interruptionQueue: STUB_CLUSTER.karpenter.interruptionQueueName,
    });
  });

  it('uses the Pod Identity service account of the cluster stack, with no IRSA annotation', () => {
    const sa = valuesOf(rel.karpenter).serviceAccount;
    expect(sa).toEqual({ create: true, name: ADDON_IDENTITIES.karpenter.serviceAccounts[0] });
    expect(rel.karpenter.namespace).toBe(ADDON_IDENTITIES.karpenter.namespace);
  });
});

describe('EC2NodeClass and NodePools', () => {
  const objects = () => manifestsOf(rel['karpenter-node-pools']);
  const pool = (name: string) =>
    objects().find((o) => o.kind === 'NodePool' && o.metadata.name === name)!;

  it('are a manifests release that depends on the controller release (CRDs first)', () => {
    expect(rel['karpenter-node-pools'].depends_on).toEqual([
      `helm_release.${rel.karpenter.logicalId}`,
    ]);
    expect(objects().map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'EC2NodeClass/default',
      'NodePool/general',
      'NodePool/batch',
    ]);
  });

  it('EC2NodeClass: pinned AMI alias, IMDSv2, encrypted gp3, discovery selectors, node role', () => {
    const nc = objects()[0];
    expect(nc.spec.amiSelectorTerms).toEqual([{ alias: KARPENTER_AMI_ALIAS }]);
    expect(KARPENTER_AMI_ALIAS).toMatch(/^al2023@v\d{8}$/);
    expect(nc.spec.metadataOptions).toMatchObject({
      httpTokens: 'required',
      httpPutResponseHopLimit: 1,
    });
    expect(nc.spec.blockDeviceMappings[0].ebs).toMatchObject({
      volumeType: 'gp3',
      encrypted: true,
    });
    expect(nc.spec.subnetSelectorTerms).toEqual([
      { tags: { 'karpenter.sh/discovery': STUB_CLUSTER.clusterName } },
    ]);
    expect(nc.spec.securityGroupSelectorTerms).toEqual([
      { tags: { 'karpenter.sh/discovery': STUB_CLUSTER.clusterName } },
      { id: STUB_CLUSTER.clusterSecurityGroupId },
    ]);
    expect(nc.spec.role).toBe(STUB_CLUSTER.karpenter.nodeRoleName);
  });

  it('AMI alias is the same EKS AMI release as the system node groups of every Kubernetes version', () => {
    const date = KARPENTER_AMI_ALIAS.split('@v')[1];
    for (const [k8s, v] of Object.entries(EKS_VERSIONS)) {
      expect({ k8s, release: v.al2023ReleaseVersion.split('-')[1] }).toEqual({
        k8s,
        release: date,
      });
    }
  });

  it('refuses an unpinned AMI alias', () => {
    expect(() =>
      ec2NodeClass({ clusterName: 'c', nodeRoleName: 'r', amiAlias: 'al2023@latest' }),
    ).toThrow(/never @latest/);
  });

  it('general pool: on-demand and spot, both architectures, config limits, WhenEmptyOrUnderutilized, budgets', () => {
    const g = pool('general');
    const req = Object.fromEntries(g.spec.template.spec.requirements.map((r: any) => [r.key, r]));
    expect(req['karpenter.sh/capacity-type'].values).toEqual(['on-demand', 'spot']);
    expect(req['kubernetes.io/arch'].values).toEqual(['amd64', 'arm64']);
    expect(req['karpenter.k8s.aws/instance-category'].values).toEqual(['c', 'm', 'r']);
    expect(req['karpenter.k8s.aws/instance-generation']).toEqual({
      key: 'karpenter.k8s.aws/instance-generation',
      operator: 'Gt',
      values: ['5'],
    });
    expect(g.spec.limits).toEqual({ cpu: '64', memory: '256Gi' });
    expect(g.spec.disruption.consolidationPolicy).toBe('WhenEmptyOrUnderutilized');
    expect(g.spec.disruption.budgets).toEqual([
      { nodes: '10%' },
      { nodes: '0', schedule: '0 9 * * mon-fri', duration: '8h', reasons: ['Underutilized'] },
    ]);
    expect(g.spec.template.spec.taints).toBeUndefined();
  });

  it('every pool bounds how long a node may be held by a PDB or do-not-disrupt (terminationGracePeriod)', () => {
    // karpenter.sh_nodepools.yaml (v1.14.1): "If left undefined, the controller will wait
    // indefinitely for pods to be drained" — a Postgres primary's PDB (cloudnative-pg) or a
    // do-not-disrupt run would then hold a drifted or expired node forever.
    expect(pool('general').spec.template.spec.terminationGracePeriod).toBe('48h');
    expect(pool('batch').spec.template.spec.terminationGracePeriod).toBe('24h');
  });

  it('sets kubelet maxPods for prefix delegation, on instances it fits (≥ 2 vCPUs)', () => {
    // EC2NodeClass `spec.kubelet.maxPods` (v1.14.1 CRD: "an override for the maximum number of
    // pods"); the EKS max-pods formula with prefix delegation is ENIs × ((IPs − 1) × 16) + 2,
    // capped at 110 below 30 vCPUs (awslabs/amazon-eks-ami max-pods-calculator.sh,
    // MAX_POD_CEILING_FOR_LOW_CPU=110). The smallest 2-vCPU sizes have 3 ENIs with ≥ 4 IPv4
    // addresses each (EC2 "IP addresses per network interface per instance type"): 3 × 3 × 16 + 2.
    expect(objects()[0].spec.kubelet).toEqual({ maxPods: 110 });
    expect(3 * ((4 - 1) * 16) + 2).toBeGreaterThanOrEqual(110);
    for (const name of ['general', 'batch']) {
      const req = pool(name).spec.template.spec.requirements.find(
        (r: any) => r.key === 'karpenter.k8s.aws/instance-cpu',
      );
      expect(req).toEqual({ key: 'karpenter.k8s.aws/instance-cpu', operator: 'Gt', values: ['1'] });
    }
  });

  it('batch pool: spot first and tainted', () => {
    const b = pool('batch');
    const cap = b.spec.template.spec.requirements.find(
      (r: any) => r.key === 'karpenter.sh/capacity-type',
    );
    expect(cap.values[0]).toBe('spot');
    expect(b.spec.template.spec.taints).toEqual([
      { key: 'workload-class', value: 'batch', effect: 'NoSchedule' },
    ]);
  });
});

describeReference('Karpenter objects against the v1.14 CRDs', () => {
  it('EC2NodeClass validates', () => {
    expect(
      validateCustomResource(
        manifestsOf(rel['karpenter-node-pools'])[0],
        'karpenter/karpenter.k8s.aws_ec2nodeclasses.yaml',
      ),
    ).toEqual([]);
  });

  it.each(['general', 'batch'])('NodePool %s validates', (name) => {
    const np = objectsOfKind(rel['karpenter-node-pools'], 'NodePool')[name];
    expect(np).toBeDefined();
    expect(validateCustomResource(np, 'karpenter/karpenter.sh_nodepools.yaml')).toEqual([]);
  });

  it('a broken NodePool is rejected (the check has teeth)', () => {
    const np = structuredClone(manifestsOf(rel['karpenter-node-pools'])[1]);
    np.spec.disruption.consolidationPolicy = 'Sometimes';
    expect(validateCustomResource(np, 'karpenter/karpenter.sh_nodepools.yaml').join('\n')).toMatch(
      /consolidationPolicy/,
    );
  });
});
