/**
 * AWS Organizations: the organization (all features), its OUs and member accounts.
 */
import { Construct } from 'constructs';
import { OrganizationsOrganization } from '@cdktf/provider-aws/lib/organizations-organization';
import { OrganizationsOrganizationalUnit } from '@cdktf/provider-aws/lib/organizations-organizational-unit';
import { OrganizationsAccount } from '@cdktf/provider-aws/lib/organizations-account';

/**
 * Service principals given trusted access by default: everything the landing zone uses.
 * `aws_service_access_principals` is authoritative (the provider disables what is enabled but
 * not listed), so this list is complete for the app; add others through
 * {@link OrganizationProps.additionalServiceAccessPrincipals}. Each principal as named in the
 * Organizations user guide's page for the service
 * (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_integrate_services_list.html):
 * - `sso.amazonaws.com`: IAM Identity Center (services-that-can-integrate-sso.html)
 * - `cloudtrail.amazonaws.com`: the organization trail (services-that-can-integrate-cloudtrail.html)
 * - `config.amazonaws.com`, `config-multiaccountsetup.amazonaws.com`: AWS Config aggregation
 *   and organization rules (services-that-can-integrate-config.html)
 * - `guardduty.amazonaws.com`, `malware-protection.guardduty.amazonaws.com`: GuardDuty and its
 *   malware protection (services-that-can-integrate-guardduty.html)
 * - `securityhub.amazonaws.com`: Security Hub (services-that-can-integrate-securityhub.html)
 * - `access-analyzer.amazonaws.com`: IAM Access Analyzer (services-that-can-integrate-access-analyzer.html)
 * - `account.amazonaws.com`: Account Management (services-that-can-integrate-account.html)
 * - `member.org.stacksets.cloudformation.amazonaws.com`: service-managed StackSets, which
 *   bootstrap every member account (services-that-can-integrate-cloudformation.html)
 * - `ram.amazonaws.com`: AWS RAM sharing of the network account's subnets inside the
 *   organization (services-that-can-integrate-ram.html)
 */
export const DEFAULT_SERVICE_ACCESS_PRINCIPALS = [
  'sso.amazonaws.com',
  'cloudtrail.amazonaws.com',
  'config.amazonaws.com',
  'config-multiaccountsetup.amazonaws.com',
  'guardduty.amazonaws.com',
  'malware-protection.guardduty.amazonaws.com',
  'securityhub.amazonaws.com',
  'account.amazonaws.com',
  'access-analyzer.amazonaws.com',
  'member.org.stacksets.cloudformation.amazonaws.com',
  'ram.amazonaws.com',
] as const;

/**
 * Policy types enabled at the root by default: SCPs and tag policies. `enabled_policy_types`
 * is authoritative too; add types through {@link OrganizationProps.additionalPolicyTypes}.
 */
export const DEFAULT_POLICY_TYPES = ['SERVICE_CONTROL_POLICY', 'TAG_POLICY'] as const;

/** One member account. */
export interface MemberAccountProps {
  /** Display name of the account. */
  readonly name: string;
  /** Root-user email (unique in AWS). */
  readonly email: string;
  /** Key of the OU in {@link OrganizationProps.organizationalUnits}. */
  readonly ou: string;
  /** `ALLOW` or `DENY` (default `DENY`). */
  readonly iamUserAccessToBilling?: 'ALLOW' | 'DENY';
}

export interface OrganizationProps {
  /** OUs directly under the root: key → display name. */
  readonly organizationalUnits: Record<string, string>;
  /** Member accounts by key. */
  readonly accounts: Record<string, MemberAccountProps>;
  /**
   * Role Organizations creates in each new account, assumable from the management account
   * (default `OrganizationAccountAccessRole`).
   */
  readonly accountAccessRoleName?: string;
  /**
   * Trusted-access service principals, replacing the defaults (default
   * {@link DEFAULT_SERVICE_ACCESS_PRINCIPALS}). Prefer
   * {@link additionalServiceAccessPrincipals}.
   */
  readonly serviceAccessPrincipals?: readonly string[];
  /**
   * Principals enabled besides {@link serviceAccessPrincipals} (default none): what an adopted
   * organization already uses, so the first apply does not disable it.
   */
  readonly additionalServiceAccessPrincipals?: readonly string[];
  /** Policy types enabled besides {@link DEFAULT_POLICY_TYPES} (default none). */
  readonly additionalPolicyTypes?: readonly string[];
  /**
   * Existing resources to adopt with Terraform `import` blocks instead of creating them:
   * the organization ID (`o-…`), OU IDs (`ou-…`) and account IDs (12 digits) by key.
   * Default: none (create everything).
   */
  readonly adopt?: OrganizationAdoption;
}

