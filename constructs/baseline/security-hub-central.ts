/**
 * Security Hub with central configuration, split by the account that applies each part:
 * {@link SecurityHubDelegatedAdmin} in the management account (organization stack) and
 * {@link SecurityHubCentralConfiguration} in the delegated administrator's home region
 * (security stack). A configuration policy associated with the root covers every account,
 * existing and new, in the home region and every linked region; `auto_enable` (the local
 * configuration) only reaches accounts that join after it is set.
 * Sources: https://docs.aws.amazon.com/securityhub/latest/userguide/start-central-configuration.html,
 * hashicorp/terraform-provider-aws website/docs/r/securityhub_organization_configuration.html.markdown
 * ("In order to set the `configuration_type` to `CENTRAL`, the delegated admin must be a member
 * account of the organization and not the management account. Central configuration also
 * requires an `aws_securityhub_finding_aggregator` to be configured.")
 */
import { Construct } from 'constructs';
import type { ITerraformDependable, TerraformProvider } from 'cdktf';
import { SecurityhubAccount } from '@cdktf/provider-aws/lib/securityhub-account';
import { SecurityhubOrganizationAdminAccount } from '@cdktf/provider-aws/lib/securityhub-organization-admin-account';
import { SecurityhubOrganizationConfiguration } from '@cdktf/provider-aws/lib/securityhub-organization-configuration';
import { SecurityhubFindingAggregator } from '@cdktf/provider-aws/lib/securityhub-finding-aggregator';
import { SecurityhubConfigurationPolicy } from '@cdktf/provider-aws/lib/securityhub-configuration-policy';
import { SecurityhubConfigurationPolicyAssociation } from '@cdktf/provider-aws/lib/securityhub-configuration-policy-association';

/** Props of {@link SecurityHubDelegatedAdmin}. */
export interface SecurityHubDelegatedAdminProps {
  /** Account ID of the delegated administrator: a member account, never the management account. */
  readonly adminAccountId: string;
  /** Provider for the management account in the home region (default: the stack's default provider). */
  readonly provider?: TerraformProvider;
}

/**
 * Security Hub on in the management account and the delegated administrator registered, in
 * the home region only: with central configuration "the same delegated administrator is
 * automatically set in all linked Regions" (start-central-configuration.html). Registering
 * enables Security Hub in the administrator account, so the security stack does not create
 * an `aws_securityhub_account` there.
 */
export class SecurityHubDelegatedAdmin extends Construct {
  readonly adminAccount: SecurityhubOrganizationAdminAccount;

  constructor(scope: Construct, id: string, props: SecurityHubDelegatedAdminProps) {
    super(scope, id);
    const management = new SecurityhubAccount(this, 'management-account', {
      provider: props.provider,
      enableDefaultStandards: false,
    });
    this.adminAccount = new SecurityhubOrganizationAdminAccount(this, 'admin-account', {
      provider: props.provider,
      adminAccountId: props.adminAccountId,
      dependsOn: [management],
    });
  }
}

/** Props of {@link SecurityHubCentralConfiguration}. */
export interface SecurityHubCentralConfigurationProps {
  /** Provider for the delegated administrator in the home region. */
  readonly provider: TerraformProvider;
  /** The home region (the provider's region): standards ARNs are written for it. */
  readonly homeRegion: string;
  /** Linked regions whose findings aggregate into the home region and where the policy applies (default none). */
  readonly linkedRegions?: readonly string[];
  /** Name of the configuration policy (e.g. `<prefix>-organization`). */
  readonly policyName: string;
  /**
   * Standards enabled by the policy, as ARN paths after `arn:aws:securityhub:<region>::`
   * (e.g. `standards/aws-foundational-security-best-practices/v/1.0.0`).
   */
  readonly standards: readonly string[];
  /** Control IDs to disable (e.g. `IAM.6`; default none: every control of the standards on). */
  readonly disabledControls?: readonly string[];
  /** Targets the policy is associated with: the organization root ID (`r-…`), OU or account IDs. */
  readonly targetIds: readonly string[];
  /** What must exist first: the delegated-administrator registration (default none). */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * Finding aggregator, organization configuration `CENTRAL` (`auto_enable = false`,
 * `auto_enable_standards = "NONE"`, as the provider requires for central configuration), one
 * configuration policy (Security Hub on, the standards, controls) and its association with
 * each target.
 */
export class SecurityHubCentralConfiguration extends Construct {
  readonly aggregator: SecurityhubFindingAggregator;
  readonly organizationConfiguration: SecurityhubOrganizationConfiguration;
  readonly policy: SecurityhubConfigurationPolicy;

  constructor(scope: Construct, id: string, props: SecurityHubCentralConfigurationProps) {
    super(scope, id);
    const provider = props.provider;
    const linked = [...(props.linkedRegions ?? [])];
    // Linking modes: ALL_REGIONS, ALL_REGIONS_EXCEPT_SPECIFIED, SPECIFIED_REGIONS, NO_REGIONS
    // (provider doc of aws_securityhub_finding_aggregator); NO_REGIONS when only the home region.
    this.aggregator = new SecurityhubFindingAggregator(this, 'finding-aggregator', {
      dependsOn: props.dependsOn,
      provider,
      linkingMode: linked.length > 0 ? 'SPECIFIED_REGIONS' : 'NO_REGIONS',
      specifiedRegions: linked.length > 0 ? linked : undefined,
    });
    this.organizationConfiguration = new SecurityhubOrganizationConfiguration(
      this,
      'organization-configuration',
      {
        provider,
        autoEnable: false,
        autoEnableStandards: 'NONE',
        organizationConfiguration: { configurationType: 'CENTRAL' },
        dependsOn: [this.aggregator],
      },
    );
    this.policy = new SecurityhubConfigurationPolicy(this, 'configuration-policy', {
      provider,
      name: props.policyName,
      description: 'Security Hub on with the landing zone standards in every account and region',
      configurationPolicy: {
        serviceEnabled: true,
        enabledStandardArns: props.standards.map(
          (path) => `arn:aws:securityhub:${props.homeRegion}::${path}`,
        ),
        securityControlsConfiguration: {
          disabledControlIdentifiers: [...(props.disabledControls ?? [])],
        },
      },
      dependsOn: [this.organizationConfiguration],
    });
    props.targetIds.forEach((targetId, i) => {
      new SecurityhubConfigurationPolicyAssociation(this, `association-${i}`, {
        provider,
        policyId: this.policy.id,
        targetId,
      });
    });
  }
}
