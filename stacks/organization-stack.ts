/**
 * The organization stack (management account, one provider): AWS Organizations (organization,
 * OUs, member accounts, SCPs), IAM Identity Center, StackSets trusted access and the identity
 * bootstrap of every member account through service-managed CloudFormation StackSets
 * (constructs/organization/identity-stackset.ts), and the management account's own TFC OIDC
 * provider and role pairs as plain resources. It configures no provider into a member account:
 * every provider argument of this stack is known from the configuration alone.
 */
import { Construct } from 'constructs';
import { TerraformOutput, TerraformResource, TerraformStack } from 'cdktf';
import { LandingZoneStack, type LandingZoneStackProps } from './base-stack';
import { formerSecurityServiceAddresses, resourceAddresses } from './management-migration';
import { planStacks, tfcRoleName, type StackSpec } from '../envs/stack-plan';
import { Organization } from '../constructs/organization/organization';
import { ServiceControlPolicies } from '../constructs/organization/service-control-policies';
import { IdentityCenter } from '../constructs/organization/identity-center';
import { RamSharingWithOrganization } from '@cdktf/provider-aws/lib/ram-sharing-with-organization';
import {
  planStatementsFor,
  TfcOidcRoles,
  type IamStatement,
  type WorkspaceRoleSpec,
} from '../constructs/organization/tfc-oidc-roles';
import { IdentityStackSet, identityTemplate } from '../constructs/organization/identity-stackset';
import {
  MANAGEMENT_ACCOUNT,
  ORG_ROOT,
  scpTargets,
  type ScpName,
} from '../envs/schema/organization';
import { guardDutyRegions } from '../envs/schema/security';
import { logArchiveApplyStatements } from '../constructs/baseline/log-archive';

/** Output names other stacks and the TFC stack read (via `tfe_outputs` or remote state). */
export const ORGANIZATION_OUTPUTS = {
  /** map(string): account key → account ID, `management` included. */
  accountIds: 'account_ids',
  /**
   * Stack ID → `{plan_role_arn, apply_role_arn}` of its workspace's role pair, plus
   * `aliases.<TAG>` for the extra accounts a stack reaches (the security stack's `MANAGEMENT`,
   * and `LOG_ARCHIVE` with a separate log-archive account).
   */
  tfcRoles: 'tfc_roles',
  organizationId: 'organization_id',
  rootId: 'root_id',
} as const;

/** The dynamic-credentials tag of the security stack's management-account configuration. */
export const SECURITY_MANAGEMENT_TAG = 'MANAGEMENT';
/**
 * The dynamic-credentials tag of the security stack's configuration for a separate log-archive
 * account (`security.logArchive.account`). TFC: "Your tag can only contain letters, numbers,
 * and underscores" (https://developer.hashicorp.com/terraform/cloud-docs/workspaces/dynamic-provider-credentials/specifying-multiple-configurations).
 */
export const SECURITY_LOG_ARCHIVE_TAG = 'LOG_ARCHIVE';

/**
 * What the security workspace's apply role may do in the management account: the management
 * halves of the organization security services (GuardDuty and Security Hub detectors and
 * delegated-administrator registrations, Access Analyzer and Config delegations, the
 * organization CloudTrail). Nothing else: no IAM beyond service-linked roles, no Organizations
 * writes beyond delegated administrators and service access.
 * Sources: https://docs.aws.amazon.com/guardduty/latest/ug/organizations_permissions.html,
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/creating-an-organizational-trail-prepare.html
 */
export const SECURITY_MANAGEMENT_APPLY_STATEMENTS: readonly IamStatement[] = [
  {
    Sid: 'OrganizationSecurityServices',
    Effect: 'Allow',
    Action: [
      'guardduty:*',
      'securityhub:*',
      'access-analyzer:*',
      'cloudtrail:*',
      'kms:DescribeKey',
    ],
    Resource: '*',
  },
  {
    Sid: 'DelegatedAdministrators',
    Effect: 'Allow',
    Action: [
      'organizations:RegisterDelegatedAdministrator',
      'organizations:DeregisterDelegatedAdministrator',
      'organizations:EnableAWSServiceAccess',
      'organizations:Describe*',
      'organizations:List*',
    ],
    Resource: '*',
  },
  {
    Sid: 'ServiceLinkedRoles',
    Effect: 'Allow',
    Action: ['iam:CreateServiceLinkedRole', 'iam:GetRole', 'iam:ListRoles'],
    Resource: '*',
  },
];

