/**
 * The cluster add-on framework: every add-on of a platform stack is one class behind the
 * {@link ClusterAddOn} interface (in the style of cdk-eks-blueprints); a cluster's platform
 * is the list of add-ons its configuration enables.
 */
import type { Construct } from 'constructs';
import type { ClusterOutputs } from '../../stacks/contracts';

/** A Helm chart, pinned. Versions come from `constructs/versions.ts`. */
export interface ChartRef {
  /** Chart name, or a local path for charts kept in this repository. */
  readonly chart: string;
  /** Repository URL (`https://…` or `oci://…`); omitted for local charts. */
  readonly repository?: string;
  /** Exact chart version; never `latest` or a range. */
  readonly version: string;
}

/** What the platform stack gives every add-on when it builds. */
export interface PlatformContext {
  /** Key of the cluster in the environment (`main-01`). */
  readonly clusterKey: string;
  /** AWS region of the cluster. */
  readonly region: string;
  /** The cluster stack's outputs (tokens → cross-stack references). */
  readonly cluster: ClusterOutputs;
  /**
   * Returns the construct (usually a `helm_release`) of an add-on built earlier, so a
   * dependent add-on can `dependsOn` it; throws if that add-on is not enabled.
   */
  dependency(addOnName: string): import('cdktf').ITerraformDependable;
}

/**
 * One cluster add-on. `build` creates its resources (Helm release, Kubernetes resources,
 * custom resources) inside `scope` and returns the construct later add-ons depend on.
 */
export interface ClusterAddOn {
  /** Unique add-on name (`karpenter`, `aws-load-balancer-controller`, `dagster`…). */
  readonly name: string;
  /** Names of add-ons that must be installed first (their releases become `depends_on`). */
  readonly dependsOn: readonly string[];
  /** Builds the add-on; returns what dependents wait for. */
  build(scope: Construct, ctx: PlatformContext): import('cdktf').ITerraformDependable;
}