/** IDs of an existing organization's resources to import (see {@link OrganizationProps.adopt}). */
export interface OrganizationAdoption {
  readonly organizationId?: string;
  readonly organizationalUnits?: Record<string, string>;
  readonly accounts?: Record<string, string>;
}

/**
 * The organization with `feature_set = ALL`, SCP and tag-policy types enabled, OUs and
 * member accounts. Accounts carry `prevent_destroy` and `close_on_deletion = false`, so a
 * careless destroy neither fails open nor closes an account; the organization itself carries
 * `prevent_destroy`.
 *
 * To adopt an existing organization, give its IDs in {@link OrganizationProps.adopt}: the
 * stack then carries Terraform `import` blocks for them (docs/organization.md, "Adopting an existing
 * organization").
 */
export class Organization extends Construct {
  readonly organization: OrganizationsOrganization;
  /** OUs by key. */
  readonly organizationalUnits: Record<string, OrganizationsOrganizationalUnit> = {};
  /** Member accounts by key. */
  readonly accounts: Record<string, OrganizationsAccount> = {};
  /** Name of the role that reaches into each member account. */
  readonly accountAccessRoleName: string;

  constructor(scope: Construct, id: string, props: OrganizationProps) {
    super(scope, id);
    this.accountAccessRoleName = props.accountAccessRoleName ?? 'OrganizationAccountAccessRole';
    this.organization = new OrganizationsOrganization(this, 'organization', {
      featureSet: 'ALL',
      enabledPolicyTypes: [
        ...new Set([...DEFAULT_POLICY_TYPES, ...(props.additionalPolicyTypes ?? [])]),
      ],
      awsServiceAccessPrincipals: [
        ...new Set([
          ...(props.serviceAccessPrincipals ?? DEFAULT_SERVICE_ACCESS_PRINCIPALS),
          ...(props.additionalServiceAccessPrincipals ?? []),
        ]),
      ],
      lifecycle: { preventDestroy: true },
    });
    if (props.adopt?.organizationId) this.organization.importFrom(props.adopt.organizationId);
    for (const [key, name] of Object.entries(props.organizationalUnits)) {
      this.organizationalUnits[key] = new OrganizationsOrganizationalUnit(this, `ou-${key}`, {
        name,
        parentId: this.rootId,
      });
      const existing = props.adopt?.organizationalUnits?.[key];
      if (existing) this.organizationalUnits[key].importFrom(existing);
    }
    for (const [key, acct] of Object.entries(props.accounts)) {
      const ou = this.organizationalUnits[acct.ou];
      if (!ou) throw new Error(`accounts.${key}.ou: unknown organizational unit "${acct.ou}"`);
      this.accounts[key] = new OrganizationsAccount(this, `account-${key}`, {
        name: acct.name,
        email: acct.email,
        parentId: ou.id,
        roleName: this.accountAccessRoleName,
        iamUserAccessToBilling: acct.iamUserAccessToBilling ?? 'DENY',
        closeOnDeletion: false,
        lifecycle: {
          preventDestroy: true,
          ignoreChanges: ['role_name', 'iam_user_access_to_billing'],
        },
      });
      const existing = props.adopt?.accounts?.[key];
      if (existing) this.accounts[key].importFrom(existing);
    }
  }

  /** ID of the organization root (`r-…`). */
  get rootId(): string {
    return this.organization.roots.get(0).id;
  }

  /** The management account's ID. */
  get managementAccountId(): string {
    return this.organization.masterAccountId;
  }

  /** ARN of the access role in member account `key`. */
  accountAccessRoleArn(key: string): string {
    const acct = this.accounts[key];
    if (!acct) throw new Error(`unknown account "${key}"`);
    return `arn:aws:iam::${acct.id}:role/${this.accountAccessRoleName}`;
  }
}
