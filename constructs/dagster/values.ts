/**
 * Helm values of the `dagster` chart (https://github.com/dagster-io/dagster/tree/master/helm/dagster,
 * schema `helm/dagster/values.schema.json`), built from the validated config. Pure: no
 * constructs, so it is unit-tested and validated against the upstream schema directly.
 */
import type { CodeLocationConfig, DagsterConfig, ResourcesConfig } from '../../envs/schema/dagster';
import { DAGSTER_IMAGES } from '../../envs/versions';
import { DAGSTER_COMPUTE_LOG_PREFIX } from '../eks/addon-identities';
import { CELERY_DB } from './external-secrets';
import { launcherRunEnv, locationRunEnv } from './env';
import {
  DO_NOT_DISRUPT,
  archSelector,
  imageArchSelector,
  launcherArchSelector,
  locationArchitectures,
} from './placement';
import {
  CELERY_CONFIG_SECRET,
  COMPONENT,
  DAGSTER_NAMESPACE,
  DAGSTER_SERVICE_ACCOUNT,
  POSTGRES_SECRET,
  USER_CODE_SERVICE_ACCOUNT,
  VALKEY_PORT,
  VALKEY_RELEASE,
  WEBSERVER_NAME_OVERRIDE,
  WEBSERVER_PORT,
} from './names';

/** A Kubernetes toleration. */
export interface Toleration {
  readonly key: string;
  readonly operator: 'Equal' | 'Exists';
  readonly value?: string;
  readonly effect: 'NoSchedule' | 'NoExecute' | 'PreferNoSchedule';
}

/** Everything besides the config that the values need (facts from the cluster and platform). */
export interface DagsterValuesInputs {
  /** AWS region (S3 compute logs). */
  readonly region: string;
  /** Full host of the UI (`dagster.<cluster zone>`); may be a token. */
  readonly host: string;
  /** Full host of the read-only UI, used when `webserver.readOnly`. */
  readonly readOnlyHost: string;
  /** ACM certificate ARN for the ALB listener. */
  readonly certificateArn: string;
  /** `IngressClass` of the AWS Load Balancer Controller (`alb`). */
  readonly ingressClassName: string;
  /** S3 bucket for compute logs. */
  readonly computeLogBucket: string;
  /** The CloudNativePG service Dagster connects to. */
  readonly postgres: {
    readonly host: string;
    readonly port: number;
    readonly database: string;
    readonly username: string;
  };
  /** Where runs go: the Karpenter batch pool (node selector and tolerations). Omitted: default scheduling. */
  readonly batchNodePool?: {
    readonly nodeSelector: Record<string, string>;
    readonly tolerations: readonly Toleration[];
  };
}

/** `DAGSTER_CLI_API_GRPC_CONTAINER_CONTEXT`: the env var `dagster api grpc` reads its `--container-context` from. */
export const CONTAINER_CONTEXT_ENV = 'DAGSTER_CLI_API_GRPC_CONTAINER_CONTEXT';

/** Kubernetes resources from config. */
function k8sResources(r: ResourcesConfig): Record<string, unknown> {
  return {
    requests: { cpu: r.requests.cpu, memory: r.requests.memory },
    limits: { memory: r.limits.memory, ...(r.limits.cpu ? { cpu: r.limits.cpu } : {}) },
  };
}

/**
 * Restricted-profile container security context (Pod Security Standards). A function, so each
 * component gets its own object (no YAML anchors/aliases in the rendered values).
 */
const containerSecurity = () => ({
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
});

/**
 * The container context of a code location's runs (`includeConfigInLaunchedRuns`), as the
 * JSON `dagster api grpc --container-context` takes
 * (https://docs.dagster.io/deployment/oss/deployment-options/kubernetes/customizing-your-deployment).
 * Dagster merges it after the run launcher's (`K8sContainerContext.create_for_run`): its
 * `env_config_maps` / `env_secrets` are appended to the launcher's (see `env.ts`), and its
 * `run_k8s_config` gives the run pod the location image's architecture, the batch pool, the
 * do-not-disrupt annotation and the Job TTL. No `resources`: the launcher's run resources apply
 * (a scalar from this layer would replace them).
 */
export function codeLocationContainerContext(
  config: DagsterConfig,
  location: CodeLocationConfig,
  inputs: DagsterValuesInputs,
): Record<string, unknown> {
  const env = locationRunEnv(location);
  return {
    k8s: {
      namespace: DAGSTER_NAMESPACE,
      service_account_name: DAGSTER_SERVICE_ACCOUNT,
      env_config_maps: env.configMaps,
      env_secrets: env.secrets,
      labels: { 'dagster.io/code-location': location.name },
      run_k8s_config: {
        pod_spec_config: {
          node_selector: {
            ...(inputs.batchNodePool?.nodeSelector ?? {}),
            ...archSelector(locationArchitectures(location)),
          },
          ...(inputs.batchNodePool ? { tolerations: inputs.batchNodePool.tolerations } : {}),
        },
        pod_template_spec_metadata: { annotations: { ...DO_NOT_DISRUPT } },
        job_spec_config: { ttl_seconds_after_finished: config.jobTtlSeconds },
      },
    },
  };
}

