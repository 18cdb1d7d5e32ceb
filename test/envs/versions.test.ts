/**
 * The cluster section of the versions module: every supported Kubernetes version has pinned
 * add-ons and a node AMI release of the right shape, the AL2023 release of the system node
 * groups is the one Karpenter's `EC2NodeClass` alias names, and nothing is `latest`.
 */
import {
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
