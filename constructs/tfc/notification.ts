/**
 * One notification configuration (email, Slack, Microsoft Teams or a signed generic webhook)
 * created on each of a list of workspaces.
 *
 * Email goes to organization members by user ID (HCP Terraform mails members only;
 * `email_addresses` is Terraform Enterprise only). URLs and HMAC tokens are secrets: pass
 * tokens of sensitive Terraform variables, never literals.
 *
 * Source: https://registry.terraform.io/providers/hashicorp/tfe/0.71.0/docs/resources/notification_configuration
 */
import { Construct } from 'constructs';
import { NotificationConfiguration } from '@cdktf/provider-tfe/lib/notification-configuration';

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
  /** HMAC signing token (`generic` only; default none: unsigned); a sensitive token. */
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
        token: props.token,
        emailUserIds: props.emailUserIds ? [...props.emailUserIds] : undefined,
        enabled: props.enabled ?? true,
      });
    }
  }
}
