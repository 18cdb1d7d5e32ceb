/**
 * The management stack (management account): AWS Organizations, SCPs, IAM Identity Center,
 * keyless Terraform Cloud access (OIDC provider and plan/apply roles) for every workspace of
 * the app in the account that workspace deploys to, and the organization security baseline
 * (constructs/baseline, docs/security.md) with aliased providers into member accounts.
 */
import type { Construct } from 'constructs';
import { TerraformOutput } from 'cdktf';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { LandingZoneStack, type LandingZoneStackProps } from './base-stack';
import { planStacks, type StackKind } from '../envs/stack-plan';
import { Organization } from '../constructs/organization/organization';
import { ServiceControlPolicies } from '../constructs/organization/service-control-policies';
import { IdentityCenter } from '../constructs/organization/identity-center';
import { TfcOidcRoles } from '../constructs/organization/tfc-oidc-roles';
import { MANAGEMENT_ACCOUNT, ORG_ROOT, type ScpName } from '../envs/schema/organization';
import { SecurityBaseline } from '../constructs/baseline/security-baseline';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';

/**
 * What a plan role needs beyond `ReadOnlyAccess`, by the kind of stack its account runs:
 * platform plans open the ephemeral `aws_secretsmanager_random_password` (generated database
 * and Grafana passwords), which calls `secretsmanager:GetRandomPassword` (not resource-scoped).
 * Source: https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetRandomPassword.html
 */
export const PLAN_STATEMENTS_BY_KIND: readonly [StackKind, DataAwsIamPolicyDocumentStatement][] = [
  [
    'platform',
    {
      sid: 'GenerateRandomPasswords',
      effect: 'Allow',
      actions: ['secretsmanager:GetRandomPassword'],
      resources: ['*'],
    },
  ],
];

/** Output names other stacks and the TFC stack read (via `tfe_outputs` or remote state). */
export const MANAGEMENT_OUTPUTS = {
  /** map(string): account key → account ID, `management` included. */
  accountIds: 'account_ids',
  /** map(object({plan_role_arn, apply_role_arn})): account key → TFC roles in that account. */
  tfcRoles: 'tfc_roles',
  organizationId: 'organization_id',
  rootId: 'root_id',
} as const;

/** The name prefix of the TFC roles in every account: roles are `<prefix>-tfc-plan|apply`. */
export function tfcRolePrefix(prefix: string): string {
  return `${prefix}-tfc`;
}

export class ManagementStack extends LandingZoneStack {
  readonly organization: Organization;
  readonly identityCenter: IdentityCenter;
  /** TFC roles by account key (only accounts that some workspace deploys to). */
  readonly tfcRoles: Record<string, TfcOidcRoles> = {};
  /** The organization security baseline (CloudTrail, GuardDuty, Security Hub, …; docs/security.md). */
  readonly baseline: SecurityBaseline;
  /** Aliased providers by alias (see {@link providerFor}). */
  private readonly providers = new Map<string, AwsProvider>();

