/**
 * `clusters.<name>.platform`: the example's defaults, and a failing case with its message for
 * every rule of envs/schema/platform.ts.
 */
import { exampleEnv, problemsOf } from '../../support/env';

const P = 'clusters.main-01.platform';
const platform = (raw: any) => raw.clusters['main-01'].platform;
const slack = { channel: '#alerts', apiUrlSecret: { name: 'alertmanager/slack', property: 'url' } };

describe('platform config: defaults', () => {
  const p = exampleEnv().clusters['main-01'].platform;

  it('has general and batch node pools with limits, budgets and the batch taint', () => {
    expect(p.karpenter.nodePools.general).toMatchObject({
      instanceCategories: ['c', 'm', 'r'],
      minInstanceGeneration: 6,
      architectures: ['amd64', 'arm64'],
      capacityTypes: ['on-demand', 'spot'],
      disruption: { consolidationPolicy: 'WhenEmptyOrUnderutilized', consolidateAfter: '1m' },
      taints: [],
    });
    expect(p.karpenter.nodePools.batch.capacityTypes[0]).toBe('spot');
    expect(p.karpenter.nodePools.batch.taints).toEqual([
      { key: 'workload-class', value: 'batch', effect: 'NoSchedule' },
    ]);
    expect(p.karpenter.nodePools.general.disruption.budgets[0]).toEqual({ nodes: '10%' });
    expect(p.karpenter.nodePools.batch.disruption).toMatchObject({
      consolidationPolicy: 'WhenEmpty',
      budgets: [{ nodes: '10%' }],
    });
  });

  it('defaults Postgres to 3 instances with backups, monitoring on, Argo CD and cert-manager off', () => {
    expect(p.postgres).toMatchObject({ enabled: true, instances: 3, backupRetentionDays: 30 });
    expect(p.monitoring).toMatchObject({ enabled: true, retention: '15d' });
    expect(p.argoCd.enabled).toBe(false);
    expect(p.certManager.enabled).toBe(false);
    expect(p.externalSecrets.vault).toBeUndefined();
  });

  it('accepts receivers that reference their secrets, and a Vault store', () => {
    const env = exampleEnv((raw) => {
      platform(raw).monitoring = {
        alertmanager: {
          receivers: {
            ops: { slack, pagerduty: { routingKeySecret: { name: 'alertmanager/pagerduty' } } },
            mail: {
              email: {
                to: 'ops@acme.example',
                from: 'am@acme.example',
                smarthost: 'smtp.acme.example:587',
                authUsername: 'am',
                authPasswordSecret: { name: 'alertmanager/smtp' },
              },
            },
          },
          defaultReceiver: 'mail',
        },
      };
      platform(raw).externalSecrets = {
        vault: { server: 'https://vault.acme.example', kubernetesAuth: { role: 'eso' } },
      };
    });
    const p2 = env.clusters['main-01'].platform;
    expect(Object.keys(p2.monitoring.alertmanager.receivers)).toEqual(['ops', 'mail']);
    expect(p2.externalSecrets.vault).toMatchObject({
      path: 'secret',
      version: 'v2',
      kubernetesAuth: { mountPath: 'kubernetes', role: 'eso' },
    });
  });
});

