/**
 * Every pinned version the landing zone deploys, in one place: Helm charts, EKS add-ons,
 * AMI aliases and container images. Nothing outside this module names a version, and
 * `latest` is never used (a guardrail enforces it on every synth).
 *
 * Each entry cites where the version was read.
 */

/** Terraform providers (match package.json's prebuilt providers; informational). */
export const PROVIDERS = {
  /** @cdktf/provider-aws 20.1.0 → hashicorp/aws 5.100.0 */
  aws: '5.100.0',
  /** @cdktf/provider-helm 12.1.2 → hashicorp/helm 3.1.1 */
  helm: '3.1.1',
  /** @cdktf/provider-kubernetes 12.1.1 → hashicorp/kubernetes 2.38.0 */
  kubernetes: '2.38.0',
  /** @cdktf/provider-tfe 12.5.1 → hashicorp/tfe 0.71.0 */
  tfe: '0.71.0',
} as const;

// ---- network (fck-nat) ----------------------------------------------------------------

/**
 * The fck-nat AMI (https://fck-nat.dev): its publisher account and the pinned release.
 * AMI names are `fck-nat-al2023-hvm-<version>-<YYYYMMDD>-<arm64|x86_64>-ebs` (packer/fck-nat.pkr.hcl
 * in https://github.com/AndrewGuenther/fck-nat); the latest minor release is re-published every
 * six months with a new date suffix only (docs/ami-support-policy.md there), so the name
 * pattern pins the version and `most_recent` takes the newest build of it.
 * Releases: https://github.com/AndrewGuenther/fck-nat/releases
 */
export const FCK_NAT_AMI = {
  /** The fck-nat project's publishing account. */
  owner: '568608671756',
  /** fck-nat release (Amazon Linux 2023 flavour). */
  version: '1.4.0',
} as const;

/** The `aws_ami` name filter of the pinned fck-nat release for one architecture. */
export function fckNatAmiNamePattern(architecture: 'arm64' | 'x86_64'): string {
  return `fck-nat-al2023-hvm-${FCK_NAT_AMI.version}-*-${architecture}-ebs`;
}

// ---- cluster (EKS, add-ons, AMIs) ------------------------------------------------------

/** The EKS managed add-ons every cluster stack installs (`aws_eks_addon`). */
export type EksAddonName =
  'vpc-cni' | 'coredns' | 'kube-proxy' | 'eks-pod-identity-agent' | 'aws-ebs-csi-driver';

/** One Kubernetes minor version the landing zone supports on EKS. */
export interface EksVersionSupport {
  /** Last day of EKS standard support, ISO date (after it, extended support is billed extra). */
  readonly endOfStandardSupport: string;
  /** Pinned EKS add-on versions (`aws eks describe-addon-versions --kubernetes-version <v>`). */
  readonly addons: Readonly<Record<EksAddonName, string>>;
  /**
   * Managed node group `release_version` of the EKS-optimized AL2023 AMI for this Kubernetes
   * version in release {@link EKS_AL2023_AMI_RELEASE}: `<kubelet version>-<YYYYMMDD>`
   * (`aws ssm get-parameter --name /aws/service/eks/optimized-ami/<v>/amazon-linux-2023/x86_64/standard/recommended/release_version`
   * while the release is the newest, or the release notes at
   * https://github.com/awslabs/amazon-eks-ami/releases).
   */
  readonly al2023ReleaseVersion: string;
}

/**
 * The EKS-optimized Amazon Linux 2023 AMI release (`v<YYYYMMDD>`,
 * https://github.com/awslabs/amazon-eks-ami/releases/tag/v20260827) that AL2023 system node
 * groups run. Karpenter's `EC2NodeClass` alias ({@link KARPENTER_AMI_ALIAS}) must name the same
 * release (`al2023@v20260827`), so system and Karpenter nodes move to a new AMI in the same
 * change; `test/envs/versions.test.ts` fails when they differ.
 */
export const EKS_AL2023_AMI_RELEASE = 'v20260827';