  constructor(scope: Construct, props: LandingZoneStackProps) {
    super(scope, props);
    const env = this.env;
    this.awsProvider('aws');
    const org = env.organization;

    this.organization = new Organization(this, 'organization', {
      organizationalUnits: Object.fromEntries(
        Object.entries(org.organizationalUnits).map(([k, ou]) => [k, ou.name]),
      ),
      accounts: Object.fromEntries(
        Object.entries(org.accounts).map(([k, a]) => [
          k,
          {
            name: a.displayName ?? `${env.prefix}-${k}`,
            email: a.email,
            ou: a.ou,
            iamUserAccessToBilling: a.iamUserAccessToBilling,
          },
        ]),
      ),
      accountAccessRoleName: org.accountAccessRoleName,
      adopt: org.adopt,
    });
    // Every account key (`management` first) and its ID.
    const accounts = [MANAGEMENT_ACCOUNT, ...Object.keys(org.accounts)];
    const accountIds = Object.fromEntries(accounts.map((k) => [k, this.accountId(k)]));
    const targetId = (t: string) =>
      t === ORG_ROOT ? this.organization.rootId : this.organization.organizationalUnits[t].id;

    const rolePrefix = tfcRolePrefix(env.prefix);
    new ServiceControlPolicies(this, 'scp', {
      prefix: env.prefix,
      allowedRegions: env.allowedRegions,
      protectedRoleNames: [`${rolePrefix}-*`, org.accountAccessRoleName],
      attachments: Object.fromEntries(
        Object.entries(org.serviceControlPolicies).map(([name, cfg]) => [
          name as ScpName,
          (cfg?.targets ?? []).map(targetId),
        ]),
      ),
    });

    this.identityCenter = new IdentityCenter(this, 'identity-center', {
      groups: Object.fromEntries(
        Object.entries(env.identityCenter.groups).map(([k, g]) => [k, g.description]),
      ),
      users: env.identityCenter.users,
      permissionSets: env.identityCenter.permissionSets,
      assignments: env.identityCenter.assignments.map((a) => ({
        group: a.group,
        permissionSet: a.permissionSet,
        accountIds: Object.fromEntries(a.accounts.map((k) => [k, accountIds[k]])),
      })),
      tags: env.tags,
    });

    // Keyless TFC access, per account: the management account directly, member accounts
    // through an aliased provider that assumes the organization's account access role.
    const tfc = env.terraformCloud;
    const specs = planStacks(env);
    for (const account of accounts) {
      const inAccount = specs.filter((st) => st.account === account);
      if (inAccount.length === 0) continue;
      this.tfcRoles[account] = new TfcOidcRoles(this, `tfc-${account}`, {
        hostname: tfc.hostname,
        organization: tfc.organization,
        project: tfc.project,
        workspaces: inAccount.map((st) => st.workspace),
        namePrefix: rolePrefix,
        provider: this.providerFor(account),
        planStatements: PLAN_STATEMENTS_BY_KIND.filter(([kind]) =>
          inAccount.some((st) => st.kind === kind),
        ).map(([, statement]) => statement),
      });
    }

    // The management workspace's roles reach member accounts through the account access
    // role (its aliased providers need it in plan and apply), only inside this organization.
    const mgmt = this.tfcRoles[MANAGEMENT_ACCOUNT];
    const assumeMembers = new DataAwsIamPolicyDocument(this, 'assume-member-accounts', {
      statement: [
        {
          sid: 'AssumeAccountAccessRoleInOrganization',
          effect: 'Allow',
          actions: ['sts:AssumeRole'],
          resources: [`arn:aws:iam::*:role/${org.accountAccessRoleName}`],
          condition: [
            {
              test: 'StringEquals',
              variable: 'aws:ResourceOrgID',
              values: [this.organization.organization.id],
            },
          ],
        },
      ],
    });
    for (const role of [mgmt.planRole, mgmt.applyRole]) {
      new IamRolePolicy(this, `${role.node.id}-assume-member-accounts`, {
        role: role.name,
        name: 'assume-member-accounts',
        policy: assumeMembers.json,
      });
    }

    // Organization security baseline: log archive and CloudTrail, GuardDuty,
    // Security Hub, Access Analyzer, optional Config, account defaults, budgets.
    this.baseline = new SecurityBaseline(this, 'baseline', {
      prefix: env.prefix,
      homeRegion: env.homeRegion,
      allowedRegions: env.allowedRegions,
      organizationId: this.organization.organization.id,
      accountIds,
      managementAccount: MANAGEMENT_ACCOUNT,
      config: env.security,
      providerFor: (account, region) => this.providerFor(account, region),
    });

    const out = (name: string, value: unknown, description: string) =>
      new TerraformOutput(this, name, { value, description }).overrideLogicalId(name);
    out(MANAGEMENT_OUTPUTS.accountIds, accountIds, 'Account key -> AWS account ID');
    out(
      MANAGEMENT_OUTPUTS.tfcRoles,
      Object.fromEntries(
        Object.entries(this.tfcRoles).map(([k, r]) => [
          k,
          { plan_role_arn: r.planRole.arn, apply_role_arn: r.applyRole.arn },
        ]),
      ),
      'Account key -> Terraform Cloud plan and apply role ARNs in that account',
    );
    out(
      MANAGEMENT_OUTPUTS.organizationId,
      this.organization.organization.id,
      'AWS Organizations ID',
    );
    out(MANAGEMENT_OUTPUTS.rootId, this.organization.rootId, 'Organization root ID');
  }

  /**
   * The AWS provider for account `key` in `region` (default: the home region), created once
   * per (account, region) and reused:
   * - `management` in the home region: `undefined` (the stack's default provider `aws`);
   * - `management` elsewhere: `aws-management-<region>` (alias `management-<region>`);
   * - a member account in the home region: `aws-<key>` (alias `<key>`), assuming the
   *   organization's account access role in that account;
   * - a member account elsewhere: `aws-<key>-<region>` (alias `<key>-<region>`), same role.
   * @throws Error for an unknown account key
   */
  providerFor(key: string, region: string = this.env.homeRegion): AwsProvider | undefined {
    const home = region === this.env.homeRegion;
    if (key === MANAGEMENT_ACCOUNT && home) return undefined;
    const alias = home ? key : `${key}-${region}`;
    let provider = this.providers.get(alias);
    if (!provider) {
      provider =
        key === MANAGEMENT_ACCOUNT
          ? this.awsProvider(`aws-${alias}`, { alias, region })
          : this.awsProvider(`aws-${alias}`, {
              alias,
              region,
              assumeRole: {
                roleArn: this.organization.accountAccessRoleArn(key),
                sessionName: `${this.env.prefix}-management`,
              },
            });
      this.providers.set(alias, provider);
    }
    return provider;
  }

  /** Account ID for an account key (`management` or a member account). */
  accountId(key: string): string {
    if (key === MANAGEMENT_ACCOUNT) return this.organization.managementAccountId;
    const acct = this.organization.accounts[key];
    if (!acct) throw new Error(`unknown account "${key}"`);
    return acct.id;
  }
}
