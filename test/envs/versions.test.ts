/**
 * The cluster section of the versions module: every supported Kubernetes version has pinned
 * add-ons and a node AMI release of the right shape, the AL2023 release of the system node
 * groups is the one Karpenter's `EC2NodeClass` alias names, and nothing is `latest`.
 */
import {
  CRD_UPGRADE_IMAGES,
  DAGSTER_CHARTS,
  PLATFORM_CHARTS,
  BOTTLEROCKET_RELEASE_VERSION,
  DEFAULT_EKS_VERSION,
  EKS_AL2023_AMI_RELEASE,
  EKS_VERSIONS,
  KARPENTER_AMI_ALIAS,
  nodeReleaseVersion,
} from '../../envs/versions';
import { isNodeReleaseVersionOf } from '../../constructs/eks/node-group';

const versions = Object.entries(EKS_VERSIONS);

describe('EKS versions', () => {
  it('defaults to the newest supported Kubernetes version', () => {
    const newest = Object.keys(EKS_VERSIONS).sort((a, b) =>
      a.localeCompare(b, 'en', { numeric: true }),
    );
    expect(DEFAULT_EKS_VERSION).toBe(newest[newest.length - 1]);
  });

  it.each(versions)('%s pins every add-on to an eksbuild, never latest', (_v, support) => {
    for (const version of Object.values(support.addons)) {
      expect(version).toMatch(/^v\d+\.\d+\.\d+-eksbuild\.\d+$/);
    }
  });

  it.each(versions)('%s pins kube-proxy to its own minor version', (v, support) => {
    expect(support.addons['kube-proxy'].startsWith(`v${v}.`)).toBe(true);
  });

  it.each(versions)(
    '%s pins an AL2023 node release of its own minor version from the shared AMI release',
    (v, support) => {
      expect(isNodeReleaseVersionOf(support.al2023ReleaseVersion, 'AL2023', v)).toBe(true);
      expect(support.al2023ReleaseVersion.endsWith(`-${EKS_AL2023_AMI_RELEASE.slice(1)}`)).toBe(
        true,
      );
    },
  );
});

describe('node AMI releases', () => {
  it('gives the system node group and Karpenter the same AL2023 release', () => {
    expect(EKS_AL2023_AMI_RELEASE).toMatch(/^v\d{8}$/);
    expect(KARPENTER_AMI_ALIAS).toBe(`al2023@${EKS_AL2023_AMI_RELEASE}`);
  });

  it('pins Bottlerocket to a version and build id', () => {
    for (const v of Object.keys(EKS_VERSIONS)) {
      expect(isNodeReleaseVersionOf(BOTTLEROCKET_RELEASE_VERSION, 'Bottlerocket', v)).toBe(true);
    }
  });

  it('resolves the release per family and Kubernetes version', () => {
    expect(nodeReleaseVersion('1.35', 'AL2023')).toBe(EKS_VERSIONS['1.35'].al2023ReleaseVersion);
    expect(nodeReleaseVersion('1.34', 'AL2023')).toBe(EKS_VERSIONS['1.34'].al2023ReleaseVersion);
    expect(nodeReleaseVersion('1.35', 'Bottlerocket')).toBe(BOTTLEROCKET_RELEASE_VERSION);
    expect(() => nodeReleaseVersion('1.31', 'AL2023')).toThrow(
      'Kubernetes 1.31 has no pinned node AMI release',
    );
  });

  it.each([
    ['1.35.6-20260818', 'AL2023', '1.35', true],
    ['1.35.6-20260818', 'AL2023', '1.34', false],
    ['1.35.6', 'AL2023', '1.35', false],
    ['1.355.6-20260818', 'AL2023', '1.35', false],
    ['1.65.0-0be31b34', 'AL2023', '1.35', false],
    ['1.65.0-0be31b34', 'Bottlerocket', '1.35', true],
    ['1.65.0', 'Bottlerocket', '1.35', false],
    ['latest', 'Bottlerocket', '1.35', false],
  ] as const)('%s is a %s release for %s: %s', (release, family, k8s, ok) => {
    expect(isNodeReleaseVersionOf(release, family, k8s)).toBe(ok);
  });
});

describe('platform chart pins confirmed against their repositories', () => {
  // Each version is one whose tag and Chart.yaml could be read (envs/versions.ts cites them);
  // the earlier pins (external-secrets 2.11.0, external-dns 1.22.0, valkey 1.0.0) had no tag
  // or index entry.
  it.each([
    ['externalSecrets', '2.9.0', 'external-secrets/external-secrets tag helm-chart-2.9.0'],
    ['externalDns', '1.21.1', 'kubernetes-sigs/external-dns tag external-dns-helm-chart-1.21.1'],
    [
      'awsLoadBalancerController',
      '3.5.0',
      'kubernetes-sigs/aws-load-balancer-controller tag v3.5.0',
    ],
    [
      'metricsServer',
      '3.13.1',
      'kubernetes-sigs/metrics-server tag metrics-server-helm-chart-3.13.1',
    ],
    ['cloudnativePg', '0.29.0', 'cloudnative-pg/charts tag cloudnative-pg-v0.29.0'],
    [
      'kubePrometheusStack',
      '88.5.3',
      'prometheus-community/helm-charts tag kube-prometheus-stack-88.5.3',
    ],
  ] as const)('%s is %s (%s)', (key, version, _source) => {
    expect(PLATFORM_CHARTS[key].version).toBe(version);
  });

  it('valkey is 0.11.0 (valkey-io/valkey-helm tag valkey-0.11.0)', () => {
    expect(DAGSTER_CHARTS.valkey.version).toBe('0.11.0');
  });

  it('pins the CRD upgrade images (the kube-prometheus-stack default busybox tag is latest)', () => {
    for (const img of Object.values(CRD_UPGRADE_IMAGES))
      expect(img.tag).toMatch(/^v?\d+\.\d+\.\d+$/);
  });
});
