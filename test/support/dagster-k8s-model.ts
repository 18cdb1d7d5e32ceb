/**
 * A model of how `dagster-k8s` builds a launched run's `envFrom`, written from the upstream
 * source (dagster-io/dagster, `python_modules/libraries/dagster-k8s/dagster_k8s/`; read from the
 * newest stored versions, not pinned to the 1.12.14 tag — the parts that could differ are noted):
 *
 * `container_context.py`, `K8sContainerContext.create_for_run`: start empty, `.merge(` the run
 * launcher's config `)`, then `.merge(` the code location's container context `)`; `merge` does
 * ```python
 * env_config_maps=_dedupe_list([*self.env_config_maps, *other.env_config_maps]),
 * env_secrets=_dedupe_list([*self.env_secrets, *other.env_secrets]),
 * ```
 * and `_dedupe_list` keeps the first occurrence of each value in order ("for value in values: …
 * if value_hash not in hashes: … new_list.append(value)"). Older releases returned
 * `sorted(list(set([...])), key=hash)` instead: order within a list is then arbitrary
 * ({@link MergeOrder} `'arbitrary'`).
 *
 * `job.py`, `DagsterK8sJobConfig.env_from_sources`:
 * ```python
 * config_maps = [{"config_map_ref": {"name": config_map}} for config_map in self.env_config_maps]
 * secrets = [{"secret_ref": {"name": secret}} for secret in self.env_secrets]
 * return config_maps + secrets
 * ```
 * and `construct_dagster_k8s_job`: `"env_from": [*job_config.env_from_sources, *user_defined_env_from]`
 * (`user_defined_env_from` = `run_k8s_config.container_config.env_from`).
 *
 * Kubernetes then resolves `envFrom` in order, the last source holding a key winning
 * (https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#environment-variables).
 */

/** The env-relevant part of one container-context layer. */
export interface ContextLayer {
  readonly env_config_maps?: readonly string[];
  readonly env_secrets?: readonly string[];
  readonly env_from?: readonly EnvFrom[];
}

export type EnvFrom = { configMapRef: { name: string } } | { secretRef: { name: string } };

/** `'in-order'`: current `_dedupe_list`; `'arbitrary'`: older hash-sorted releases (reversed here). */
export type MergeOrder = 'in-order' | 'arbitrary';

function dedupe(values: readonly string[], order: MergeOrder): string[] {
  const out = [...new Set(values)];
  return order === 'in-order' ? out : out.reverse();
}

/** The run pod's `envFrom`, launcher layer merged before the location layer. */
export function runPodEnvFrom(
  launcher: ContextLayer,
  location: ContextLayer | undefined,
  order: MergeOrder = 'in-order',
): EnvFrom[] {
  const layers = [launcher, ...(location ? [location] : [])];
  const cms = dedupe(
    layers.flatMap((l) => l.env_config_maps ?? []),
    order,
  );
  const secrets = dedupe(
    layers.flatMap((l) => l.env_secrets ?? []),
    order,
  );
  return [
    ...cms.map((name) => ({ configMapRef: { name } })),
    ...secrets.map((name) => ({ secretRef: { name } })),
    ...layers.flatMap((l) => l.env_from ?? []),
  ];
}
