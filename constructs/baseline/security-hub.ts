/**
 * Former layout only: the security stack builds SecurityHubDelegatedAdmin and SecurityHubCentralConfiguration (security-hub-central.ts)
 * instead. Kept so stacks/management-migration.ts can compute the addresses these constructs
 * gave in the former management stack (its `removed` blocks); nothing else may use it.
 */
/**
 * Security Hub for the organization in one region (Security Hub is regional: the baseline
 * adds one per allowed region and aggregates findings into the home region): enabled in the
 * management and security accounts, the security account as delegated administrator,
 * auto-enable for new member accounts (with the default standards), the configured standards
 * subscribed in the security account, and, in the home region only, a finding aggregator
 * linking the other regions.
 * Sources: https://docs.aws.amazon.com/securityhub/latest/userguide/designate-orgs-admin-account.html,
 * https://docs.aws.amazon.com/securityhub/latest/userguide/finding-aggregation.html
 */
import { Construct } from 'constructs';
import type { TerraformProvider } from 'cdktf';
import { SecurityhubAccount } from '@cdktf/provider-aws/lib/securityhub-account';
import { SecurityhubOrganizationAdminAccount } from '@cdktf/provider-aws/lib/securityhub-organization-admin-account';
import { SecurityhubOrganizationConfiguration } from '@cdktf/provider-aws/lib/securityhub-organization-configuration';
import { SecurityhubStandardsSubscription } from '@cdktf/provider-aws/lib/securityhub-standards-subscription';
import { SecurityhubFindingAggregator } from '@cdktf/provider-aws/lib/securityhub-finding-aggregator';

/** Props of {@link SecurityHubOrganization}. */
export interface SecurityHubOrganizationProps {
  /** Account ID of the delegated administrator (the security account). */
  readonly adminAccountId: string;
  /** Provider for the security account in {@link region}. */
  readonly adminProvider: TerraformProvider;
  /**
   * Provider for the management account in {@link region} (default: the stack's default
   * provider, i.e. the management account in the home region).
   */
  readonly managementProvider?: TerraformProvider;
  /** The region this instance covers (the providers' region; used in the standards ARNs). */
  readonly region: string;
  /**
   * Other regions whose findings this region aggregates (set on the home region's instance
   * only; default none: no aggregator).
   */
  readonly aggregateRegions?: string[];
  /**
   * Standards to subscribe, as ARN paths after `arn:aws:securityhub:<region>::`
   * (e.g. `standards/aws-foundational-security-best-practices/v/1.0.0`; default none).
   */
  readonly standards?: string[];
}

/** Security Hub in one region, administered from the security account. */
export class SecurityHubOrganization extends Construct {
  /** The delegated-administrator registration, made from the management account. */
  readonly adminAccount: SecurityhubOrganizationAdminAccount;

  constructor(scope: Construct, id: string, props: SecurityHubOrganizationProps) {
    super(scope, id);
    const management = new SecurityhubAccount(this, 'management-account', {
      provider: props.managementProvider,
      enableDefaultStandards: false,
    });
    const admin = new SecurityhubAccount(this, 'admin-hub', {
      provider: props.adminProvider,
      enableDefaultStandards: false,
      autoEnableControls: true,
    });
    this.adminAccount = new SecurityhubOrganizationAdminAccount(this, 'admin-account', {
      provider: props.managementProvider,
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
    const others = props.aggregateRegions ?? [];
    if (others.length > 0) {
      new SecurityhubFindingAggregator(this, 'finding-aggregator', {
        provider: props.adminProvider,
        linkingMode: 'SPECIFIED_REGIONS',
        specifiedRegions: others,
        dependsOn: [admin],
      });
    }
  }
}