/** The role pair of `spec`'s workspace (names `<prefix>-<stack>-plan|apply`). */
export function workspaceRoles(
  env: { prefix: string },
  spec: StackSpec,
  extra: Partial<WorkspaceRoleSpec> = {},
): WorkspaceRoleSpec {
  return {
    stackId: spec.id,
    workspace: spec.workspace,
    roleNames: {
      plan: tfcRoleName(env, spec.id, 'plan'),
      apply: tfcRoleName(env, spec.id, 'apply'),
    },
    planStatements: planStatementsFor(spec.kind, env.prefix),
    ...extra,
  };
}

export class OrganizationStack extends LandingZoneStack {
  readonly organization: Organization;
  readonly identityCenter: IdentityCenter;
  /** The management account's OIDC provider and role pairs (plain resources). */
  readonly managementRoles: TfcOidcRoles;
  /** The shared StackSet: OIDC provider, plan-deny policy and account-stack roles in every member account. */
  readonly accountAccess?: IdentityStackSet;
  /** Per member account hosting further workspaces: its StackSet, by account key. */
  readonly hostedRoles: Record<string, IdentityStackSet> = {};
  /** AWS RAM sharing within the organization (the network stack shares subnets to cluster accounts). */
  readonly ramSharing: RamSharingWithOrganization;

