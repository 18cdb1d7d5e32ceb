/**
 * `clusters.<name>.platform`: the add-ons of a cluster's platform stack (Karpenter node
 * pools, load balancing, DNS, secrets, Postgres, monitoring, optional Argo CD and
 * cert-manager).
 *
 * Secrets never appear here: where an add-on needs one (Alertmanager's Slack webhook URL,
 * PagerDuty routing key, SMTP password) the config holds a {@link secretRef} — the name of
 * an AWS Secrets Manager secret under the cluster's prefix (`<prefix>/<cluster>/`) that
 * External Secrets reads at run time.
 */
import { z } from 'zod';
import { email, name } from './common';

// ---- building blocks ---------------------------------------------------------------------

/** A Karpenter duration: `30s`, `5m`, `720h`, `1h30m` (or `Never` where allowed). */
const karpenterDuration = z
  .string()
  .regex(/^([0-9]+(s|m|h))+$/, 'must be a duration such as 30s, 5m or 720h');

/** A Prometheus duration: `15d`, `12h`, `2w`. */
const prometheusDuration = z
  .string()
  .regex(/^[0-9]+(ms|s|m|h|d|w|y)$/, 'must be a Prometheus duration such as 15d, 12h or 2w')
  .refine((d) => !/^0+[a-z]+$/.test(d), 'must be longer than zero');

/** A positive whole number (rejects zero and negatives with one clear message). */
const positiveInt = (what: string) =>
  z
    .number({ error: `must be a number (${what})` })
    .int(`must be a whole number (${what})`)
    .positive(`must be greater than zero (${what})`);

/**
 * A reference to an AWS Secrets Manager secret, never the secret's value: `name` is
 * relative to the cluster's secrets prefix `<prefix>/<cluster>/` (which External Secrets
 * may read), `property` the JSON key inside the secret (omit for a plain-string secret).
 */
const secretRefShape = {
  /** Secret name below `<prefix>/<cluster>/`, e.g. `alertmanager/slack`. */
  name: z
    .string()
    .regex(
      /^[A-Za-z0-9][A-Za-z0-9_+=.@/-]{0,200}$/,
      'must be a Secrets Manager name relative to the cluster prefix (letters, digits, _+=.@/-; no ARN, no leading /)',
    ),
  /** JSON property inside the secret; omit when the secret is a plain string. */
  property: z.string().min(1).optional(),
};

export const secretRef = z.object(secretRefShape).strict();

export type SecretRef = z.output<typeof secretRef>;

/**
 * A {@link secretRef} that is required, with messages naming the field: missing →
 * `required: …`, a string (a value pasted in) → `must be a Secrets Manager reference`.
 */
const requiredSecret = (what: string) =>
  z
    .object(secretRefShape, {
      error: (iss) =>
        iss.input === undefined
          ? `required: ${what} must be a Secrets Manager reference ({ name, property? }); the value never goes in config`
          : iss.code === 'invalid_type'
            ? `${what} must be a Secrets Manager reference ({ name, property? }), not the value itself`
            : undefined,
    })
    .strict();

// ---- Karpenter node pools ----------------------------------------------------------------

const budget = z
  .object({
    nodes: z
      .string()
      .regex(
        /^((100|[0-9]{1,2})%|[0-9]+)$/,
        'must be a node count (e.g. 2) or a percentage (e.g. 10%)',
      )
      .describe('Nodes that may be disrupted at once: a count (`2`) or a percentage (`10%`).'),
    schedule: z
      .string()
      .min(1)
      .optional()
      .describe('Cron schedule when this budget is active (with `duration`).'),
    duration: karpenterDuration
      .optional()
      .describe('How long the budget is active after each `schedule` tick (e.g. `8h`).'),
    reasons: z
      .array(z.enum(['Underutilized', 'Empty', 'Drifted']))
      .min(1)
      .optional()
      .describe('Disruption reasons the budget applies to (default: all).'),
  })
  .strict()
  .refine((b) => (b.schedule === undefined) === (b.duration === undefined), {
    message: 'schedule and duration must be given together',
  });

const taint = z
  .object({
    key: z
      .string()
      .regex(
        /^([a-z0-9.-]+\/)?[A-Za-z0-9]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?$/,
        'must be a Kubernetes label key',
      ),
    value: z.string().max(63).optional(),
    effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']).default('NoSchedule'),
  })
  .strict();