/**
 * Managed node group `release_version` of Bottlerocket system node groups:
 * `<Bottlerocket version>-<build id>`, one value for every `aws-k8s-<v>` variant of a release.
 * Bottlerocket 1.65.0 (released 2026-09-03,
 * https://github.com/bottlerocket-os/bottlerocket/releases/tag/v1.65.0) ships the
 * `aws-k8s-1.34` and `aws-k8s-1.35` variants; the build id is the one in the release's AMI
 * names (`bottlerocket-<variant>-<arch>-v1.65.0-0be31b34`). Check with
 * `aws ec2 describe-images --owners amazon --filters Name=name,Values=bottlerocket-aws-k8s-<v>-x86_64-v1.65.0-*`.
 */
export const BOTTLEROCKET_RELEASE_VERSION = '1.65.0-0be31b34';

/**
 * Kubernetes versions in EKS standard support (verified 2026-11-21) with their pinned add-on
 * versions and AL2023 node AMI release. A cluster may only use a version listed here: the schema
 * rejects anything else. 1.33 left standard support on 2026-07-29 and is not listed; 1.34
 * leaves it on 2026-12-02.
 *
 * Sources: the EKS release calendar,
 * https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html (standard support:
 * 14 months after the EKS release); add-on versions as published for each Kubernetes version
 * (`aws eks describe-addon-versions --addon-name <name> --kubernetes-version <v>`; the EKS user
 * guide pages managing-vpc-cni, managing-coredns, managing-kube-proxy, pod-id-agent-setup,
 * ebs-csi). AL2023 node releases of {@link EKS_AL2023_AMI_RELEASE} (v20260827) as EKS reports
 * them for managed node groups: 1.35.7-20260827 and 1.34.10-20260827. Re-check all of them
 * when bumping (the SSM command at {@link EksVersionSupport.al2023ReleaseVersion}).
 */
export const EKS_VERSIONS = {
  '1.34': {
    endOfStandardSupport: '2026-12-02',
    addons: {
      'vpc-cni': 'v1.21.1-eksbuild.7',
      coredns: 'v1.13.2-eksbuild.4',
      'kube-proxy': 'v1.34.6-eksbuild.2',
      'eks-pod-identity-agent': 'v1.3.10-eksbuild.3',
      'aws-ebs-csi-driver': 'v1.62.0-eksbuild.1',
    },
    al2023ReleaseVersion: '1.34.10-20260827',
  },
  '1.35': {
    endOfStandardSupport: '2027-03-27',
    addons: {
      'vpc-cni': 'v1.21.1-eksbuild.7',
      coredns: 'v1.13.2-eksbuild.4',
      'kube-proxy': 'v1.35.3-eksbuild.2',
      'eks-pod-identity-agent': 'v1.3.10-eksbuild.3',
      'aws-ebs-csi-driver': 'v1.62.0-eksbuild.1',
    },
    al2023ReleaseVersion: '1.35.7-20260827',
  },
} as const satisfies Record<string, EksVersionSupport>;

/** A Kubernetes minor version from {@link EKS_VERSIONS}. */
export type EksVersion = keyof typeof EKS_VERSIONS;

/** The default Kubernetes version of a new cluster: the newest in {@link EKS_VERSIONS}. */
export const DEFAULT_EKS_VERSION: EksVersion = '1.35';

/** AMI families of EKS managed node groups the landing zone supports. */
export type NodeAmiFamily = 'Bottlerocket' | 'AL2023';

/**
 * The pinned managed node group `release_version` for a Kubernetes version and AMI family:
 * {@link EksVersionSupport.al2023ReleaseVersion} for AL2023, {@link BOTTLEROCKET_RELEASE_VERSION}
 * for Bottlerocket. Source of the field:
 * https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateNodegroup.html#AmazonEKS-CreateNodegroup-request-releaseVersion
 * @throws Error if `kubernetesVersion` is not in {@link EKS_VERSIONS}
 */
export function nodeReleaseVersion(kubernetesVersion: string, family: NodeAmiFamily): string {
  const v = (EKS_VERSIONS as Record<string, EksVersionSupport>)[kubernetesVersion];
  if (!v) throw new Error(`Kubernetes ${kubernetesVersion} has no pinned node AMI release`);
  return family === 'AL2023' ? v.al2023ReleaseVersion : BOTTLEROCKET_RELEASE_VERSION;
}

