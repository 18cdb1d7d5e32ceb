/**
 * `clusters.<name>.dagster`: the Dagster deployment of a cluster's platform stack
 * (webserver, daemon, code locations, run launcher, ingress, alerts).
 *
 * Everything here is validated before any construct is built; the add-on
 * (`constructs/dagster/dagster-addon.ts`) turns it into Helm values of the `dagster` chart
 * (https://github.com/dagster-io/dagster/tree/master/helm/dagster).
 *
 * Secrets never appear here: environment values are plain settings (names that look like
 * credentials are rejected), credentials come from Kubernetes Secrets named in
 * `envSecrets`, and the OIDC client of the load balancer is a reference to an AWS Secrets
 * Manager secret.
 */
import { z } from 'zod';
import { duplicates, issue, name } from './common';
import { DAGSTER_IMAGES } from '../versions';
import { ingress } from './dagster-ingress';

/** Kubernetes object name (RFC 1123 DNS subdomain, max 253; we allow 63 to keep it simple). */
const k8sName = z
  .string()
  .regex(
    /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/,
    'must be a Kubernetes name (lowercase letters, digits, hyphens; max 63)',
  );

/**
 * Environment variable names that look like credentials: they must come from `envSecrets`,
 * never from config.
 */
export const SECRET_LIKE_ENV =
  /(PASSWORD|PASSWD|SECRET|TOKEN|PRIVATE_KEY|ACCESS_KEY|API_KEY|CREDENTIAL)/i;

/** Variables the chart or the add-on set themselves (the container context of runs, Dagster's home). */
export const RESERVED_ENV = [
  'DAGSTER_HOME',
  'DAGSTER_CLI_API_GRPC_CONTAINER_CONTEXT',
  'DAGSTER_CONTAINER_CONTEXT',
  'DAGSTER_PG_PASSWORD',
];

/** Plain (non-secret) environment values: `NAME: value`. */
const envValues = z
  .record(
    z
      .string()
      .regex(
        /^[A-Za-z_][A-Za-z0-9_]*$/,
        'must be an environment variable name ([A-Za-z_][A-Za-z0-9_]*)',
      ),
    z.string(),
  )
  .superRefine((env, ctx) => {
    for (const key of Object.keys(env)) {
      if (RESERVED_ENV.includes(key)) {
        issue(ctx, [key], `"${key}" is set by the Dagster add-on and cannot be overridden`);
      } else if (SECRET_LIKE_ENV.test(key)) {
        issue(
          ctx,
          [key],
          `"${key}" looks like a credential; put it in a Kubernetes Secret listed in envSecrets`,
        );
      }
    }
  })
  .default({});

/**
 * The three environment layers of a component, in precedence order (later wins):
 * `env` values, then `envConfigMaps` in the order given, then `envSecrets` in the order given.
 * For launched runs the classes are merged across the run launcher and the code location:
 * every Secret beats every ConfigMap or value (see docs/dagster.md, "Environment precedence").
 */
const envLayers = {
  /** Plain values (no credentials). Default `{}`. */
  env: envValues,
  /** Names of ConfigMaps in the Dagster namespace loaded after `env`, in order (later wins). Default `[]`. */
  envConfigMaps: z.array(k8sName).default([]),
  /** Names of Secrets in the Dagster namespace loaded after the ConfigMaps, in order (later wins). Default `[]`. */
  envSecrets: z.array(k8sName).default([]),
};

/** Kubernetes CPU quantity (`250m`, `1`, `1.5`). */
const cpu = z.string().regex(/^\d+(\.\d+)?m?$/, 'must be a CPU quantity like 250m or 1');
/** Kubernetes memory quantity (`512Mi`, `2Gi`). */
const memory = z
  .string()
  .regex(/^\d+(\.\d+)?(Ki|Mi|Gi|Ti|K|M|G|T)?$/, 'must be a memory quantity like 512Mi or 2Gi');

/** Default requests and memory limit of one component. */
interface ResourceDefaults {
  readonly cpu: string;
  readonly memory: string;
  readonly memoryLimit: string;
}

/**
 * Container requests and limits
 * (https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/). Each field
 * has its component's default, stated once: `{}`, `{ requests: { cpu: '1' } }` and an omitted
 * key all fill in the rest.
 */
const resources = (def: ResourceDefaults) =>
  z
    .object({
      requests: z
        .object({ cpu: cpu.default(def.cpu), memory: memory.default(def.memory) })
        .strict()
        .prefault({}),
      limits: z
        .object({ cpu: cpu.optional(), memory: memory.default(def.memoryLimit) })
        .strict()
        .prefault({})
        .describe(
          'Memory limit (default set per component); a CPU limit is optional (throttling).',
        ),
    })
    .strict()
    .prefault({});

/** Defaults of the webserver, the daemon and code location servers: requests 250m / 512Mi, limit 1Gi. */
const SERVER_RESOURCES: ResourceDefaults = { cpu: '250m', memory: '512Mi', memoryLimit: '1Gi' };
/** Defaults of each run's pod: requests 500m / 1Gi, limit 2Gi. */
const RUN_RESOURCES: ResourceDefaults = { cpu: '500m', memory: '1Gi', memoryLimit: '2Gi' };