/** One Karpenter `NodePool` (https://karpenter.sh/docs/concepts/nodepools/). */
const nodePool = (defaults: {
  capacityTypes: ('spot' | 'on-demand')[];
  consolidationPolicy: 'WhenEmptyOrUnderutilized' | 'WhenEmpty';
  consolidateAfter: string;
  cpu: number;
  memoryGiB: number;
  taints: z.output<typeof taint>[];
  terminationGracePeriod: string;
}) =>
  z
    .object({
      instanceCategories: z
        .array(z.string().regex(/^[a-z]$/, 'must be one instance category letter (c, m, r, …)'))
        .min(1)
        .default(['c', 'm', 'r'])
        .describe(
          'EC2 instance categories (`c`, `m`, `r`…: `karpenter.k8s.aws/instance-category`).',
        ),
      minInstanceGeneration: positiveInt('instance generation')
        .default(6)
        .describe(
          'Lowest instance generation allowed (`karpenter.k8s.aws/instance-generation` > n-1).',
        ),
      architectures: z
        .array(z.enum(['amd64', 'arm64']))
        .min(1)
        .default(['amd64', 'arm64'])
        .describe('CPU architectures (`kubernetes.io/arch`).'),
      capacityTypes: z
        .array(z.enum(['spot', 'on-demand']))
        .min(1)
        .default(() => [...defaults.capacityTypes])
        .describe(
          'Capacity types (`karpenter.sh/capacity-type`); Karpenter prefers spot when both are allowed.',
        ),
      limits: z
        .object({
          cpu: positiveInt('vCPUs')
            .default(defaults.cpu)
            .describe("Total vCPUs of the pool's nodes, cores (> 0)."),
          memoryGiB: positiveInt('GiB')
            .default(defaults.memoryGiB)
            .describe("Total memory of the pool's nodes, GiB (> 0)."),
        })
        .strict()
        .prefault({})
        .describe("Upper bounds of the pool's total capacity."),
      disruption: z
        .object({
          consolidationPolicy: z
            .enum(['WhenEmptyOrUnderutilized', 'WhenEmpty'])
            .default(defaults.consolidationPolicy),
          consolidateAfter: karpenterDuration
            .default(defaults.consolidateAfter)
            .describe('Wait after a pod change before consolidating, e.g. `1m`.'),
          budgets: z
            .array(budget)
            .min(1, 'needs at least one disruption budget')
            .default([{ nodes: '10%' }])
            .describe('At least one budget; the default allows 10% of nodes at once.'),
        })
        .strict()
        .prefault({})
        .describe('Disruption settings (https://karpenter.sh/docs/concepts/disruption/).'),
      expireAfter: karpenterDuration
        .default('720h')
        .describe('Node lifetime before replacement (`720h` = 30 days).'),
      terminationGracePeriod: karpenterDuration
        .default(defaults.terminationGracePeriod)
        .describe(
          'Longest a node being deleted (drift, expiry) may wait for its pods before they are deleted anyway, overriding PDBs and `karpenter.sh/do-not-disrupt` (NodePool `spec.template.spec.terminationGracePeriod`, Karpenter v1.14 CRD: "If left undefined, the controller will wait indefinitely for pods to be drained"). A Postgres primary\'s PDB or a long run would otherwise hold a node forever. Default `48h` (general), `24h` (batch).',
        ),
      taints: z
        .array(taint)
        .default(() => defaults.taints.map((t) => ({ ...t })))
        .describe("Taints of the pool's nodes."),
    })
    .strict()
    .prefault({});

/** The batch pool's default taint: only pods tolerating it (Dagster runs) land there. */
export const BATCH_TAINT = { key: 'workload-class', value: 'batch', effect: 'NoSchedule' } as const;

