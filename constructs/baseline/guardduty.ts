/**
 * Former layout only: the security stack builds GuardDutyDelegatedAdmin and GuardDutyOrganizationMembers (guardduty-organization.ts)
 * instead. Kept so stacks/management-migration.ts can compute the addresses these constructs
 * gave in the former management stack (its `removed` blocks); nothing else may use it.
 */
/**
 * GuardDuty for the organization in one region (GuardDuty is regional: the baseline adds one
 * per allowed region): a detector in the management account, a detector in the security
 * account, the security account as delegated administrator, and (from the security account)
 * auto-enable for every member account, new and existing, with S3, EKS audit-log, EBS malware
 * and RDS login protection auto-enabled too.
 * Source: https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_organizations.html
 */
import { Construct } from 'constructs';
import type { TerraformProvider } from 'cdktf';
import { GuarddutyDetector } from '@cdktf/provider-aws/lib/guardduty-detector';
import { GuarddutyOrganizationAdminAccount } from '@cdktf/provider-aws/lib/guardduty-organization-admin-account';
import { GuarddutyOrganizationConfiguration } from '@cdktf/provider-aws/lib/guardduty-organization-configuration';
import { GuarddutyOrganizationConfigurationFeature } from '@cdktf/provider-aws/lib/guardduty-organization-configuration-feature';

/**
 * Protection plans auto-enabled for all members.
 * Source: https://docs.aws.amazon.com/guardduty/latest/APIReference/API_OrganizationFeatureConfiguration.html
 */
export const GUARDDUTY_FEATURES = [
  'S3_DATA_EVENTS',
  'EKS_AUDIT_LOGS',
  'EBS_MALWARE_PROTECTION',
  'RDS_LOGIN_EVENTS',
] as const;

/** Props of {@link GuardDutyOrganization}. */
export interface GuardDutyOrganizationProps {
  /** Account ID of the delegated administrator (the security account). */
  readonly adminAccountId: string;
  /** Provider for the security account in this region. */
  readonly adminProvider: TerraformProvider;
  /**
   * Provider for the management account in this region (default: the stack's default
   * provider, i.e. the management account in the home region).
   */
  readonly managementProvider?: TerraformProvider;
  /** `FIFTEEN_MINUTES` | `ONE_HOUR` | `SIX_HOURS` (default `FIFTEEN_MINUTES`). */
  readonly findingPublishingFrequency?: string;
}

/** GuardDuty in one region, administered from the security account. */
export class GuardDutyOrganization extends Construct {
  /** The management account's detector (the management account is not auto-enabled). */
  readonly managementDetector: GuarddutyDetector;
  /** The delegated administrator's detector (its `id` owns the organization configuration). */
  readonly adminDetector: GuarddutyDetector;
  /** The delegated-administrator registration, made from the management account. */
  readonly adminAccount: GuarddutyOrganizationAdminAccount;

  constructor(scope: Construct, id: string, props: GuardDutyOrganizationProps) {
    super(scope, id);
    const frequency = props.findingPublishingFrequency ?? 'FIFTEEN_MINUTES';
    this.managementDetector = new GuarddutyDetector(this, 'management-detector', {
      provider: props.managementProvider,
      enable: true,
      findingPublishingFrequency: frequency,
    });
    this.adminDetector = new GuarddutyDetector(this, 'admin-detector', {
      provider: props.adminProvider,
      enable: true,
      findingPublishingFrequency: frequency,
    });
    this.adminAccount = new GuarddutyOrganizationAdminAccount(this, 'admin-account', {
      provider: props.managementProvider,
      adminAccountId: props.adminAccountId,
      dependsOn: [this.adminDetector],
    });
    new GuarddutyOrganizationConfiguration(this, 'organization-configuration', {
      provider: props.adminProvider,
      detectorId: this.adminDetector.id,
      autoEnableOrganizationMembers: 'ALL',
      dependsOn: [this.adminAccount],
    });
    for (const feature of GUARDDUTY_FEATURES) {
      new GuarddutyOrganizationConfigurationFeature(
        this,
        `feature-${feature.toLowerCase().replace(/_/g, '-')}`,
        {
          provider: props.adminProvider,
          detectorId: this.adminDetector.id,
          name: feature,
          autoEnable: 'ALL',
          dependsOn: [this.adminAccount],
        },
      );
    }
  }
}