// ---- platform (Helm charts) -------------------------------------------------------------
/**
 * Helm charts of the platform stack. `repository` + `chart` + exact `version`.
 * `manifests` is the local chart in `constructs/platform/charts/manifests` (its `Chart.yaml` version
 * must equal this one; a test checks it).
 */
export const PLATFORM_CHARTS = {
  /** https://gallery.ecr.aws/karpenter/karpenter — v1.14.1 (CRDs in ../shared/reference/karpenter are v1.14.1). */
  karpenter: {
    chart: 'karpenter',
    repository: 'oci://public.ecr.aws/karpenter',
    version: '1.14.1',
  },
  /**
   * Chart 3.5.0 = controller v3.5.0, tag `v3.5.0` of kubernetes-sigs/aws-load-balancer-controller
   * (`helm/aws-load-balancer-controller/Chart.yaml` `version: 3.5.0`; released 2026-08, https://github.com/aws/eks-charts/pull/1354;
   * chart source https://github.com/kubernetes-sigs/aws-load-balancer-controller/tree/main/helm/aws-load-balancer-controller).
   */
  awsLoadBalancerController: {
    chart: 'aws-load-balancer-controller',
    repository: 'https://aws.github.io/eks-charts',
    version: '3.5.0',
  },
  /**
   * Chart 1.21.1 = external-dns v0.21.0: the newest chart release that can be confirmed, tag
   * `external-dns-helm-chart-1.21.1` of https://github.com/kubernetes-sigs/external-dns
   * (`charts/external-dns/Chart.yaml`: `version: 1.21.1`, `appVersion: 0.21.0`; snapshot of
   * 2026-08-22). The 1.22.0 pinned before could not be found in any index or tag. The chart's
   * CHANGELOG `[UNRELEASED]` makes `policy` required in the next release; the add-on already sets
   * it. Chart source https://github.com/kubernetes-sigs/external-dns/tree/master/charts/external-dns.
   */
  externalDns: {
    chart: 'external-dns',
    repository: 'https://kubernetes-sigs.github.io/external-dns',
    version: '1.21.1',
  },
  /**
   * Chart 2.9.0 = External Secrets Operator v2.9.0: the newest release that can be confirmed,
   * tag `helm-chart-2.9.0` of https://github.com/external-secrets/external-secrets ("chore:
   * release helm chart for 2.9.0 (#6808)", 2026-08-08; `deploy/charts/external-secrets/Chart.yaml`
   * `version: "2.9.0"`). The 2.11.0 pinned before has no tag or index entry.
   */
  externalSecrets: {
    chart: 'external-secrets',
    repository: 'https://charts.external-secrets.io',
    version: '2.9.0',
  },
  /** Chart 3.13.1 = metrics-server v0.8.1 (https://github.com/kubernetes-sigs/metrics-server/releases, tag `metrics-server-helm-chart-3.13.1`). */
  metricsServer: {
    chart: 'metrics-server',
    repository: 'https://kubernetes-sigs.github.io/metrics-server',
    version: '3.13.1',
  },
  /**
   * https://github.com/cloudnative-pg/charts — chart 0.29.0 (operator 1.30.0), tag
   * `cloudnative-pg-v0.29.0`, as in ../shared/reference/cloudnative-pg.
   *
   * Blocks the next operator upgrade: native Barman Cloud backups (`spec.backup.barmanObjectStore`,
   * used by `constructs/platform/addons/cnpg-cluster.ts`) are deprecated since 1.26 and removed in
   * **1.31.0** (`docs/src/release_notes/v1.30.md` at tag v1.30.0, #11083). Before moving past 1.30
   * the cluster must switch to the Barman Cloud plugin (cloudnative-pg/plugin-barman-cloud v0.14.0,
   * chart `plugin-barman-cloud`), which needs CloudNativePG ≥ 1.26 and cert-manager with a ready
   * webhook (`web/docs/intro.md` "Requirements"): enable `certManager`, install the plugin chart,
   * create an `ObjectStore` and change the `Cluster` to `spec.plugins`. See docs/platform.md.
   */
  cloudnativePg: {
    chart: 'cloudnative-pg',
    repository: 'https://cloudnative-pg.github.io/charts',
    version: '0.29.0',
  },
  /**
   * https://github.com/prometheus-community/helm-charts — kube-prometheus-stack 88.5.3 (operator
   * v0.93.1), tag `kube-prometheus-stack-88.5.3`. Its CRDs live in the `crds` subchart's `crds/`
   * folder, which Helm never upgrades: the chart's CRD upgrade Job (`crds.upgradeJob`) applies
   * them on every install/upgrade, with the images pinned below ({@link CRD_UPGRADE_IMAGES}).
   */
  kubePrometheusStack: {
    chart: 'kube-prometheus-stack',
    repository: 'https://prometheus-community.github.io/helm-charts',
    version: '88.5.3',
  },
  /** https://github.com/argoproj/argo-helm — argo-cd 10.1.1 (Argo CD v3.4.4). */
  argoCd: {
    chart: 'argo-cd',
    repository: 'https://argoproj.github.io/argo-helm',
    version: '10.1.1',
  },
  /** https://cert-manager.io/docs/releases/ — v1.21.1. */
  certManager: {
    chart: 'cert-manager',
    repository: 'https://charts.jetstack.io',
    version: 'v1.21.1',
  },
  /** Local chart `constructs/platform/charts/manifests` (custom resources as a Helm release). */
  manifests: { chart: 'lz-manifests', version: '1.0.0' },
} as const;

