/**
 * Alertmanager's configuration from `clusters.<name>.platform.monitoring.alertmanager`, with
 * every credential (Slack webhook URL, PagerDuty routing key, SMTP password) kept out of it:
 * the config names files (`*_file`) inside a Kubernetes Secret that an `ExternalSecret`
 * writes from AWS Secrets Manager and the Alertmanager pods mount
 * (`alertmanagerSpec.secrets` → `/etc/alertmanager/secrets/<secret>/<key>`).
 *
 * Routing: every alert goes to the default receiver (`defaultReceiver`, else the first
 * receiver, else a `null` receiver); each other receiver additionally gets `severity=critical`
 * alerts. The always-firing `Watchdog` alert goes to `null`.
 *
 * The default receiver needs its own child route: Alertmanager gives an alert to the root
 * route's receiver only when no child route matched ("If no child nodes were matches, the
 * current node itself is a match", `dispatch/route.go` `Route.Match` at prometheus/alertmanager
 * v0.34.0), so a critical alert matching another receiver's route would never reach it. The
 * routes are: `Watchdog` → `null` (stops), then the default receiver for everything with
 * `continue: true`, then each other receiver for `severity=critical` with `continue: true`.
 *
 * Reference: https://prometheus.io/docs/alerting/latest/configuration/
 */
import type { PlatformConfig } from '../../../envs/schema/platform';
import { externalSecret } from './external-secrets';

/** Kubernetes Secret (in the monitoring namespace) holding the receivers' credentials. */
export const ALERTMANAGER_SECRET = 'alertmanager-receivers';
/** Where Alertmanager mounts {@link ALERTMANAGER_SECRET}. */
export const ALERTMANAGER_SECRET_DIR = `/etc/alertmanager/secrets/${ALERTMANAGER_SECRET}`;

type AlertmanagerConfig = PlatformConfig['monitoring']['alertmanager'];

/** One credential the receivers need: key in the Secret and its Secrets Manager source. */
export interface ReceiverCredential {
  /** Key in {@link ALERTMANAGER_SECRET}. */
  readonly key: string;
  /** Full Secrets Manager name. */
  readonly secretName: string;
  /** JSON property inside the secret; absent for a plain-string secret. */
  readonly property?: string;
}

/** The credentials of every receiver, given the cluster's secrets prefix (`<prefix>/<cluster>/`). */
export function receiverCredentials(
  config: AlertmanagerConfig,
  secretsPrefix: string,
): ReceiverCredential[] {
  const out: ReceiverCredential[] = [];
  for (const [name, r] of Object.entries(config.receivers)) {
    if (r.email)
      out.push({
        key: `${name}-smtp-password`,
        secretName: `${secretsPrefix}${r.email.authPasswordSecret.name}`,
        property: r.email.authPasswordSecret.property,
      });
    if (r.slack)
      out.push({
        key: `${name}-slack-api-url`,
        secretName: `${secretsPrefix}${r.slack.apiUrlSecret.name}`,
        property: r.slack.apiUrlSecret.property,
      });
    if (r.pagerduty)
      out.push({
        key: `${name}-pagerduty-routing-key`,
        secretName: `${secretsPrefix}${r.pagerduty.routingKeySecret.name}`,
        property: r.pagerduty.routingKeySecret.property,
      });
  }
  return out;
}

/** The name of the root route's receiver. */
export function defaultReceiverName(config: AlertmanagerConfig): string {
  return config.defaultReceiver ?? Object.keys(config.receivers)[0] ?? 'null';
}

/** The Alertmanager configuration (a `alertmanager.config` value of kube-prometheus-stack). */
export function alertmanagerConfig(config: AlertmanagerConfig): Record<string, unknown> {
  const file = (key: string) => `${ALERTMANAGER_SECRET_DIR}/${key}`;
  const root = defaultReceiverName(config);
  const receivers = Object.entries(config.receivers).map(([name, r]) => ({
    name,
    ...(r.email
      ? {
          email_configs: [
            {
              to: r.email.to,
              from: r.email.from,
              smarthost: r.email.smarthost,
              auth_username: r.email.authUsername,
              auth_password_file: file(`${name}-smtp-password`),
              require_tls: true,
              send_resolved: true,
            },
          ],
        }
      : {}),
    ...(r.slack
      ? {
          slack_configs: [
            {
              channel: r.slack.channel,
              api_url_file: file(`${name}-slack-api-url`),
              send_resolved: true,
            },
          ],
        }
      : {}),
    ...(r.pagerduty
      ? {
          pagerduty_configs: [
            { routing_key_file: file(`${name}-pagerduty-routing-key`), send_resolved: true },
          ],
        }
      : {}),
  }));
  const others = Object.keys(config.receivers).filter((n) => n !== root);
  return {
    global: { resolve_timeout: '5m' },
    route: {
      receiver: root,
      group_by: ['alertname', 'namespace'],
      group_wait: '30s',
      group_interval: '5m',
      repeat_interval: '4h',
      routes: [
        { receiver: 'null', matchers: ['alertname = "Watchdog"'] },
        ...(root !== 'null' ? [{ receiver: root, continue: true }] : []),
        ...others.map((receiver) => ({
          receiver,
          matchers: ['severity = "critical"'],
          continue: true,
        })),
      ],
    },
    receivers: [{ name: 'null' }, ...receivers],
  };
}

/**
 * The `ExternalSecret` writing {@link ALERTMANAGER_SECRET}, or `undefined` when no receiver
 * needs a credential.
 */
export function alertmanagerExternalSecret(
  config: AlertmanagerConfig,
  secretsPrefix: string,
  namespace: string,
  store: string,
): Record<string, unknown> | undefined {
  const creds = receiverCredentials(config, secretsPrefix);
  if (creds.length === 0) return undefined;
  return externalSecret({
    name: ALERTMANAGER_SECRET,
    namespace,
    store,
    data: Object.fromEntries(
      creds.map((c) => [c.key, { key: c.secretName, property: c.property }]),
    ),
  });
}