/** One entry of `dagster-user-deployments.deployments`. */
function userDeployment(
  config: DagsterConfig,
  loc: CodeLocationConfig,
  inputs: DagsterValuesInputs,
): Record<string, unknown> {
  if (!loc.image) throw new Error(`dagster code location ${loc.name}: image is required`);
  const args = loc.module
    ? ['--module-name', loc.module]
    : ['--python-file', loc.pythonFile as string];
  const env: Record<string, string> = { ...loc.env };
  if (loc.includeConfigInLaunchedRuns) {
    env[CONTAINER_CONTEXT_ENV] = JSON.stringify(codeLocationContainerContext(config, loc, inputs));
  }
  return {
    name: loc.name,
    image: { repository: loc.image.repository, tag: loc.image.tag, pullPolicy: 'IfNotPresent' },
    dagsterApiGrpcArgs: args,
    port: loc.port,
    replicaCount: loc.replicas,
    // The chart's own container context is off: ours (in `env`) keeps env order and does not
    // hand the code server's resources to runs. See env.ts.
    includeConfigInLaunchedRuns: { enabled: false },
    // Map form: written to the chart's `dagster-<name>-user-env` ConfigMap, the first envFrom source.
    env,
    envConfigMaps: loc.envConfigMaps.map((name) => ({ name })),
    envSecrets: loc.envSecrets.map((name) => ({ name })),
    serviceAccount: { name: USER_CODE_SERVICE_ACCOUNT },
    // The code server runs the location's image: only on architectures it is published for.
    nodeSelector: archSelector(locationArchitectures(loc)),
    resources: k8sResources(loc.resources),
    securityContext: containerSecurity(),
    labels: { 'dagster.io/code-location': loc.name },
  };
}

/**
 * The chart values.
 * @throws Error if a code location has no image (the schema already rejects it).
 */
