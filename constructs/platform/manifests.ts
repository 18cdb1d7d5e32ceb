/**
 * Custom resources (Karpenter `NodePool`/`EC2NodeClass`, CloudNativePG `Cluster`, External
 * Secrets `ClusterSecretStore`/`ExternalSecret`, `PrometheusRule`, …) delivered as a Helm
 * release of a small chart kept in this repository (`constructs/platform/charts/manifests`).
 *
 * Why not `kubernetes_manifest`: that resource reads the CRD's OpenAPI schema at *plan*
 * time, so on a fresh cluster (the operator that installs the CRD is created in the same
 * apply) the plan fails. A `helm_release` only talks to the API server at *apply* time, and
 * its `depends_on` on the operator's release (which installs the CRDs and waits for the
 * webhooks to be ready) orders it after them. See docs/platform.md.
 *
 * The chart directory is copied into the synthesized stack as a cdktf `TerraformAsset`
 * (`cdktf.out/stacks/<stack>/assets/…`), so Terraform Cloud CLI-driven runs, which upload
 * the stack folder, find it; the release's `chart` is that relative path.
 */
import { Construct } from 'constructs';
import { AssetType, TerraformAsset, TerraformStack, type ITerraformDependable } from 'cdktf';
import { Release as HelmRelease } from '@cdktf/provider-helm/lib/release';
import { PLATFORM_CHARTS } from '../../envs/versions';
import { sourcePath } from '../../envs/paths';
import { toYaml } from './values';

/** Folder of the local chart in this repository. */
export const MANIFESTS_CHART_DIR = sourcePath('constructs', 'platform', 'charts', 'manifests');

/** One asset of the chart per stack, shared by every {@link ManifestsRelease} in it. */
const chartAssets = new WeakMap<TerraformStack, TerraformAsset>();

/**
 * The chart asset of `scope`'s stack (created once per stack, id `lz-manifests-chart`).
 * @returns the asset; `asset.path` is the chart path relative to the stack folder
 */
export function manifestsChartAsset(scope: Construct): TerraformAsset {
  const stack = TerraformStack.of(scope);
  let asset = chartAssets.get(stack);
  if (!asset) {
    asset = new TerraformAsset(stack, 'lz-manifests-chart', {
      path: MANIFESTS_CHART_DIR,
      type: AssetType.DIRECTORY,
    });
    chartAssets.set(stack, asset);
  }
  return asset;
}

/** Props of {@link ManifestsRelease}. */
export interface ManifestsReleaseProps {
  /** Helm release name (max 53 characters, DNS label), e.g. `karpenter-node-pools`. */
  readonly name: string;
  /** Release namespace; also the namespace of namespaced objects that set none. Must exist. */
  readonly namespace: string;
  /** Complete Kubernetes objects (`apiVersion`, `kind`, `metadata`, …); throws if empty or an object lacks these. */
  readonly manifests: Record<string, unknown>[];
  /** What must exist first, typically the operator's release that installs the CRDs. */
  readonly dependsOn?: ITerraformDependable[];
  /**
   * The objects hold state (a database, a volume): the release gets `prevent_destroy`, so a
   * destroy or a rename cannot uninstall them. Default false.
   */
  readonly stateful?: boolean;
  /** Wait until the release's Jobs have completed (helm_release `wait_for_jobs`). Default false. */
  readonly waitForJobs?: boolean;
}

/**
 * A `helm_release` of the local `lz-manifests` chart rendering `manifests` verbatim.
 * Atomic, waits, and `depends_on` the given dependables.
 *
 * @throws Error if `manifests` is empty or an entry has no `apiVersion`, `kind` or `metadata.name`.
 */
export class ManifestsRelease extends Construct {
  /** The Helm release (depend on it to wait for the objects). */
  readonly release: HelmRelease;
  /** The objects given, for tests and conformance checks. */
  readonly manifests: readonly Record<string, unknown>[];

  constructor(scope: Construct, id: string, props: ManifestsReleaseProps) {
    super(scope, id);
    if (props.manifests.length === 0)
      throw new Error(`ManifestsRelease ${props.name}: no manifests`);
    props.manifests.forEach((m, i) => {
      const meta = m.metadata as { name?: unknown } | undefined;
      if (
        typeof m.apiVersion !== 'string' ||
        typeof m.kind !== 'string' ||
        typeof meta?.name !== 'string'
      ) {
        throw new Error(
          `ManifestsRelease ${props.name}: manifests[${i}] needs apiVersion, kind and metadata.name`,
        );
      }
    });
    this.manifests = props.manifests;
    const asset = manifestsChartAsset(this);
    this.release = new HelmRelease(this, 'release', {
      name: props.name,
      chart: `./${asset.path}`,
      version: PLATFORM_CHARTS.manifests.version,
      namespace: props.namespace,
      createNamespace: false,
      values: [toYaml({ manifests: props.manifests })],
      atomic: true,
      cleanupOnFail: true,
      wait: true,
      waitForJobs: props.waitForJobs,
      timeout: 300,
      maxHistory: 10,
      dependsOn: props.dependsOn && props.dependsOn.length > 0 ? props.dependsOn : undefined,
      lifecycle: props.stateful ? { preventDestroy: true } : undefined,
    });
  }
}
