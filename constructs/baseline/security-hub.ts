/**
 * Security Hub for the organization: enabled in the management and security accounts, the
 * security account as delegated administrator, auto-enable for new member accounts (with
 * the default standards), and the configured standards subscribed in the security account.
 * Home region.
 * Source: https://docs.aws.amazon.com/securityhub/latest/userguide/designate-orgs-admin-account.html
 */
import { Construct } from 'constructs';
import type { TerraformProvider } from 'cdktf';
import { SecurityhubAccount } from '@cdktf/provider-aws/lib/securityhub-account';
import { SecurityhubOrganizationAdminAccount } from '@cdktf/provider-aws/lib/securityhub-organization-admin-account';
import { SecurityhubOrganizationConfiguration } from '@cdktf/provider-aws/lib/securityhub-organization-configuration';
import { SecurityhubStandardsSubscription } from '@cdktf/provider-aws/lib/securityhub-standards-subscription';

export interface SecurityHubOrganizationProps {
  /** Account ID of the delegated administrator (the security account). */
  readonly adminAccountId: string;
  /** Provider for the security account. */
  readonly adminProvider: TerraformProvider;
  /** Region of the standards ARNs (the home region). */
  readonly region: string;
  /**
   * Standards to subscribe, as ARN paths after `arn:aws:securityhub:<region>::`
   * (e.g. `standards/aws-foundational-security-best-practices/v/1.0.0`; default none).
   */
  readonly standards?: string[];
}

/** Security Hub, administered from the security account. */
export class SecurityHubOrganization extends Construct {
  readonly adminAccount: SecurityhubOrganizationAdminAccount;

  constructor(scope: Construct, id: string, props: SecurityHubOrganizationProps) {
    super(scope, id);
    const management = new SecurityhubAccount(this, 'management-account', {
      enableDefaultStandards: false,
    });
    const admin = new SecurityhubAccount(this, 'admin-hub', {
      provider: props.adminProvider,
      enableDefaultStandards: false,
      autoEnableControls: true,
    });
    this.adminAccount = new SecurityhubOrganizationAdminAccount(this, 'admin-account', {
      adminAccountId: props.adminAccountId,
      dependsOn: [management, admin],
    });
    new SecurityhubOrganizationConfiguration(this, 'organization-configuration', {
      provider: props.adminProvider,
      autoEnable: true,
      autoEnableStandards: 'DEFAULT',
      dependsOn: [this.adminAccount],
    });
    for (const path of props.standards ?? []) {
      new SecurityhubStandardsSubscription(this, `standard-${path.split('/')[1]}`, {
        provider: props.adminProvider,
        standardsArn: `arn:aws:securityhub:${props.region}::${path}`,
        dependsOn: [admin],
      });
    }
  }
}