/**
 * AMI alias of Karpenter's `EC2NodeClass`: Amazon Linux 2023, pinned to an EKS AMI release
 * (never `@latest`). Karpenter resolves the alias to the AMI of that release for the
 * cluster's own Kubernetes version (SSM parameter
 * `/aws/service/eks/optimized-ami/<k8s>/amazon-linux-2023/<arch>/standard/amazon-eks-node-al2023-<arch>-standard-<k8s>-v20260827/image_id`).
 *
 * v20260827 publishes Kubernetes 1.35 (`amazon-eks-node-al2023-x86_64-standard-1.35-v20260827`,
 * managed node group release version `1.35.7-20260827`); EKS builds each AMI release for every
 * Kubernetes version in standard support, so 1.34 of {@link EKS_VERSIONS} resolves too.
 * The date is the system node group's release pin ({@link EKS_AL2023_AMI_RELEASE}, cluster
 * section), so Karpenter nodes and system nodes run the same image build.
 *
 * Release list: https://github.com/awslabs/amazon-eks-ami/releases
 * Alias syntax: https://karpenter.sh/docs/concepts/nodeclasses/#specamiselectorterms
 */
export const KARPENTER_AMI_ALIAS = `al2023@${EKS_AL2023_AMI_RELEASE}`;

/**
 * PostgreSQL image of the CloudNativePG `Cluster` (`system` flavour: includes barman-cloud
 * for object-store backups). Tags: https://github.com/cloudnative-pg/postgres-containers
 * (CloudNativePG 1.30's default is 18.4-system-trixie).
 */
export const POSTGRES_IMAGE = 'ghcr.io/cloudnative-pg/postgresql:18.4-system-trixie';

// ---- dagster ----------------------------------------------------------------------------
/**
 * Dagster. The chart and the Dagster images share one version number
 * (https://github.com/dagster-io/dagster/tree/master/helm/dagster#installing-a-specific-chart-version:
 * "The dagster Python package version and Helm chart version have a 1:1 correspondence").
 * 1.12.14 is the newest release listed by the documentation's version picker
 * (https://docs.dagster.io/examples, "Latest (1.12.14)"); the values are checked against the
 * chart schema in ../shared/reference/dagster.
 */
export const DAGSTER_VERSION = '1.12.14';

