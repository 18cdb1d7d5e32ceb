/**
 * Where Dagster pods run: on nodes of an architecture their image is published for, and (runs)
 * on the Karpenter batch pool, protected from voluntary disruption.
 *
 * Architectures: Dagster's images up to 1.12.x are linux/amd64 only (`envs/versions.ts`,
 * `DAGSTER_IMAGES[*].platforms`), while the node pools allow amd64 and arm64 by default;
 * Karpenter picks the cheapest offering, often Graviton, and an amd64 image there fails with
 * `exec format error`. Each pod gets `nodeSelector: { kubernetes.io/arch: <arch> }` when its
 * image has a single platform (Karpenter then only launches nodes of that architecture for it,
 * https://karpenter.sh/docs/concepts/scheduling/#well-known-labels).
 *
 * Disruption: `karpenter.sh/do-not-disrupt: "true"` on run pods keeps consolidation and drift
 * from draining a node with a running run (Karpenter v1.14 `concepts/disruption.md`: "Nodes with
 * active `karpenter.sh/do-not-disrupt` pods will be excluded from Consolidation, and
 * conditionally excluded from Drift"); the pools' `terminationGracePeriod` still bounds how long
 * such a node can be held.
 */
import type { CodeLocationConfig, DagsterConfig } from '../../envs/schema/dagster';
import { imageArchitectures, type ImageArch, type PinnedImage } from '../../envs/versions';

/** The well-known node label of the CPU architecture. */
export const ARCH_LABEL = 'kubernetes.io/arch';

/** The pod annotation that blocks Karpenter's voluntary disruption of the pod's node. */
export const DO_NOT_DISRUPT = { 'karpenter.sh/do-not-disrupt': 'true' } as const;

/** Architectures of a code location's image (`codeLocations[].image.platforms`). */
export function locationArchitectures(loc: CodeLocationConfig): ImageArch[] {
  return loc.image ? imageArchitectures(loc.image) : ['amd64'];
}

/**
 * `nodeSelector` pinning a pod to the one architecture all of `archs` allow: `{}` when they
 * share both (no constraint needed).
 * @throws Error if the sets share no architecture
 */
export function archSelector(...archs: readonly (readonly ImageArch[])[]): Record<string, string> {
  const common = (['amd64', 'arm64'] as const).filter((a) => archs.every((s) => s.includes(a)));
  if (common.length === 0)
    throw new Error(`no CPU architecture is common to ${JSON.stringify(archs)}`);
  return common.length === 1 ? { [ARCH_LABEL]: common[0] } : {};
}

/** {@link archSelector} of one pinned image. */
export function imageArchSelector(image: PinnedImage): Record<string, string> {
  return archSelector(imageArchitectures(image));
}

/**
 * The architecture selector of run pods at the run launcher level: what every code location's
 * image supports, so a run of any location lands on a node its image runs on. A location that
 * passes its own container context to its runs (`includeConfigInLaunchedRuns`) sets its own.
 * @throws Error if the locations' images share no architecture and some location does not pass
 *   its container context (its runs could not be placed)
 */
export function launcherArchSelector(config: DagsterConfig): Record<string, string> {
  const withoutContext = config.codeLocations.filter((l) => !l.includeConfigInLaunchedRuns);
  const locs = withoutContext.length > 0 ? withoutContext : config.codeLocations;
  try {
    return archSelector(...locs.map(locationArchitectures));
  } catch {
    if (withoutContext.length === 0) return {};
    throw new Error(
      `dagster.codeLocations: the images of ${withoutContext.map((l) => l.name).join(', ')} share no CPU architecture; runs of a location without includeConfigInLaunchedRuns use the launcher's placement`,
    );
  }
}