const karpenter = z
  .object({
    nodePools: z
      .object({
        general: nodePool({
          capacityTypes: ['on-demand', 'spot'],
          consolidationPolicy: 'WhenEmptyOrUnderutilized',
          consolidateAfter: '1m',
          cpu: 100,
          memoryGiB: 400,
          taints: [],
          terminationGracePeriod: '48h',
        }).describe(
          'General-purpose pool: on-demand and spot, consolidates when empty or underutilized.',
        ),
        batch: nodePool({
          capacityTypes: ['spot', 'on-demand'],
          consolidationPolicy: 'WhenEmpty',
          consolidateAfter: '5m',
          cpu: 200,
          memoryGiB: 800,
          taints: [{ ...BATCH_TAINT }],
          terminationGracePeriod: '24h',
        }).describe(
          'Batch pool for Dagster runs: spot first, tainted, consolidated only when empty.',
        ),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .prefault({});

// ---- Postgres (CloudNativePG) ------------------------------------------------------------

const postgres = z
  .object({
    enabled: z
      .boolean()
      .default(true)
      .describe('Create the CloudNativePG operator and the Dagster Postgres cluster.'),
    instances: positiveInt('instances')
      .max(9, 'must be at most 9')
      .default(3)
      .describe('Instances (1 primary + replicas), spread across availability zones.'),
    storageGiB: positiveInt('GiB').default(20).describe('Data volume per instance, GiB (gp3).'),
    backupRetentionDays: positiveInt('days')
      .default(30)
      .describe('Backup and WAL retention in S3, days.'),
    backupSchedule: z
      .string()
      .regex(
        /^(\S+\s+){5}\S+$/,
        'must be a six-field cron expression (seconds first), e.g. "0 0 3 * * *"',
      )
      .default('0 0 3 * * *')
      .describe('Schedule of the base backup (CloudNativePG six-field cron, seconds first).'),
  })
  .strict()
  .prefault({});

// ---- monitoring (kube-prometheus-stack) --------------------------------------------------

const emailReceiver = z
  .object({
    to: email,
    from: email,
    smarthost: z
      .string()
      .regex(/^[A-Za-z0-9.-]+:[0-9]{1,5}$/, 'must be host:port')
      .describe('SMTP relay `host:port`.'),
    authUsername: z.string().min(1),
    authPasswordSecret: requiredSecret('authPasswordSecret (the SMTP password)'),
  })
  .strict();

const slackReceiver = z
  .object({
    channel: z.string().regex(/^#[a-z0-9_-]{1,80}$/, 'must be a channel name such as #alerts'),
    apiUrlSecret: requiredSecret('apiUrlSecret (the Slack webhook URL)'),
  })
  .strict();

const pagerdutyReceiver = z
  .object({
    routingKeySecret: requiredSecret('routingKeySecret (the PagerDuty Events v2 routing key)'),
  })
  .strict();

const receiver = z
  .object({
    email: emailReceiver.optional(),
    slack: slackReceiver.optional(),
    pagerduty: pagerdutyReceiver.optional(),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (!r.email && !r.slack && !r.pagerduty) {
      ctx.addIssue({
        code: 'custom',
        message: 'a receiver needs at least one of email, slack or pagerduty',
      });
    }
  });

const monitoring = z
  .object({
    enabled: z.boolean().default(true).describe('Install kube-prometheus-stack.'),
    retention: prometheusDuration.default('15d').describe('Prometheus TSDB retention (`15d`).'),
    storageGiB: positiveInt('GiB').default(50).describe('Prometheus volume, GiB.'),
    grafanaStorageGiB: positiveInt('GiB').default(10).describe('Grafana volume, GiB.'),
    alertmanager: z
      .object({
        storageGiB: positiveInt('GiB').default(10).describe('Alertmanager volume, GiB.'),
        receivers: z.record(name, receiver).default({}).describe('Receivers by name.'),
        defaultReceiver: name
          .optional()
          .describe(
            'Receiver of the root route; must be a key of `receivers`. Default: the first receiver.',
          ),
      })
      .strict()
      .prefault({})
      .superRefine((a, ctx) => {
        if (a.defaultReceiver !== undefined && !(a.defaultReceiver in a.receivers)) {
          ctx.addIssue({
            code: 'custom',
            path: ['defaultReceiver'],
            message: `unknown receiver "${a.defaultReceiver}" (receivers: ${Object.keys(a.receivers).join(', ') || 'none'})`,
          });
        }
      }),
  })
  .strict()
  .prefault({});

// ---- External Secrets --------------------------------------------------------------------

const vaultStore = z
  .object({
    server: z
      .url({ protocol: /^https$/, error: 'must be an https:// URL' })
      .describe('Vault address, `https://…`.'),
    path: z.string().min(1).default('secret').describe('KV mount path (e.g. `secret`).'),
    version: z.enum(['v1', 'v2']).default('v2').describe('KV engine version.'),
    kubernetesAuth: z
      .object({
        mountPath: z.string().min(1).default('kubernetes'),
        role: z.string().min(1),
      })
      .strict()
      .describe(
        'Vault Kubernetes auth: mount path and role bound to the External Secrets service account.',
      ),
    namespace: z.string().min(1).optional().describe('Vault Enterprise namespace.'),
  })
  .strict();

const externalSecrets = z
  .object({
    vault: vaultStore
      .optional()
      .describe('Add a `ClusterSecretStore` named `vault` for teams that already run Vault.'),
    namespaces: z
      .array(
        z
          .string()
          .regex(
            /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/,
            'must be a namespace name (lowercase letters, digits, hyphens; max 63)',
          ),
      )
      .default([])
      .describe(
        "More namespaces whose ExternalSecrets may use the cluster's stores (`spec.conditions`), besides the platform's own (`postgres`, `monitoring`, `dagster`). Default none: no other namespace can read the cluster's secrets.",
      ),
  })
  .strict()
  .prefault({});

// ---- the platform ------------------------------------------------------------------------

export const platformSchema = z
  .object({
    karpenter,
    postgres,
    monitoring,
    externalSecrets,
    argoCd: z
      .object({ enabled: z.boolean().default(false) })
      .strict()
      .prefault({})
      .describe(
        'Argo CD for application teams (internal only; reach it with port-forward or an authenticated ingress).',
      ),
    certManager: z
      .object({ enabled: z.boolean().default(false) })
      .strict()
      .prefault({})
      .describe('cert-manager (for in-cluster certificates; public ones come from ACM).'),
  })
  .strict()
  .prefault({});

export type PlatformConfig = z.output<typeof platformSchema>;
export type NodePoolConfig = PlatformConfig['karpenter']['nodePools']['general'];
export type AlertReceiverConfig = PlatformConfig['monitoring']['alertmanager']['receivers'][string];