/** Helm charts of the Dagster add-on. */
export const DAGSTER_CHARTS = {
  /** https://artifacthub.io/packages/helm/dagster/dagster — repository https://dagster-io.github.io/helm. */
  dagster: {
    chart: 'dagster',
    repository: 'https://dagster-io.github.io/helm',
    version: DAGSTER_VERSION,
  },
  /**
   * Celery broker (only with the Celery run launcher): the Valkey project's own chart,
   * repository https://valkey.io/valkey-helm/. 0.11.0 is the newest release that can be
   * confirmed: tag `valkey-0.11.0` of https://github.com/valkey-io/valkey-helm (`valkey/Chart.yaml`
   * `version: 0.11.0`, `appVersion: "9.1.1"`, snapshot of 2026-07-22). The 1.0.0 pinned before has
   * no tag; its values (`auth.usersExistingSecret`, `auth.aclUsers`, `dataStorage.enabled`) are the
   * 0.11.0 ones.
   */
  valkey: { chart: 'valkey', repository: 'https://valkey.io/valkey-helm/', version: '0.11.0' },
} as const;

/** A CPU architecture of a Linux image (`kubernetes.io/arch` values). */
export type ImageArch = 'amd64' | 'arm64';

/** A pinned image and the platforms it is published for. */
export interface PinnedImage {
  readonly repository: string;
  readonly tag: string;
  /** Platforms of the image's manifest (`linux/<arch>`); pods are pinned to these. */
  readonly platforms: readonly `linux/${ImageArch}`[];
}

/**
 * Platforms of Dagster's images up to 1.12.x: linux/amd64 only. Sources:
 * dagster-io/dagster#11841 ("Generate ARM64 compatible Docker images", 2023, still asked for in
 * 2026), #33756 ("there still aren't any ARM64 images available … instead of just the AMD x64
 * architecture as it is now", 2026-04), #34134 (1.13.18: "fails because there are no ARM64
 * images"), and PR #34145 (2026-08-20) which starts multi-platform publishing for later releases
 * ("`dagster/dagster-k8s` is amd64-only"). Re-check with
 * `docker manifest inspect docker.io/dagster/dagster-k8s:<tag>` when bumping.
 */
const DAGSTER_1_12_PLATFORMS = ['linux/amd64'] as const;

/** Container images of the Dagster add-on (tags pinned, never `latest`). */
export const DAGSTER_IMAGES = {
  /** Dagster's example user code (https://hub.docker.com/r/dagster/user-code-example), same version as the chart. */
  userCodeExample: {
    repository: 'docker.io/dagster/user-code-example',
    tag: DAGSTER_VERSION,
    platforms: DAGSTER_1_12_PLATFORMS,
  },
  /**
   * Webserver, daemon and (K8sRunLauncher) run pods of code locations that do not set their own
   * image: the chart's default `dagster/dagster-k8s` at the chart's version.
   */
  k8s: {
    repository: 'docker.io/dagster/dagster-k8s',
    tag: DAGSTER_VERSION,
    platforms: DAGSTER_1_12_PLATFORMS,
  },
  /**
   * Celery workers of the CeleryK8sRunLauncher, and Flower (the image installs
   * `dagster-celery[flower,redis,kubernetes]`:
   * https://github.com/dagster-io/dagster/blob/master/python_modules/automation/automation/docker/images/dagster-celery-k8s/Dockerfile).
   * Same version as the chart.
   */
  celeryK8s: {
    repository: 'docker.io/dagster/dagster-celery-k8s',
    tag: DAGSTER_VERSION,
    platforms: DAGSTER_1_12_PLATFORMS,
  },
} as const satisfies Record<string, PinnedImage>;

/**
 * Images of the kube-prometheus-stack CRD upgrade Job (`crds.upgradeJob.image`): the chart
 * defaults `busybox` to `latest` and `kubectl` to the cluster's version, so both are pinned here.
 * busybox 1.37.0 (https://hub.docker.com/_/busybox); kubectl from registry.k8s.io at the newest
 * Kubernetes minor of {@link EKS_VERSIONS} (kubectl supports one minor of skew either way,
 * https://kubernetes.io/releases/version-skew-policy/#kubectl).
 */
export const CRD_UPGRADE_IMAGES = {
  busybox: { registry: 'docker.io', repository: 'busybox', tag: '1.37.0' },
  kubectl: { registry: 'registry.k8s.io', repository: 'kubectl', tag: 'v1.35.0' },
} as const;

/** The `kubernetes.io/arch` values an image runs on (from its `platforms`). */
export function imageArchitectures(image: PinnedImage): ImageArch[] {
  return image.platforms.map((p) => p.slice('linux/'.length) as ImageArch);
}
