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
/** Helm release name; the chart's `fullname` is then `dagster` ({@link chartFullname}). */
export const DAGSTER_RELEASE = 'dagster';

/**
 * The Dagster charts' `dagster.fullname` helper, the one rule every chart-generated name of
 * this add-on is derived from. Both `helm/dagster/templates/helpers/_helpers.tpl` and
 * `helm/dagster/charts/dagster-user-deployments/templates/helpers/_helpers.tpl` define it as:
 *
 * ```
 * {{- if $fullnameOverride -}} {{- $fullnameOverride | trunc 63 | trimSuffix "-" -}}
 * {{- else -}}
 * {{- $name := default .Chart.Name $nameOverride -}}
 * {{- if contains $name .Release.Name -}} {{- .Release.Name | trunc 63 | trimSuffix "-" -}}
 * {{- else -}} {{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
 * ```
 *
 * (sprig `contains substr str`: the release name contains the chart name). Both charts define
 * the same template name, and in a combined install Helm executes one definition for both
 * (`pkg/engine/engine.go` parses the deepest templates first); with **no** overrides the two
 * definitions give the same result, which is why this add-on sets neither
 * `global.fullnameOverride` nor `nameOverride` (a test checks it).
 *
 * @param release Helm release name
 * @param chart the chart's `.Chart.Name` (`dagster`, `dagster-user-deployments`)
 * @param overrides `fullnameOverride` / `nameOverride`, when set
 * @returns the fullname, at most 63 characters, without a trailing `-`
 */
export function chartFullname(
  release: string,
  chart: string,
  overrides: { fullnameOverride?: string; nameOverride?: string } = {},
): string {
  const trunc = (s: string) => s.slice(0, 63).replace(/-+$/, '');
  if (overrides.fullnameOverride) return trunc(overrides.fullnameOverride);
  const name = overrides.nameOverride || chart;
  return trunc(release.includes(name) ? release : `${release}-${name}`);
}

/** `.Chart.Name` of the parent chart (`helm/dagster/Chart.yaml`). */
export const DAGSTER_CHART_NAME = 'dagster';
/** `.Chart.Name` of the code-location subchart (`helm/dagster/charts/dagster-user-deployments/Chart.yaml`). */
export const USER_DEPLOYMENTS_CHART_NAME = 'dagster-user-deployments';
/** Fullname of the parent chart for {@link DAGSTER_RELEASE}: `dagster`. */
export const DAGSTER_FULLNAME = chartFullname(DAGSTER_RELEASE, DAGSTER_CHART_NAME);
/** Fullname of the user-deployments subchart for {@link DAGSTER_RELEASE}: `dagster-dagster-user-deployments`. */
export const USER_DEPLOYMENTS_FULLNAME = chartFullname(
  DAGSTER_RELEASE,
  USER_DEPLOYMENTS_CHART_NAME,
);
/** The parent chart's instance ConfigMap (`configmap-instance.yaml`: `<fullname>-instance`). */
export const INSTANCE_CONFIGMAP = `${DAGSTER_FULLNAME}-instance`;
/** Service account of the webserver, daemon, Celery workers and launched runs (Pod Identity, run RBAC). */
export const DAGSTER_SERVICE_ACCOUNT = 'dagster';
/** Service account of the code location servers: no Kubernetes rights; its Pod Identity role writes the compute-log prefix only (tick logs). */
export const USER_CODE_SERVICE_ACCOUNT = 'dagster-user-code';
/** Kubernetes Secret with the Postgres password (key `postgresql-password`, the chart's shape). */
export const POSTGRES_SECRET = 'dagster-postgresql-secret';
/** Key of the password in {@link POSTGRES_SECRET} (fixed by the chart). */
export const POSTGRES_SECRET_KEY = 'postgresql-password';
/** Kubernetes Secret with the OIDC client (`clientID`, `clientSecret`) the ALB reads. */
export const OIDC_SECRET = 'dagster-oidc-client';
/**
 * ConfigMap the project creates (in `dagster-prereqs`) with the run launcher's plain `env`
 * values, the first `env_config_maps` entry of every launched run. Not the chart's
 * `<fullname>-pipeline-env`: the K8sRunLauncher template passes only `envConfigMaps` to runs
 * (dagster-io/dagster#7660), and a name the project creates does not depend on the chart.
 */
export const RUN_ENV_CONFIGMAP = 'dagster-run-env';
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
/** Deployment of the daemon (`deployment-daemon.yaml`: `<fullname>-daemon`). */
export const DAEMON_DEPLOYMENT = `${DAGSTER_FULLNAME}-daemon`;
/** `dagsterWebserver.nameOverride`: the chart's default, set explicitly. */
export const WEBSERVER_NAME_OVERRIDE = 'dagster-webserver';

/**
 * Service of the webserver (`helpers/_helpers.tpl`: `dagster.webserver.fullname` is
 * `printf "%s-%s" .Release.Name (default "webserver" .Values.dagsterWebserver.nameOverride)`,
 * plus `-read-only` for the read-only one; `_service-webserver.tpl`). Uses the release name,
 * not `dagster.fullname`: `dagster-dagster-webserver`.
 */
export function webserverService(readOnly = false): string {
  return `${DAGSTER_RELEASE}-${WEBSERVER_NAME_OVERRIDE}${readOnly ? '-read-only' : ''}`;
}

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

/**
 * ConfigMap the subchart renders from a code location's `env` map, mounted by the code
 * server (`configmap-env-user.yaml`: `{{ template "dagster.fullname" $ }}-{{ $deployment.name }}-user-env`):
 * `dagster-dagster-user-deployments-<name>-user-env`.
 */
export function userEnvConfigMap(location: string): string {
  return `${USER_DEPLOYMENTS_FULLNAME}-${location}-user-env`;
}

/**
 * ConfigMap the project creates (in `dagster-prereqs`) with a code location's plain `env`
 * values for the runs it launches (`includeConfigInLaunchedRuns`): `dagster-<name>-run-env`.
 */
export function locationRunEnvConfigMap(location: string): string {
  return `dagster-${location}-run-env`;
}

/** Deployment of a code location (`deployment-user.yaml`: `{{ include "dagster.fullname" $ }}-{{ $deployment.name }}`). */
export function codeLocationDeployment(location: string): string {
  return `${USER_DEPLOYMENTS_FULLNAME}-${location}`;
}
