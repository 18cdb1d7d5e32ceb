/**
 * Environment variable precedence for every Dagster component, in one place.
 *
 * The rule: values from config, then ConfigMaps in the order given, then Secrets
 * in the order given; a later source wins. Kubernetes gives that order to the sources of a
 * container's `envFrom` ("When a key exists in multiple sources, the value associated with
 * the last source will take precedence", https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#environment-variables),
 * but a container's `env` list beats every `envFrom` source, so values from config are never
 * put in `env`:
 *
 * - webserver, daemon, code locations: the values go in the chart's map form of `env`,
 *   which the chart writes to the component's own ConfigMap, the first `envFrom` source,
 *   followed by `envConfigMaps` then `envSecrets` in order
 *   (templates `helpers/_deployment-webserver.tpl`, `deployment-daemon.yaml`,
 *   `charts/dagster-user-deployments/templates/deployment-user.yaml`).
 * - launched runs: `dagster-k8s` merges the run launcher's and the code location's
 *   `env_config_maps` / `env_secrets` with `_dedupe_list`, which *sorts them by hash*
 *   (`dagster_k8s/container_context.py`), so their order is lost. The ordered list is
 *   therefore given as `run_k8s_config.container_config.env_from`, which `construct_dagster_k8s_job`
 *   appends after Dagster's own sources (`dagster_k8s/job.py`), so it wins: for the run
 *   launcher through `runK8sConfig.containerConfig.envFrom`, and for runs of a code location
 *   with `includeConfigInLaunchedRuns` through a container context we write ourselves
 *   (`DAGSTER_CLI_API_GRPC_CONTAINER_CONTEXT`, read by `dagster api grpc`) instead of the
 *   chart's, which would also hand the code server's small `resources` to every run.
 *   Run order: run values, location values, run ConfigMaps, location ConfigMaps, run Secrets,
 *   location Secrets (the code location, being more specific, wins within each class).
 */
import type { CodeLocationConfig, DagsterConfig } from '../../envs/schema/dagster';
import { PIPELINE_ENV_CONFIGMAP, userEnvConfigMap } from './names';

/** One `envFrom` source, Kubernetes shape (camelCase). */
export type EnvFromSource = { configMapRef: { name: string } } | { secretRef: { name: string } };

/** The three layers of one component. */
export interface EnvLayers {
  readonly env: Record<string, string>;
  readonly envConfigMaps: readonly string[];
  readonly envSecrets: readonly string[];
}

/** `envFrom` entry of a ConfigMap. */
export const configMapSource = (name: string): EnvFromSource => ({ configMapRef: { name } });
/** `envFrom` entry of a Secret. */
export const secretSource = (name: string): EnvFromSource => ({ secretRef: { name } });

/**
 * The ordered `envFrom` sources of a launched run (later wins).
 * @param run the run launcher's layers (its values live in the chart's `dagster-pipeline-env` ConfigMap)
 * @param location the code location's layers when `includeConfigInLaunchedRuns` (values in `dagster-<name>-user-env`)
 */
export function runEnvFrom(run: EnvLayers, location?: CodeLocationConfig): EnvFromSource[] {
  const loc = location?.includeConfigInLaunchedRuns ? location : undefined;
  return [
    configMapSource(PIPELINE_ENV_CONFIGMAP),
    ...(loc ? [configMapSource(userEnvConfigMap(loc.name))] : []),
    ...run.envConfigMaps.map(configMapSource),
    ...(loc?.envConfigMaps ?? []).map(configMapSource),
    ...run.envSecrets.map(secretSource),
    ...(loc?.envSecrets ?? []).map(secretSource),
  ];
}

/**
 * The ordered sources a chart-rendered component's container reads, as the chart renders
 * them: its own env ConfigMap (holding the config values), then `envConfigMaps`, then
 * `envSecrets`. Used by tests and docs to state the precedence; the chart does the rendering.
 * @param ownConfigMap the component's chart ConfigMap (`dagster-webserver-env`, `dagster-daemon-env`, `dagster-<loc>-user-env`)
 */
export function chartEnvFrom(ownConfigMap: string, layers: EnvLayers): EnvFromSource[] {
  return [
    configMapSource(ownConfigMap),
    ...layers.envConfigMaps.map(configMapSource),
    ...layers.envSecrets.map(secretSource),
  ];
}

/** The run launcher's layers from config. */
export function runLayers(config: DagsterConfig): EnvLayers {
  return config.runLauncher;
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