export function dagsterValues(
  config: DagsterConfig,
  inputs: DagsterValuesInputs,
): Record<string, unknown> {
  const celery = config.runLauncher.type === 'celery';
  const pool = inputs.batchNodePool;
  const runPodSpec = {
    nodeSelector: { ...(pool?.nodeSelector ?? {}), ...launcherArchSelector(config) },
    ...(pool ? { tolerations: pool.tolerations } : {}),
  };
  const runEnv = launcherRunEnv(config);
  // Webserver, daemon and Celery workers run the chart's dagster-celery-k8s image (values.yaml
  // `dagsterWebserver.image`, `dagsterDaemon.image`, `celeryK8sRunLauncher.image`), pinned here.
  const dagsterImage = {
    repository: DAGSTER_IMAGES.celeryK8s.repository,
    tag: DAGSTER_IMAGES.celeryK8s.tag,
    pullPolicy: 'IfNotPresent',
  };
  const dagsterArch = imageArchSelector(DAGSTER_IMAGES.celeryK8s);

  const k8sRunLauncher = {
    imagePullPolicy: 'IfNotPresent',
    loadInclusterConfig: true,
    // Plain values in the project's ConfigMap, first; every Secret after every ConfigMap (env.ts).
    envConfigMaps: runEnv.configMaps.map((name) => ({ name })),
    envSecrets: runEnv.secrets.map((name) => ({ name })),
    envVars: [],
    volumes: [],
    volumeMounts: [],
    labels: { 'dagster.io/role': 'run' },
    resources: k8sResources(config.runLauncher.resources),
    securityContext: containerSecurity(),
    // A failed run fails its pod, so the Job is Failed and kube-state-metrics sees it.
    failPodOnRunFailure: true,
    runK8sConfig: {
      podSpecConfig: runPodSpec,
      // Consolidation and drift leave a node with a running run alone (placement.ts).
      podTemplateSpecMetadata: { annotations: { ...DO_NOT_DISRUPT } },
      jobSpecConfig: { ttlSecondsAfterFinished: config.jobTtlSeconds },
    },
  };

  // The Celery launcher's `resources`, `nodeSelector`, … configure the Celery worker
  // Deployments (`deployment-celery-queues.yaml`), not run or step pods: those read placement
  // only from the job's `dagster-k8s/config` tag (`dagster_celery_k8s/launcher.py`), and get
  // default requests and limits from the namespace's LimitRange (rbac.ts).
  const celeryK8sRunLauncher = {
    image: dagsterImage,
    imagePullPolicy: 'IfNotPresent',
    workerQueues: config.runLauncher.celery.workerQueues.map((q) => ({
      name: q.name,
      replicaCount: q.replicas,
    })),
    env: {},
    envConfigMaps: runEnv.configMaps.map((name) => ({ name })),
    envSecrets: runEnv.secrets.map((name) => ({ name })),
    nodeSelector: { ...dagsterArch },
    resources: k8sResources(config.runLauncher.resources),
    securityContext: containerSecurity(),
    failPodOnRunFailure: true,
  };

  return {
    global: {
      postgresqlSecretName: POSTGRES_SECRET,
      serviceAccountName: '',
      celeryConfigSecretName: CELERY_CONFIG_SECRET,
    },
    // Our own service accounts and Role (constructs/dagster/rbac.ts): least privilege.
    rbacEnabled: false,
    serviceAccount: { create: false, name: DAGSTER_SERVICE_ACCOUNT, annotations: {} },
    telemetry: { enabled: false },
    // The password Secret comes from External Secrets, never from values.
    generatePostgresqlPasswordSecret: false,
    // The Celery broker/backend URLs carry the Valkey password: External Secrets writes that
    // Secret (external-secrets.ts), so the chart must not render one from values.
    generateCeleryConfigSecret: false,
    postgresql: {
      enabled: false,
      postgresqlHost: inputs.postgres.host,
      postgresqlUsername: inputs.postgres.username,
      postgresqlPassword: '',
      postgresqlDatabase: inputs.postgres.database,
      postgresqlParams: { sslmode: 'require' },
      service: { port: inputs.postgres.port },
    },
    dagsterWebserver: {
      image: { ...dagsterImage },
      nodeSelector: { ...dagsterArch },
      // The chart's default, pinned: the Services are `<release>-dagster-webserver[-read-only]`
      // (names.ts, `webserverService`).
      nameOverride: WEBSERVER_NAME_OVERRIDE,
      replicaCount: config.webserver.replicas,
      enableReadOnly: config.webserver.readOnly,
      // Map form → the chart's webserver-env ConfigMap, first envFrom source (see env.ts).
      env: { ...config.webserver.env },
      envConfigMaps: config.webserver.envConfigMaps.map((name) => ({ name })),
      envSecrets: config.webserver.envSecrets.map((name) => ({ name })),
      resources: k8sResources(config.webserver.resources),
      securityContext: containerSecurity(),
      service: { type: 'ClusterIP', port: WEBSERVER_PORT, annotations: {} },
    },
    dagsterDaemon: {
      enabled: true,
      image: { ...dagsterImage },
      nodeSelector: { ...dagsterArch },
      runCoordinator: {
        enabled: true,
        type: 'QueuedRunCoordinator',
        config: { queuedRunCoordinator: { maxConcurrentRuns: config.daemon.maxConcurrentRuns } },
      },
      runMonitoring: {
        enabled: config.daemon.runMonitoring.enabled,
        startTimeoutSeconds: config.daemon.runMonitoring.startTimeoutSeconds,
        pollIntervalSeconds: config.daemon.runMonitoring.pollIntervalSeconds,
        maxResumeRunAttempts: celery ? 0 : config.daemon.runMonitoring.maxResumeRunAttempts,
      },
      runRetries: {
        enabled: config.daemon.runRetries.enabled,
        maxRetries: config.daemon.runRetries.maxRetries,
      },
      env: { ...config.daemon.env },
      envConfigMaps: config.daemon.envConfigMaps.map((name) => ({ name })),
      envSecrets: config.daemon.envSecrets.map((name) => ({ name })),
      resources: k8sResources(config.daemon.resources),
      securityContext: containerSecurity(),
    },
    'dagster-user-deployments': {
      enabled: true,
      enableSubchart: true,
      rbacEnabled: false,
      serviceAccount: { create: false, name: USER_CODE_SERVICE_ACCOUNT, annotations: {} },
      deployments: config.codeLocations.map((loc) => userDeployment(config, loc, inputs)),
    },
    computeLogManager: {
      type: 'S3ComputeLogManager',
      config: {
        s3ComputeLogManager: {
          bucket: inputs.computeLogBucket,
          prefix: DAGSTER_COMPUTE_LOG_PREFIX,
          region: inputs.region,
        },
      },
    },
    runLauncher: celery
      ? { type: 'CeleryK8sRunLauncher', config: { celeryK8sRunLauncher: celeryK8sRunLauncher } }
      : { type: 'K8sRunLauncher', config: { k8sRunLauncher } },
    rabbitmq: { enabled: false },
    // Describes the broker for the chart; the chart would only use these fields to render its
    // own celery config Secret and Flower, both off here: the URLs with the password come from
    // the External Secrets-managed Secret, and Flower is ours (flower.ts). No password in values.
    redis: celery
      ? {
          enabled: true,
          internal: false,
          usePassword: false,
          host: `${VALKEY_RELEASE}.${DAGSTER_NAMESPACE}.svc.cluster.local`,
          port: VALKEY_PORT,
          brokerDbNumber: CELERY_DB.broker,
          backendDbNumber: CELERY_DB.backend,
        }
      : { enabled: false },
    flower: { enabled: false },
    // The UI's Ingresses are the project's (ingress.ts): one per host, each its own ALB and
    // authentication, in the load balancer subnets the webserver NetworkPolicy admits.
    ingress: { enabled: false },
  };
}

/** Pod labels of the webserver(s), for NetworkPolicies. */
export const WEBSERVER_COMPONENTS = [COMPONENT.webserver, COMPONENT.webserverReadOnly];
