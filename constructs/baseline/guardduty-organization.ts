/**
 * GuardDuty for the organization in one region, split by the account that applies each part:
 * {@link GuardDutyDelegatedAdmin} in the management account (organization stack) and
 * {@link GuardDutyOrganizationMembers} in the delegated administrator (security stack).
 * Registering the administrator turns GuardDuty on in that account ("For this administrator
 * account, GuardDuty gets enabled automatically only in the designated AWS Region":
 * https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_organizations.html), so the
 * security stack reads that detector instead of creating one.
 */
import { Construct } from 'constructs';
import type { ITerraformDependable, TerraformProvider } from 'cdktf';
import { GuarddutyDetector } from '@cdktf/provider-aws/lib/guardduty-detector';
import { DataAwsGuarddutyDetector } from '@cdktf/provider-aws/lib/data-aws-guardduty-detector';
import { GuarddutyOrganizationAdminAccount } from '@cdktf/provider-aws/lib/guardduty-organization-admin-account';
import { GuarddutyOrganizationConfiguration } from '@cdktf/provider-aws/lib/guardduty-organization-configuration';
import { GuarddutyOrganizationConfigurationFeature } from '@cdktf/provider-aws/lib/guardduty-organization-configuration-feature';
import { GUARDDUTY_FEATURES } from './guardduty';

/** Props of {@link GuardDutyDelegatedAdmin}. */
export interface GuardDutyDelegatedAdminProps {
  /** Account ID of the delegated administrator (the security account). */
  readonly adminAccountId: string;
  /** Provider for the management account in this region (default: the stack's default provider). */
  readonly provider?: TerraformProvider;
  /** `FIFTEEN_MINUTES` | `ONE_HOUR` | `SIX_HOURS` (default `FIFTEEN_MINUTES`). */
  readonly findingPublishingFrequency?: string;
  /**
   * ID of a detector the management account already has in this region, imported instead of
   * created (CreateDetector fails when one exists; default none).
   */
  readonly existingDetectorId?: string;
}

/** The management account's detector and the delegated-administrator registration, in one region. */
export class GuardDutyDelegatedAdmin extends Construct {
  readonly managementDetector: GuarddutyDetector;
  readonly adminAccount: GuarddutyOrganizationAdminAccount;

  constructor(scope: Construct, id: string, props: GuardDutyDelegatedAdminProps) {
    super(scope, id);
    this.managementDetector = new GuarddutyDetector(this, 'management-detector', {
      provider: props.provider,
      enable: true,
      findingPublishingFrequency: props.findingPublishingFrequency ?? 'FIFTEEN_MINUTES',
    });
    if (props.existingDetectorId) this.managementDetector.importFrom(props.existingDetectorId);
    // The management account needs GuardDuty's service-linked role (created with its detector)
    // before the administrator can manage it (delegated-admin-designate.html).
    this.adminAccount = new GuarddutyOrganizationAdminAccount(this, 'admin-account', {
      provider: props.provider,
      adminAccountId: props.adminAccountId,
      dependsOn: [this.managementDetector],
    });
  }
}

/** Props of {@link GuardDutyOrganizationMembers}. */
export interface GuardDutyOrganizationMembersProps {
  /** Provider for the delegated administrator in this region. */
  readonly provider: TerraformProvider;
  /**
   * What must exist before the administrator's detector is read: the registration
   * ({@link GuardDutyDelegatedAdmin.adminAccount}), which turns GuardDuty on there (default none).
   */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * From the delegated administrator: every member account enrolled (`ALL`: new and existing
 * accounts; `NEW` would skip the existing ones), with the protection plans of
 * {@link GUARDDUTY_FEATURES} on for all. Source (UpdateOrganizationConfiguration,
 * AutoEnableOrganizationMembers): "ALL: Indicates that all accounts in the organization have
 * GuardDuty enabled automatically. This includes NEW accounts that join the organization..."
 * (https://docs.aws.amazon.com/guardduty/latest/APIReference/API_UpdateOrganizationConfiguration.html).
 */
export class GuardDutyOrganizationMembers extends Construct {
  /** The administrator's detector (enabled by the registration). */
  readonly detector: DataAwsGuarddutyDetector;

  constructor(scope: Construct, id: string, props: GuardDutyOrganizationMembersProps) {
    super(scope, id);
    const provider = props.provider;
    this.detector = new DataAwsGuarddutyDetector(this, 'admin-detector', {
      provider,
      dependsOn: props.dependsOn,
    });
    new GuarddutyOrganizationConfiguration(this, 'organization-configuration', {
      provider,
      detectorId: this.detector.id,
      autoEnableOrganizationMembers: 'ALL',
    });
    for (const feature of GUARDDUTY_FEATURES) {
      new GuarddutyOrganizationConfigurationFeature(
        this,
        `feature-${feature.toLowerCase().replace(/_/g, '-')}`,
        { provider, detectorId: this.detector.id, name: feature, autoEnable: 'ALL' },
      );
    }
  }
}
