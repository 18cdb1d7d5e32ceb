/**
 * Environment variable precedence for every Dagster component, in one place.
 *
 * The rule for the user: values from config, then ConfigMaps in the order given, then Secrets
 * in the order given; a later source wins. Kubernetes gives that order to a container's
 * `envFrom` ("When a key exists in multiple sources, the value associated with the last source
 * will take precedence",
 * https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#environment-variables),
 * and a container's `env` list beats every `envFrom` source, so values from config never go
 * in `env`.
 *
 * - webserver, daemon, code servers: the values go in the chart's map form of `env`, which the
 *   chart writes to the component's own ConfigMap, the first `envFrom` source, followed by
 *   `envConfigMaps` then `envSecrets` in order (`helpers/_deployment-webserver.tpl`,
 *   `deployment-daemon.yaml`, `charts/dagster-user-deployments/templates/deployment-user.yaml`).
 * - launched runs: Secrets win **by construction**. Everything is handed to Dagster as
 *   `env_config_maps` and `env_secrets` only (the plain values in ConfigMaps the project
 *   creates: {@link RUN_ENV_CONFIGMAP} and `dagster-<location>-run-env`). `dagster-k8s` merges
 *   the run launcher's container context first, then the code location's
 *   (`K8sContainerContext.create_for_run`, `dagster_k8s/container_context.py`), concatenating
 *   each list in that order, and `construct_dagster_k8s_job` (`dagster_k8s/job.py`) renders
 *   `env_from` as all ConfigMaps, then all Secrets. So for a run:
 *   run values < run ConfigMaps < location values < location ConfigMaps < run Secrets <
 *   location Secrets. (Older `dagster-k8s` releases sorted the merged lists by hash
 *   instead of keeping their order; Secrets still come after every ConfigMap there, only the
 *   order within one class is then not guaranteed.)
 */
import type { CodeLocationConfig, DagsterConfig } from '../../envs/schema/dagster';
import { DAGSTER_NAMESPACE, RUN_ENV_CONFIGMAP, locationRunEnvConfigMap } from './names';

/** One `envFrom` source, Kubernetes shape (camelCase). */
export type EnvFromSource = { configMapRef: { name: string } } | { secretRef: { name: string } };

/** The three layers of one component. */
export interface EnvLayers {
  readonly env: Record<string, string>;
  readonly envConfigMaps: readonly string[];
  readonly envSecrets: readonly string[];
}

/** The env sources of one container-context layer, as Dagster takes them. */
export interface RunEnvSources {
  /** `env_config_maps`, in order. */
  readonly configMaps: string[];
  /** `env_secrets`, in order. */
  readonly secrets: string[];
}

/** `envFrom` entry of a ConfigMap. */
export const configMapSource = (name: string): EnvFromSource => ({ configMapRef: { name } });
/** `envFrom` entry of a Secret. */
export const secretSource = (name: string): EnvFromSource => ({ secretRef: { name } });

/** The run launcher's sources: its values' ConfigMap first, then its ConfigMaps; its Secrets. */
export function launcherRunEnv(config: DagsterConfig): RunEnvSources {
  return {
    configMaps: [RUN_ENV_CONFIGMAP, ...config.runLauncher.envConfigMaps],
    secrets: [...config.runLauncher.envSecrets],
  };
}

/**
 * A code location's sources for its runs (`includeConfigInLaunchedRuns`): its values'
 * ConfigMap `dagster-<name>-run-env`, then its ConfigMaps; its Secrets.
 */
export function locationRunEnv(loc: CodeLocationConfig): RunEnvSources {
  return {
    configMaps: [locationRunEnvConfigMap(loc.name), ...loc.envConfigMaps],
    secrets: [...loc.envSecrets],
  };
}

/**
 * The ConfigMaps (v1) the project creates with the plain values of launched runs: one for the
 * run launcher ({@link RUN_ENV_CONFIGMAP}, always, possibly empty) and one per code location
 * that passes its config to its runs. Delivered with the `dagster-prereqs` release, before the
 * `dagster` release.
 */
export function runEnvConfigMaps(config: DagsterConfig): Record<string, unknown>[] {
  const cm = (name: string, data: Record<string, string>) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name,
      namespace: DAGSTER_NAMESPACE,
      labels: { 'app.kubernetes.io/part-of': 'dagster' },
    },
    data: { ...data },
  });
  return [
    cm(RUN_ENV_CONFIGMAP, config.runLauncher.env),
    ...config.codeLocations
      .filter((l) => l.includeConfigInLaunchedRuns)
      .map((l) => cm(locationRunEnvConfigMap(l.name), l.env)),
  ];
}

/**
 * The ordered sources a chart-rendered component's container reads, as the chart renders
 * them: its own env ConfigMap (holding the config values), then `envConfigMaps`, then
 * `envSecrets`. Used by tests and docs to state the precedence; the chart does the rendering.
 * @param ownConfigMap the component's chart ConfigMap (`dagster-webserver-env`, `dagster-daemon-env`, `…-<loc>-user-env`)
 */
export function chartEnvFrom(ownConfigMap: string, layers: EnvLayers): EnvFromSource[] {
  return [
    configMapSource(ownConfigMap),
    ...layers.envConfigMaps.map(configMapSource),
    ...layers.envSecrets.map(secretSource),
  ];
}

/**
 * Resolves the value each variable ends up with, given ordered sources and their contents
 * (Kubernetes semantics: the last source holding a key wins). For tests and documentation.
 * @param sources ordered `envFrom` sources
 * @param contents data of each source, keyed `configmap/<name>` or `secret/<name>`
 */
export function resolveEnv(
  sources: readonly EnvFromSource[],
  contents: Record<string, Record<string, string>>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of sources) {
    const key =
      'configMapRef' in s ? `configmap/${s.configMapRef.name}` : `secret/${s.secretRef.name}`;
    Object.assign(out, contents[key] ?? {});
  }
  return out;
}
