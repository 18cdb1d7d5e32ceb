/**
 * Fixed names of the Dagster add-on: namespace, release, service accounts, and the labels
 * the `dagster` chart and `dagster-k8s` put on pods (what NetworkPolicies and alerts select).
 *
 * Chart labels: https://github.com/dagster-io/dagster/tree/master/helm/dagster/templates
 * (`component: dagster-webserver`, `dagster-daemon`, `user-deployments`, `celery`, `flower`);
 * run and step pods: `dagster_k8s` (`app.kubernetes.io/component: run_worker | step_worker`,
 * https://github.com/dagster-io/dagster/blob/master/python_modules/libraries/dagster-k8s/dagster_k8s/launcher.py).
 */

/** Namespace of the release and of every run Job. */
export const DAGSTER_NAMESPACE = 'dagster';
/** Helm release name; the chart's `fullname` is then `dagster`. */
export const DAGSTER_RELEASE = 'dagster';
/** Service account of the webserver, daemon, Celery workers and launched runs (Pod Identity, run RBAC). */
export const DAGSTER_SERVICE_ACCOUNT = 'dagster';
/** Service account of the code location servers: no Kubernetes rights, no AWS role. */
export const USER_CODE_SERVICE_ACCOUNT = 'dagster-user-code';
/** Kubernetes Secret with the Postgres password (key `postgresql-password`, the chart's shape). */
export const POSTGRES_SECRET = 'dagster-postgresql-secret';
/** Key of the password in {@link POSTGRES_SECRET} (fixed by the chart). */
export const POSTGRES_SECRET_KEY = 'postgresql-password';
/** Kubernetes Secret with the OIDC client (`clientID`, `clientSecret`) the ALB reads. */
export const OIDC_SECRET = 'dagster-oidc-client';
/** ConfigMap the chart renders from `pipelineRun.env` (+ shared env) for launched runs. */
export const PIPELINE_ENV_CONFIGMAP = `${DAGSTER_RELEASE}-pipeline-env`;
/** Name of the Valkey release (Celery broker) and its Service. */
export const VALKEY_RELEASE = 'dagster-valkey';
/** Valkey port. */
export const VALKEY_PORT = 6379;
/**
 * Kubernetes Secret with the Valkey `default` user's password under key `default` (the
 * Valkey chart's `auth.usersExistingSecret`, whose key defaults to the user name).
 */
export const VALKEY_AUTH_SECRET = 'dagster-valkey-auth';
/** ACL user Celery authenticates as (the chart's `default` user, which must be defined when auth is on). */
export const VALKEY_USER = 'default';
/** Secrets Manager name of the generated Valkey password, below the cluster prefix (`<prefix>/<cluster>/`). */
export const VALKEY_PASSWORD_SECRET_NAME = 'dagster/valkey';
/**
 * Kubernetes Secret with `DAGSTER_CELERY_BROKER_URL` and `DAGSTER_CELERY_BACKEND_URL` (the
 * chart's `global.celeryConfigSecretName`, default name kept), written by External Secrets.
 */
export const CELERY_CONFIG_SECRET = 'dagster-celery-config-secret';
/** Deployment and Service of Flower (Celery monitoring, cluster-internal). */
export const FLOWER_NAME = 'dagster-flower';
/** Flower's HTTP port. */
export const FLOWER_PORT = 5555;
/** Deployment of the daemon (`<fullname>-daemon`). */
export const DAEMON_DEPLOYMENT = `${DAGSTER_RELEASE}-daemon`;
/** Container port of the webserver (chart default `dagsterWebserver.service.port`). */
export const WEBSERVER_PORT = 80;
/** Name prefix of run Jobs created by the K8sRunLauncher (`dagster-run-<run id>`). */
export const RUN_JOB_PREFIX = 'dagster-run-';

/** `component` label values of the chart's pods. */
export const COMPONENT = {
  webserver: 'dagster-webserver',
  webserverReadOnly: 'dagster-webserver-read-only',
  daemon: 'dagster-daemon',
  userCode: 'user-deployments',
  celery: 'celery',
  flower: 'flower',
} as const;

/** `app.kubernetes.io/component` values of the pods `dagster-k8s` launches. */
export const RUN_COMPONENTS = ['run_worker', 'step_worker'] as const;

/** ConfigMap the chart renders from a code location's `env` map (`<fullname>-<name>-user-env`). */
export function userEnvConfigMap(location: string): string {
  return `${DAGSTER_RELEASE}-${location}-user-env`;
}

/** Deployment of a code location (`<release>-dagster-user-deployments-<name>`, the subchart's fullname). */
export function codeLocationDeployment(location: string): string {
  return `${DAGSTER_RELEASE}-dagster-user-deployments-${location}`;
}
