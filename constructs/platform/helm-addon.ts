/**
 * The base class of every Helm-packaged cluster add-on: one pinned `helm_release`, its
 * namespace, values built as typed objects and serialised with the `yaml` library, and
 * `depends_on` the releases of the add-ons it names in `dependsOn`.
 *
 * Helm provider reference: https://registry.terraform.io/providers/hashicorp/helm/3.1.1/docs/resources/release
 */
import { Construct } from 'constructs';
import type { ITerraformDependable } from 'cdktf';
import { Release as HelmRelease } from '@cdktf/provider-helm/lib/release';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import type { ChartRef, ClusterAddOn, PlatformContext } from './addon';
import { toYaml } from './values';

export { HelmRelease };

/**
 * Pod Security Admission level of a namespace the add-on creates.
 * See https://kubernetes.io/docs/concepts/security/pod-security-admission/
 */
export type PodSecurityLevel = 'privileged' | 'baseline' | 'restricted';

/**
 * Name of the Karpenter add-on. Its dependables are the node pools: the system node group is
 * tainted, so every other workload needs Karpenter's capacity first (the default `dependsOn`).
 */
export const KARPENTER_ADDON = 'karpenter';

/** Namespaces that exist on every cluster and are never created by an add-on. */
export const SYSTEM_NAMESPACES: readonly string[] = ['kube-system', 'kube-public', 'default'];

/** Props of {@link HelmAddOn}. */
export interface HelmAddOnProps {
  /** Add-on name (unique within a platform); also the construct id and, by default, the release name. */
  readonly name: string;
  /** The chart, pinned (from `envs/versions.ts`). Throws if `version` is empty, `latest` or a range. */
  readonly chart: ChartRef;
  /** Namespace of the release. */
  readonly namespace: string;
  /** Helm release name (max 53 characters). Default: `name`. */
  readonly releaseName?: string;
  /**
   * Create the namespace as a `kubernetes_namespace_v1` (with Pod Security labels).
   * Default: `true`, except for {@link SYSTEM_NAMESPACES}. Set `false` when another add-on
   * already creates it.
   */
  readonly createNamespace?: boolean;
  /** Pod Security Admission `enforce` level of a created namespace. Default `baseline` (`restricted` is always warned/audited). */
  readonly podSecurity?: PodSecurityLevel;
  /**
   * Names of add-ons whose releases must be installed first. Default: `['karpenter']` (its
   * node pools), because the system nodes are tainted; Karpenter itself passes `[]`.
   */
  readonly dependsOn?: readonly string[];
  /** Helm timeout for install/upgrade, seconds. Default 600. */
  readonly timeoutSeconds?: number;
}

/** Matches version strings that are not pinned (`latest`, ranges, wildcards, empty). */
const UNPINNED = /^$|latest|[~^*xX]|[<>=|]|\s/;

/**
 * A Helm-packaged add-on. Subclasses implement {@link HelmAddOn.values} (and optionally
 * {@link HelmAddOn.afterRelease} for resources that need the release, such as custom
 * resources delivered with a {@link ManifestsRelease}).
 *
 * `build(scope, ctx)` creates, under a child construct of `scope` named after the add-on:
 * the namespace (unless a system namespace or `createNamespace: false`), then the release
 * with `depends_on` = the namespace + `ctx.dependency(d)` for each `dependsOn` add-on.
 * The release is atomic (failed installs roll back), waits for its workloads, and cleans
 * up on failure.
 *
 * @throws Error at construction if the chart version is not pinned.
 */
export abstract class HelmAddOn implements ClusterAddOn {
  /** See {@link HelmAddOnProps.name}. */
  readonly name: string;
  /** See {@link HelmAddOnProps.dependsOn} (default applied). */
  readonly dependsOn: readonly string[];
  /** The pinned chart. */
  readonly chart: ChartRef;
  /** Namespace of the release. */
  readonly namespace: string;
  /** Helm release name. */
  readonly releaseName: string;
  /** Whether `build` creates the namespace. */
  readonly createNamespace: boolean;
  /** Pod Security `enforce` level of a created namespace. */
  readonly podSecurity: PodSecurityLevel;
  /** Helm install/upgrade timeout, seconds. */
  readonly timeoutSeconds: number;

  constructor(props: HelmAddOnProps) {
    if (UNPINNED.test(props.chart.version)) {
      throw new Error(
        `add-on ${props.name}: chart ${props.chart.chart} version "${props.chart.version}" is not pinned`,
      );
    }
    this.name = props.name;
    this.dependsOn = props.dependsOn ?? [KARPENTER_ADDON];
    this.chart = props.chart;
    this.namespace = props.namespace;
    this.releaseName = props.releaseName ?? props.name;
    this.createNamespace = props.createNamespace ?? !SYSTEM_NAMESPACES.includes(props.namespace);
    this.podSecurity = props.podSecurity ?? 'baseline';
    this.timeoutSeconds = props.timeoutSeconds ?? 600;
  }

  /** The chart values, as a typed object (serialised with {@link toYaml}). */
  protected abstract values(ctx: PlatformContext): Record<string, unknown>;

  /**
   * Hook for resources the release needs first (e.g. `ExternalSecret`s whose Secrets the
   * chart mounts). Runs after the namespace is declared; returns extra dependables of the
   * release. Default: none.
   */
  protected beforeRelease(
    _scope: Construct,
    _ctx: PlatformContext,
    _namespace: ITerraformDependable[],
  ): ITerraformDependable[] {
    return [];
  }

  /**
   * Hook for resources that come after the release (custom resources, storage classes).
   * Returns what dependent add-ons wait for; default: the release.
   */
  protected afterRelease(
    _scope: Construct,
    _ctx: PlatformContext,
    release: HelmRelease,
  ): ITerraformDependable {
    return release;
  }

  build(scope: Construct, ctx: PlatformContext): ITerraformDependable {
    const own = new Construct(scope, this.name);
    const deps: ITerraformDependable[] = this.dependsOn.map((d) => ctx.dependency(d));
    if (this.createNamespace) {
      deps.unshift(
        new NamespaceV1(own, 'namespace', {
          metadata: {
            name: this.namespace,
            labels: {
              'app.kubernetes.io/managed-by': 'terraform',
              'pod-security.kubernetes.io/enforce': this.podSecurity,
              'pod-security.kubernetes.io/warn': 'restricted',
              'pod-security.kubernetes.io/audit': 'restricted',
            },
          },
        }),
      );
    }
    deps.push(...this.beforeRelease(own, ctx, this.createNamespace ? [deps[0]] : []));
    const release = new HelmRelease(own, 'release', {
      name: this.releaseName,
      chart: this.chart.chart,
      repository: this.chart.repository,
      version: this.chart.version,
      namespace: this.namespace,
      createNamespace: false,
      values: [toYaml(this.values(ctx))],
      atomic: true,
      cleanupOnFail: true,
      wait: true,
      timeout: this.timeoutSeconds,
      maxHistory: 10,
      dependsOn: deps.length > 0 ? deps : undefined,
    });
    return this.afterRelease(own, ctx, release);
  }
}