export type ResourcesConfig = {
  requests: { cpu: string; memory: string };
  limits: { cpu?: string; memory: string };
};

/**
 * A container image: repository and a pinned tag (never `latest`). A digest-pinned tag
 * (`1.2.3@sha256:…`) is accepted.
 */
const image = z
  .object({
    repository: z
      .string()
      .regex(/^[a-z0-9]([a-z0-9._\-/:]*[a-z0-9])?$/, 'must be an image repository without a tag')
      .describe(
        'Repository, e.g. `123456789012.dkr.ecr.eu-central-1.amazonaws.com/pipelines` or `docker.io/dagster/user-code-example`.',
      ),
    tag: z
      .string({ message: 'is required (a pinned tag, never latest)' })
      .regex(/^[\w][\w.-]{0,127}(@sha256:[a-f0-9]{64})?$/, 'must be an image tag like 1.4.2')
      .refine((t) => !/^latest$/i.test(t.split('@')[0]), {
        message: 'must be pinned; "latest" is not allowed',
      })
      .describe('Pinned tag; `latest` (any case) is rejected.'),
    platforms: z
      .array(z.enum(['linux/amd64', 'linux/arm64']))
      .min(1, 'needs at least one platform')
      .default(['linux/amd64'])
      .describe(
        "Platforms the image is published for (`docker manifest inspect <image>`); the code server and its runs are pinned to these architectures (`kubernetes.io/arch`). Default `['linux/amd64']`.",
      ),
  })
  .strict();

const codeLocation = z
  .object({
    /** Location name (also the Deployment/Service name), lowercase, max 32. */
    name,
    image: image.optional().describe('The user-code image (required; never `latest`).'),
    module: z
      .string()
      .regex(/^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*$/, 'must be a dotted Python module name')
      .optional()
      .describe('Python module to load (`--module-name`); exactly one of `module` / `pythonFile`.'),
    pythonFile: z
      .string()
      .regex(/^\/[\w./-]+\.py$/, 'must be an absolute path to a .py file')
      .optional()
      .describe(
        'Python file inside the image to load (`--python-file`); exactly one of `module` / `pythonFile`.',
      ),
    port: z
      .number()
      .int()
      .min(1024)
      .max(65535)
      .default(3030)
      .describe('gRPC port of the code server (default 3030).'),
    replicas: z
      .number()
      .int()
      .min(1)
      .max(10)
      .default(1)
      .describe('Replicas of the code server (default 1).'),
    ...envLayers,
    resources: resources(SERVER_RESOURCES).describe(
      'Code server resources (default requests 250m / 512Mi, limit 1Gi).',
    ),
    includeConfigInLaunchedRuns: z
      .boolean()
      .default(true)
      .describe(
        "Runs launched from this location also get its environment layers and placement (its ConfigMaps after the run launcher's ConfigMaps, its Secrets after the run launcher's Secrets; every Secret beats every ConfigMap). Default true.",
      ),
  })
  .strict()
  .superRefine((loc, ctx) => {
    if (!loc.image) issue(ctx, ['image'], 'is required (repository and a pinned tag)');
    if (!!loc.module === !!loc.pythonFile)
      issue(ctx, [], 'needs exactly one of module or pythonFile');
  });

/**
 * The default code location (input form; the schema fills in the other fields' defaults):
 * Dagster's example user-code image (pinned in `envs/versions.ts`) and the file it ships
 * (https://github.com/dagster-io/dagster/blob/master/helm/dagster/values.yaml, `deployments[0]`).
 */
export const EXAMPLE_CODE_LOCATION = {
  name: 'example',
  image: {
    repository: DAGSTER_IMAGES.userCodeExample.repository,
    tag: DAGSTER_IMAGES.userCodeExample.tag,
    platforms: [...DAGSTER_IMAGES.userCodeExample.platforms],
  },
  pythonFile: '/example_project/example_repo/repo.py',
};

const celery = z
  .object({
    workerQueues: z
      .array(
        z.object({ name: k8sName, replicas: z.number().int().min(1).max(50).default(2) }).strict(),
      )
      .min(1, 'needs at least one worker queue')
      .superRefine((queues, ctx) => {
        for (const d of duplicates(queues.map((q) => q.name)))
          issue(
            ctx,
            [d.index, 'name'],
            `duplicate worker queue "${d.value}" (also workerQueues[${d.first}])`,
          );
      })
      .prefault([{ name: 'dagster' }])
      .describe('Celery worker queues, unique names (default one queue `dagster` with 2 workers).'),
    flower: z
      .boolean()
      .default(true)
      .describe(
        'Flower (Celery monitoring UI, cluster-internal only; reach it with port-forward). Default true. The broker always requires a password (generated, from Secrets Manager).',
      ),
  })
  .strict()
  .prefault({});