  constructor(scope: Construct, props: LandingZoneStackProps) {
    super(scope, props);
    const env = this.env;
    this.awsProvider('aws');
    const org = env.organization;

    // Construct IDs as in the former management stack: the same resource addresses.
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
      additionalServiceAccessPrincipals: org.serviceAccessPrincipals,
      additionalPolicyTypes: org.policyTypes,
    });
    const accounts = [MANAGEMENT_ACCOUNT, ...Object.keys(org.accounts)];
    const accountIds = Object.fromEntries(accounts.map((k) => [k, this.accountId(k)]));
    const targetId = (t: string) =>
      t === ORG_ROOT ? this.organization.rootId : this.organization.organizationalUnits[t].id;

    // RAM shares to accounts of the organization without invitations; needs RAM trusted access
    // (`ram.amazonaws.com`). Source: https://docs.aws.amazon.com/ram/latest/userguide/getting-started-sharing.html#getting-started-sharing-orgs
    this.ramSharing = new RamSharingWithOrganization(this, 'ram-sharing', {
      dependsOn: [this.organization.organization],
    });

    new ServiceControlPolicies(this, 'scp', {
      prefix: env.prefix,
      allowedRegions: env.allowedRegions,
      // The TFC role pairs, and the StackSets execution role that creates them in member
      // accounts (as Control Tower's GRIAMROLEPOLICY protects and exempts `stacksets-exec-*`).
      // The configured account access role; the TFC role pairs (`<prefix>-*-plan|apply`) and
      // the StackSet execution roles (`stacksets-exec-*`) are protected by default
      // (landingZoneRoleNames), as Control Tower's GRIAMROLEPOLICY protects its own roles.
      protectedRoleNames: [org.accountAccessRoleName],
      attachments: Object.fromEntries(
        Object.entries(scpTargets(org)).map(([name, targets]) => [
          name as ScpName,
          targets.map(targetId),
        ]),
      ),
      exceptions: Object.fromEntries(
        Object.entries(org.serviceControlPolicies).map(([name, cfg]) => [
          name as ScpName,
          cfg?.exceptions ?? {},
        ]),
      ),
      // GuardDuty also runs outside the allowed regions (us-east-1 by default, where global
      // service events land): the security workspace's roles may call it there.
      monitoring:
        env.security.guardDuty.enabled &&
        guardDutyRegions(env).some((r) => !env.allowedRegions.includes(r))
          ? {
              principalArns: (['plan', 'apply'] as const).map(
                (phase) =>
                  `arn:aws:iam::${accountIds[env.security.securityAccount]}:role/${tfcRoleName(env, 'security', phase)}`,
              ),
              actions: ['guardduty:*'],
            }
          : undefined,
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

    const tfc = env.terraformCloud;
    const identity = {
      hostname: tfc.hostname,
      organization: tfc.organization,
      project: tfc.project,
      prefix: env.prefix,
    };
    const specs = planStacks(env).filter((s) => s.account !== undefined);
    const security = specs.find((s) => s.kind === 'security')!;

    // Management account: plain resources (a service-managed StackSet never deploys here).
    this.managementRoles = new TfcOidcRoles(this, 'tfc-management', {
      ...identity,
      workspaces: [
        ...specs.filter((s) => s.account === MANAGEMENT_ACCOUNT).map((s) => workspaceRoles(env, s)),
        workspaceRoles(env, security, { applyStatements: SECURITY_MANAGEMENT_APPLY_STATEMENTS }),
      ],
    });

    // Member accounts: the shared StackSet (account-stack roles in every member account) …
    const members = Object.keys(org.accounts);
    const target = (key: string) => ({
      key,
      accountId: accountIds[key],
      ouId: this.organization.organizationalUnits[org.accounts[key].ou].id,
    });
    const rolesOut: Record<string, unknown> = {};
    const arns = (key: string, stackId: string) => ({
      plan_role_arn: `arn:aws:iam::${accountIds[key]}:role/${tfcRoleName(env, stackId, 'plan')}`,
      apply_role_arn: `arn:aws:iam::${accountIds[key]}:role/${tfcRoleName(env, stackId, 'apply')}`,
    });
    if (members.length > 0) {
      const keyed = `${env.prefix}-account-\${AccountKey}`;
      this.accountAccess = new IdentityStackSet(this, 'tfc-account-access', {
        name: `${env.prefix}-tfc-account-access`,
        description: `Terraform Cloud OIDC provider and account-stack roles of the ${env.prefix} landing zone`,
        mode: 'shared',
        region: env.homeRegion,
        template: identityTemplate({
          ...identity,
          description: `Terraform Cloud OIDC provider, plan-deny policy and the account-<key> workspace roles (${env.prefix})`,
          createShared: true,
          accountKeyParameter: true,
          workspaces: [
            {
              stackId: 'account',
              workspace: keyed,
              roleNames: { plan: `${keyed}-plan`, apply: `${keyed}-apply` },
            },
          ],
        }),
        targets: members.map(target),
        dependsOn: [this.organization.organization],
      });
    }
    // … and one StackSet per member account hosting further workspaces. A separate log-archive
    // account hosts the security workspace's second member pair (LOG_ARCHIVE), limited to the
    // archive (logArchiveApplyStatements).
    const archiveKey = env.security.logArchive.account;
    const separateArchive = archiveKey !== security.account;
    for (const key of members) {
      const hosted = specs
        .filter((s) => s.account === key && s.kind !== 'account')
        .map((s) => workspaceRoles(env, s));
      if (separateArchive && key === archiveKey)
        hosted.push(
          workspaceRoles(env, security, { applyStatements: logArchiveApplyStatements(env.prefix) }),
        );
      for (const s of specs.filter((x) => x.account === key)) rolesOut[s.id] = arns(key, s.id);
      if (hosted.length === 0) continue;
      this.hostedRoles[key] = new IdentityStackSet(this, `tfc-${key}`, {
        name: `${env.prefix}-tfc-${key}`,
        description: `Terraform Cloud roles of the workspaces deploying to account ${key}`,
        mode: 'account',
        region: env.homeRegion,
        template: identityTemplate({
          ...identity,
          description: `Terraform Cloud roles of ${hosted.map((w) => w.stackId).join(', ')}`.slice(
            0,
            1024,
          ),
          createShared: false,
          workspaces: hosted,
        }),
        targets: [{ ...target(key), dependsOn: [this.accountAccess!.instances[key]] }],
        dependsOn: [this.organization.organization],
      });
    }
    for (const [stackId, pair] of Object.entries(this.managementRoles.roles)) {
      const value = { plan_role_arn: pair.plan.arn, apply_role_arn: pair.apply.arn };
      if (stackId === security.id) {
        rolesOut[stackId] = {
          ...(rolesOut[stackId] as object),
          aliases: {
            [SECURITY_MANAGEMENT_TAG]: value,
            ...(separateArchive ? { [SECURITY_LOG_ARCHIVE_TAG]: arns(archiveKey, stackId) } : {}),
          },
        };
      } else rolesOut[stackId] = value;
    }

    const out = (name: string, value: unknown, description: string) =>
      new TerraformOutput(this, name, { value, description }).overrideLogicalId(name);
    out(ORGANIZATION_OUTPUTS.accountIds, accountIds, 'Account key -> AWS account ID');
    out(
      ORGANIZATION_OUTPUTS.tfcRoles,
      rolesOut,
      'Stack ID -> Terraform Cloud plan and apply role ARNs of its workspace',
    );
    out(
      ORGANIZATION_OUTPUTS.organizationId,
      this.organization.organization.id,
      'AWS Organizations ID',
    );
    out(ORGANIZATION_OUTPUTS.rootId, this.organization.rootId, 'Organization root ID');
  }

  /**
   * Migration from the former single management stack: `removed { lifecycle { destroy = false } }`
   * for every resource that now lives in another stack (`stacks`: same construct paths, so the
   * same addresses) and for the former per-account TFC roles ({@link formerTfcRoleAddresses}).
   * Terraform forgets them without destroying anything; a `removed` block for an address not
   * in state is a no-op, so a fresh organization is unaffected.
   * Source: https://developer.hashicorp.com/terraform/language/resources/syntax#removing-resources
   */
  retireMovedResources(stacks: readonly TerraformStack[]): void {
    const addresses = [
      ...stacks.flatMap((st) => resourceAddresses(st)),
      ...formerSecurityServiceAddresses(this.env),
      ...formerTfcRoleAddresses([
        MANAGEMENT_ACCOUNT,
        ...Object.keys(this.env.organization.accounts),
      ]),
    ];
    this.addOverride(
      'removed',
      [...new Set(addresses)].map((from) => ({ from, lifecycle: { destroy: false } })),
    );
  }

  /** Account ID for an account key (`management` or a member account). */
  accountId(key: string): string {
    if (key === MANAGEMENT_ACCOUNT) return this.organization.managementAccountId;
    const acct = this.organization.accounts[key];
    if (!acct) throw new Error(`unknown account "${key}"`);
    return acct.id;
  }
}