/** [description, edit of the raw platform section, expected problem]. */
const cases: [string, (p: any) => void, string][] = [
  [
    'zero CPU limit',
    (p) => (p.karpenter = { nodePools: { general: { limits: { cpu: 0 } } } }),
    `${P}.karpenter.nodePools.general.limits.cpu: must be greater than zero (vCPUs)`,
  ],
  [
    'negative memory limit',
    (p) => (p.karpenter = { nodePools: { batch: { limits: { memoryGiB: -5 } } } }),
    `${P}.karpenter.nodePools.batch.limits.memoryGiB: must be greater than zero (GiB)`,
  ],
  [
    'fractional CPU limit',
    (p) => (p.karpenter = { nodePools: { general: { limits: { cpu: 1.5 } } } }),
    `${P}.karpenter.nodePools.general.limits.cpu: must be a whole number (vCPUs)`,
  ],
  [
    'no disruption budget',
    (p) => (p.karpenter = { nodePools: { general: { disruption: { budgets: [] } } } }),
    `${P}.karpenter.nodePools.general.disruption.budgets: needs at least one disruption budget`,
  ],
  [
    'bad budget nodes',
    (p) =>
      (p.karpenter = { nodePools: { general: { disruption: { budgets: [{ nodes: 'many' }] } } } }),
    `${P}.karpenter.nodePools.general.disruption.budgets[0].nodes: must be a node count (e.g. 2) or a percentage (e.g. 10%)`,
  ],
  [
    'budget schedule without duration',
    (p) =>
      (p.karpenter = {
        nodePools: {
          general: { disruption: { budgets: [{ nodes: '0', schedule: '0 9 * * mon-fri' }] } },
        },
      }),
    `${P}.karpenter.nodePools.general.disruption.budgets[0]: schedule and duration must be given together`,
  ],
  [
    'bad consolidateAfter',
    (p) => (p.karpenter = { nodePools: { general: { disruption: { consolidateAfter: 'soon' } } } }),
    `${P}.karpenter.nodePools.general.disruption.consolidateAfter: must be a duration such as 30s, 5m or 720h`,
  ],
  [
    'bad instance category',
    (p) => (p.karpenter = { nodePools: { general: { instanceCategories: ['m5'] } } }),
    `${P}.karpenter.nodePools.general.instanceCategories[0]: must be one instance category letter (c, m, r, …)`,
  ],
  [
    'zero generation',
    (p) => (p.karpenter = { nodePools: { general: { minInstanceGeneration: 0 } } }),
    `${P}.karpenter.nodePools.general.minInstanceGeneration: must be greater than zero (instance generation)`,
  ],
  [
    'unknown pool',
    (p) => (p.karpenter = { nodePools: { gpu: {} } }),
    `${P}.karpenter.nodePools.gpu: unknown key (not in the schema)`,
  ],
  [
    'bad taint key',
    (p) =>
      (p.karpenter = {
        nodePools: { batch: { taints: [{ key: 'bad key!', effect: 'NoSchedule' }] } },
      }),
    `${P}.karpenter.nodePools.batch.taints[0].key: must be a Kubernetes label key`,
  ],
  [
    'bad expireAfter',
    (p) => (p.karpenter = { nodePools: { general: { expireAfter: '30 days' } } }),
    `${P}.karpenter.nodePools.general.expireAfter: must be a duration such as 30s, 5m or 720h`,
  ],
  [
    'too many Postgres instances',
    (p) => (p.postgres = { instances: 12 }),
    `${P}.postgres.instances: must be at most 9`,
  ],
  [
    'zero Postgres instances',
    (p) => (p.postgres = { instances: 0 }),
    `${P}.postgres.instances: must be greater than zero (instances)`,
  ],
  [
    'zero Postgres storage',
    (p) => (p.postgres = { storageGiB: 0 }),
    `${P}.postgres.storageGiB: must be greater than zero (GiB)`,
  ],
  [
    'negative backup retention',
    (p) => (p.postgres = { backupRetentionDays: -1 }),
    `${P}.postgres.backupRetentionDays: must be greater than zero (days)`,
  ],
  [
    'five-field backup cron',
    (p) => (p.postgres = { backupSchedule: '0 3 * * *' }),
    `${P}.postgres.backupSchedule: must be a six-field cron expression (seconds first), e.g. "0 0 3 * * *"`,
  ],
  [
    'bad retention',
    (p) => (p.monitoring = { retention: '15 days' }),
    `${P}.monitoring.retention: must be a Prometheus duration such as 15d, 12h or 2w`,
  ],
  [
    'zero retention',
    (p) => (p.monitoring = { retention: '0d' }),
    `${P}.monitoring.retention: must be longer than zero`,
  ],
  [
    'zero Prometheus storage',
    (p) => (p.monitoring = { storageGiB: 0 }),
    `${P}.monitoring.storageGiB: must be greater than zero (GiB)`,
  ],
  [
    'Slack receiver without its secret reference',
    (p) =>
      (p.monitoring = { alertmanager: { receivers: { ops: { slack: { channel: '#alerts' } } } } }),
    `${P}.monitoring.alertmanager.receivers.ops.slack.apiUrlSecret: required: apiUrlSecret (the Slack webhook URL) must be a Secrets Manager reference ({ name, property? }); the value never goes in config`,
  ],
  [
    'Slack webhook URL pasted as a value',
    (p) =>
      (p.monitoring = {
        alertmanager: {
          receivers: {
            ops: {
              slack: { channel: '#alerts', apiUrlSecret: 'https://hooks.slack.com/services/T/B/X' },
            },
          },
        },
      }),
    `${P}.monitoring.alertmanager.receivers.ops.slack.apiUrlSecret: apiUrlSecret (the Slack webhook URL) must be a Secrets Manager reference ({ name, property? }), not the value itself`,
  ],
  [
    'Slack apiUrl key instead of a reference',
    (p) =>
      (p.monitoring = {
        alertmanager: {
          receivers: { ops: { slack: { ...slack, apiUrl: 'https://hooks.slack.com/x' } } },
        },
      }),
    `${P}.monitoring.alertmanager.receivers.ops.slack.apiUrl: unknown key (not in the schema)`,
  ],
  [
    'PagerDuty receiver without its routing key reference',
    (p) => (p.monitoring = { alertmanager: { receivers: { oncall: { pagerduty: {} } } } }),
    `${P}.monitoring.alertmanager.receivers.oncall.pagerduty.routingKeySecret: required: routingKeySecret (the PagerDuty Events v2 routing key) must be a Secrets Manager reference ({ name, property? }); the value never goes in config`,
  ],
  [
    'email receiver without its SMTP password reference',
    (p) =>
      (p.monitoring = {
        alertmanager: {
          receivers: {
            mail: {
              email: {
                to: 'a@acme.example',
                from: 'b@acme.example',
                smarthost: 'smtp.acme.example:587',
                authUsername: 'u',
              },
            },
          },
        },
      }),
    `${P}.monitoring.alertmanager.receivers.mail.email.authPasswordSecret: required: authPasswordSecret (the SMTP password) must be a Secrets Manager reference ({ name, property? }); the value never goes in config`,
  ],
  [
    'secret reference given as an ARN',
    (p) =>
      (p.monitoring = {
        alertmanager: {
          receivers: {
            ops: {
              slack: {
                channel: '#alerts',
                apiUrlSecret: { name: 'arn:aws:secretsmanager:eu-central-1:1:secret:x' },
              },
            },
          },
        },
      }),
    `${P}.monitoring.alertmanager.receivers.ops.slack.apiUrlSecret.name: must be a Secrets Manager name relative to the cluster prefix (letters, digits, _+=.@/-; no ARN, no leading /)`,
  ],
  [
    'receiver with no channel',
    (p) => (p.monitoring = { alertmanager: { receivers: { ops: {} } } }),
    `${P}.monitoring.alertmanager.receivers.ops: a receiver needs at least one of email, slack or pagerduty`,
  ],
  [
    'unknown default receiver',
    (p) =>
      (p.monitoring = { alertmanager: { receivers: { ops: { slack } }, defaultReceiver: 'team' } }),
    `${P}.monitoring.alertmanager.defaultReceiver: unknown receiver "team" (receivers: ops)`,
  ],
  [
    'SMTP relay without a port',
    (p) =>
      (p.monitoring = {
        alertmanager: {
          receivers: {
            mail: {
              email: {
                to: 'a@acme.example',
                from: 'b@acme.example',
                smarthost: 'smtp.acme.example',
                authUsername: 'u',
                authPasswordSecret: { name: 'alertmanager/smtp' },
              },
            },
          },
        },
      }),
    `${P}.monitoring.alertmanager.receivers.mail.email.smarthost: must be host:port`,
  ],
  [
    'zero Grafana storage',
    (p) => (p.monitoring = { grafanaStorageGiB: 0 }),
    `${P}.monitoring.grafanaStorageGiB: must be greater than zero (GiB)`,
  ],
  [
    'bad Slack channel',
    (p) =>
      (p.monitoring = {
        alertmanager: { receivers: { ops: { slack: { ...slack, channel: 'alerts' } } } },
      }),
    `${P}.monitoring.alertmanager.receivers.ops.slack.channel: must be a channel name such as #alerts`,
  ],
  [
    'Vault over http',
    (p) =>
      (p.externalSecrets = {
        vault: { server: 'http://vault:8200', kubernetesAuth: { role: 'eso' } },
      }),
    `${P}.externalSecrets.vault.server: must be an https:// URL`,
  ],
  [
    'Vault without auth role',
    (p) =>
      (p.externalSecrets = { vault: { server: 'https://vault.acme.example', kubernetesAuth: {} } }),
    `${P}.externalSecrets.vault.kubernetesAuth.role: required`,
  ],
  [
    'a bad store namespace',
    (p) => (p.externalSecrets = { namespaces: ['Team_A'] }),
    `${P}.externalSecrets.namespaces[0]: must be a namespace name (lowercase letters, digits, hyphens; max 63)`,
  ],
  [
    'a terminationGracePeriod that is not a duration',
    (p) => (p.karpenter = { nodePools: { batch: { terminationGracePeriod: 'forever' } } }),
    `${P}.karpenter.nodePools.batch.terminationGracePeriod: must be a duration such as 30s, 5m or 720h`,
  ],
  [
    'unknown platform key',
    (p) => (p.ingressNginx = { enabled: true }),
    `${P}.ingressNginx: unknown key (not in the schema)`,
  ],
  [
    'non-boolean argoCd flag',
    (p) => (p.argoCd = { enabled: 'yes' }),
    `${P}.argoCd.enabled: Invalid input: expected boolean, received string`,
  ],
];

describe('platform config: rules', () => {
  it.each(cases)('%s', (_name, edit, expected) => {
    expect(problemsOf((raw) => edit(platform(raw)))).toContain(expected);
  });
});
