/**
 * AWS Organizations: the organization (all features), its OUs and member accounts.
 */
import { Construct } from 'constructs';
import { OrganizationsOrganization } from '@cdktf/provider-aws/lib/organizations-organization';
import { OrganizationsOrganizationalUnit } from '@cdktf/provider-aws/lib/organizations-organizational-unit';
import { OrganizationsAccount } from '@cdktf/provider-aws/lib/organizations-account';

/**
 * Service principals given trusted access by default: Identity Center, CloudTrail, Config,
 * GuardDuty, Security Hub, Account Management (plus IAM Access Analyzer for the baseline).
 * Source: https://docs.aws.amazon.com/organizations/latest/userguide/orgs_integrate_services_list.html
 */
export const DEFAULT_SERVICE_ACCESS_PRINCIPALS = [
  'sso.amazonaws.com',
  'cloudtrail.amazonaws.com',
  'config.amazonaws.com',
  'guardduty.amazonaws.com',
  'securityhub.amazonaws.com',
  'account.amazonaws.com',
  'access-analyzer.amazonaws.com',
] as const;

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
  /** Trusted-access service principals (default {@link DEFAULT_SERVICE_ACCESS_PRINCIPALS}). */
  readonly serviceAccessPrincipals?: readonly string[];
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
      enabledPolicyTypes: ['SERVICE_CONTROL_POLICY', 'TAG_POLICY'],
      awsServiceAccessPrincipals: [
        ...(props.serviceAccessPrincipals ?? DEFAULT_SERVICE_ACCESS_PRINCIPALS),
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