/**
 * Addresses of the former layout's TFC roles (one `TfcOidcRoles` per account under
 * `tfc-<key>`, roles `<prefix>-tfc-plan|apply`, plus the management roles' policies to assume
 * the account access role), computed with cdktf's own logical-ID allocation on a scratch stack
 * of the same construct paths. The management account's OIDC provider keeps its address
 * (`tfc-management/oidc-provider`) and is not listed.
 */
export function formerTfcRoleAddresses(accountKeys: readonly string[]): string[] {
  const scratch = new TerraformStack(new Construct(undefined as never, 'former'), 'management');
  const ids: [string | undefined, string, string][] = [
    [undefined, 'plan-role-assume-member-accounts', 'aws_iam_role_policy'],
    [undefined, 'apply-role-assume-member-accounts', 'aws_iam_role_policy'],
  ];
  for (const key of accountKeys) {
    if (key !== MANAGEMENT_ACCOUNT)
      ids.push([`tfc-${key}`, 'oidc-provider', 'aws_iam_openid_connect_provider']);
    ids.push(
      [`tfc-${key}`, 'plan-role', 'aws_iam_role'],
      [`tfc-${key}`, 'apply-role', 'aws_iam_role'],
      [`tfc-${key}`, 'plan-ReadOnlyAccess', 'aws_iam_role_policy_attachment'],
      [`tfc-${key}`, 'apply-AdministratorAccess', 'aws_iam_role_policy_attachment'],
      [`tfc-${key}`, 'plan-extra-policy', 'aws_iam_role_policy'],
    );
  }
  const scopes = new Map<string, Construct>();
  return ids.map(([scope, id, type]) => {
    let parent: Construct = scratch;
    if (scope) {
      parent = scopes.get(scope) ?? new Construct(scratch, scope);
      scopes.set(scope, parent);
    }
    const element = new TerraformResource(parent, id, { terraformResourceType: type });
    return `${type}.${scratch.getLogicalId(element)}`;
  });
}