const runLauncher = z
  .object({
    type: z
      .enum(['k8s', 'celery'])
      .default('k8s')
      .describe(
        '`k8s` (default: a Kubernetes Job per run) or `celery` (CeleryK8sRunLauncher with a Valkey broker).',
      ),
    resources: resources(RUN_RESOURCES).describe(
      "Resources of each run's pod (default requests 500m / 1Gi, limit 2Gi).",
    ),
    ...envLayers,
    /** Celery settings; only read when `type` is `celery`. */
    celery,
  })
  .strict()
  .prefault({});

const alerts = z
  .object({
    pipelineStaleSeconds: z
      .number()
      .int()
      .min(600)
      .default(86400)
      .describe(
        'A pipeline counts as stale when no run Job has succeeded for this long, seconds (default 86400 = 1 day).',
      ),
    runNotStartedMinutes: z
      .number()
      .int()
      .min(1)
      .default(10)
      .describe(
        'Minutes a run pod may wait (config error, image pull, unschedulable) before it alerts (default 10).',
      ),
    codeLocationUnavailableMinutes: z
      .number()
      .int()
      .min(1)
      .default(10)
      .describe('Minutes the code-location-unavailable alert waits (default 10).'),
  })
  .strict()
  .prefault({});

export const dagsterSchema = z
  .object({
    enabled: z.boolean().default(true).describe('Deploy Dagster on this cluster (default true).'),
    webserver: z
      .object({
        replicas: z.number().int().min(1).max(10).default(2).describe('Replicas (default 2).'),
        resources: resources(SERVER_RESOURCES).describe(
          'Resources (default requests 250m / 512Mi, limit 1Gi).',
        ),
        readOnly: z
          .boolean()
          .default(false)
          .describe(
            'Also run a read-only webserver (no launching, no terminating) on its own host (default false).',
          ),
        ...envLayers,
      })
      .strict()
      .prefault({}),
    daemon: z
      .object({
        maxConcurrentRuns: z
          .number()
          .int()
          .min(1)
          .max(10000)
          .default(10)
          .describe('Queued run coordinator: maximum runs in progress at once (default 10).'),
        runMonitoring: z
          .object({
            enabled: z.boolean().default(true),
            startTimeoutSeconds: z.number().int().min(30).default(300),
            pollIntervalSeconds: z.number().int().min(10).default(120),
            maxResumeRunAttempts: z
              .number()
              .int()
              .min(0)
              .max(10)
              .default(1)
              .describe(
                'Attempts to resume a run whose worker crashed, e.g. its spot node was reclaimed (K8sRunLauncher only: `supports_resume_run`; ignored with Celery). Default 1.',
              ),
          })
          .strict()
          .prefault({})
          .describe(
            'Run monitoring: detect runs whose worker died (default on; start timeout 300 s, poll 120 s).',
          ),
        runRetries: z
          .object({
            enabled: z.boolean().default(true),
            maxRetries: z.number().int().min(0).max(10).default(0),
          })
          .strict()
          .prefault({})
          .describe(
            'Run retries: re-launch failed runs up to `maxRetries` times (default on, 0 = only when tagged).',
          ),
        resources: resources(SERVER_RESOURCES).describe(
          'Resources (default requests 250m / 512Mi, limit 1Gi).',
        ),
        ...envLayers,
      })
      .strict()
      .prefault({}),
    codeLocations: z
      .array(codeLocation)
      .prefault([EXAMPLE_CODE_LOCATION])
      .describe(
        "Code locations (user-code gRPC servers). Default: Dagster's example user code (`EXAMPLE_CODE_LOCATION`). At least one is required when Dagster is enabled.",
      ),
    runLauncher,
    jobTtlSeconds: z
      .number()
      .int()
      .min(60)
      .max(30 * 86400)
      .default(86400)
      .describe(
        'Seconds a finished run Job (and its pod) is kept before Kubernetes deletes it (default 86400).',
      ),
    ingress,
    alerts,
  })
  .strict()
  .superRefine((d, ctx) => {
    if (d.enabled && d.codeLocations.length === 0) {
      issue(ctx, ['codeLocations'], 'needs at least one code location when Dagster is enabled');
    }
    for (const dup of duplicates(d.codeLocations.map((l) => l.name)))
      issue(
        ctx,
        ['codeLocations', dup.index, 'name'],
        `duplicate code location "${dup.value}" (also codeLocations[${dup.first}])`,
      );
    if (d.ingress.enabled && d.ingress.scheme === 'internet-facing' && !d.ingress.auth) {
      issue(
        ctx,
        ['ingress', 'auth'],
        'is required when scheme is internet-facing: a public Dagster UI needs OIDC or Cognito authentication on the load balancer',
      );
    }
    if (d.webserver.readOnly && d.ingress.readOnlySubdomain === d.ingress.subdomain) {
      issue(
        ctx,
        ['ingress', 'readOnlySubdomain'],
        `must differ from ingress.subdomain ("${d.ingress.subdomain}")`,
      );
    }
  })
  .prefault({});

export type DagsterConfig = z.output<typeof dagsterSchema>;
export type CodeLocationConfig = DagsterConfig['codeLocations'][number];
