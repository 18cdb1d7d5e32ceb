/**
 * One notification configuration (email, Slack, Microsoft Teams or a signed generic webhook)
 * created on each of a list of workspaces.
 *
 * Email goes to organization members by user ID (HCP Terraform mails members only;
 * `email_addresses` is Terraform Enterprise only). URLs and HMAC tokens are secrets: pass
 * tokens of sensitive Terraform variables, never literals. The HMAC token goes to the
 * write-only `token_wo` (never stored in state; tfe 0.71 `resource_tfe_notification_configuration.go`:
 * `WriteOnly: true`, and a changed value replaces the configuration). tfe 0.71 has no write-only
 * `url`: the URL is kept in the TFC stack's state (sensitive), so keep that state private.
 *
 * Source: https://registry.terraform.io/providers/hashicorp/tfe/0.71.0/docs/resources/notification_configuration
 */
import { Construct } from 'constructs';
import { TerraformVariable } from 'cdktf';
import { NotificationConfiguration } from '@cdktf/provider-tfe/lib/notification-configuration';
import { DataTfeOrganizationMembership } from '@cdktf/provider-tfe/lib/data-tfe-organization-membership';
import type { TerraformCloudConfig } from '../../envs/schema/terraform-cloud';

export interface TfcNotificationProps {
  /** Configuration name shown in TFC. */
  readonly name: string;
  /** `email`, `slack`, `microsoft-teams` or `generic`. */
  readonly destinationType: 'email' | 'slack' | 'microsoft-teams' | 'generic';
  /** Events that notify, e.g. `run:errored`; must not be empty. */
  readonly triggers: readonly string[];
  /** Workspaces that notify: logical key (stack ID) → workspace ID; must not be empty. */
  readonly workspaceIds: Readonly<Record<string, string>>;
  /** Destination URL (required for everything but `email`); a sensitive token. */
  readonly url?: string;
  /**
   * HMAC signing token (`generic` only; default none: unsigned); a sensitive token, sent as the
   * write-only `token_wo` (Terraform >= 1.11).
   */
  readonly token?: string;
  /** User IDs to mail (`email` only; required there). */
  readonly emailUserIds?: readonly string[];
  /** Enabled (default `true`). */
  readonly enabled?: boolean;
}

/** A notification configuration per workspace. */
export class TfcNotification extends Construct {
  /** Configurations by workspace key. */
  readonly configurations: Record<string, NotificationConfiguration> = {};

  /**
   * @throws Error if the destination's required input is missing or one of another type is given,
   *   or `triggers` / `workspaceIds` are empty
   */
  constructor(scope: Construct, id: string, props: TfcNotificationProps) {
    super(scope, id);
    const email = props.destinationType === 'email';
    if (email && !props.emailUserIds?.length)
      throw new Error(`${id}: email notifications need emailUserIds`);
    if (!email && props.emailUserIds)
      throw new Error(`${id}: emailUserIds is only for email notifications`);
    if (!email && !props.url)
      throw new Error(`${id}: ${props.destinationType} notifications need a url`);
    if (email && props.url) throw new Error(`${id}: email notifications take no url`);
    if (props.token && props.destinationType !== 'generic')
      throw new Error(`${id}: token is only for generic webhooks`);
    if (props.triggers.length === 0) throw new Error(`${id}: triggers must not be empty`);
    if (Object.keys(props.workspaceIds).length === 0)
      throw new Error(`${id}: workspaceIds must not be empty`);
    for (const [key, workspaceId] of Object.entries(props.workspaceIds)) {
      this.configurations[key] = new NotificationConfiguration(this, key, {
        name: props.name,
        destinationType: props.destinationType,
        triggers: [...props.triggers],
        workspaceId,
        url: props.url,
        tokenWo: props.token,
        emailUserIds: props.emailUserIds ? [...props.emailUserIds] : undefined,
        enabled: props.enabled ?? true,
      });
    }
  }
}

/** Notification variable name: `notification_<name>_<what>` with hyphens as underscores. */
export function notificationVariable(name: string, what: 'url' | 'token'): string {
  return `notification_${name.replace(/-/g, '_')}_${what}`;
}

/** Inputs of {@link addConfiguredNotifications}. */
export interface ConfiguredNotificationsProps {
  /** Environment prefix: configurations are named `<prefix>-<name>`. */
  readonly prefix: string;
  /** The environment's `terraformCloud` section (its `notifications` and `organization`). */
  readonly terraformCloud: TerraformCloudConfig;
  /** Workspace IDs by stack ID for a configuration's `workspaces` (every workspace when undefined). */
  workspaceIds(stackIds?: readonly string[]): Record<string, string>;
}

/**
 * Every `terraformCloud.notifications` entry as a {@link TfcNotification} in `scope`, with its
 * URL and HMAC token from sensitive Terraform variables ({@link notificationVariable}) and
 * email recipients resolved to organization members.
 */
export function addConfiguredNotifications(
  scope: Construct,
  props: ConfiguredNotificationsProps,
): void {
  const tfc = props.terraformCloud;
  for (const [name, n] of Object.entries(tfc.notifications)) {
    const secret = (what: 'url' | 'token', description: string) => {
      const id = notificationVariable(name, what);
      const v = new TerraformVariable(scope, id, {
        type: 'string',
        sensitive: true,
        nullable: false,
        description,
      });
      v.overrideLogicalId(id);
      return v.stringValue;
    };
    const email = n.destinationType === 'email';
    new TfcNotification(scope, `notification-${name}`, {
      name: `${props.prefix}-${name}`,
      destinationType: n.destinationType,
      triggers: n.triggers,
      workspaceIds: props.workspaceIds(n.workspaces),
      enabled: n.enabled,
      url: email
        ? undefined
        : secret('url', `Notification ${name}: ${n.destinationType} URL (secret)`),
      token:
        n.destinationType === 'generic' && n.signed
          ? secret(
              'token',
              `Notification ${name}: HMAC token signing the webhook payloads (secret)`,
            )
          : undefined,
      emailUserIds: n.emailUsers?.map(
        (address, i) =>
          new DataTfeOrganizationMembership(scope, `notification-${name}-member-${i}`, {
            organization: tfc.organization,
            email: address,
          }).userId,
      ),
    });
  }
}
