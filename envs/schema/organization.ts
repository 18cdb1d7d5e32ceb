/**
 * `organization`: AWS Organizations: OUs, member accounts and service control policies.
 */
import { z } from 'zod';
import { accountId, duplicates, email, issue, name, namedRecord } from './common';

/** The built-in service control policies this landing zone knows how to write. */
export const SCP_NAMES = [
  'deny-leave-organization',
  'deny-root-user',
  'region-allow-list',
  'protect-landing-zone-roles',
] as const;
export type ScpName = (typeof SCP_NAMES)[number];

/** The reserved target name for the organization root. */
export const ORG_ROOT = 'root';
/** The reserved account key for the management account (the one that runs the management stack). */
export const MANAGEMENT_ACCOUNT = 'management';

const organizationalUnit = z
  .object({
    name: z.string().min(1).max(128).describe('Display name of the OU (1–128 characters).'),
  })
  .strict();

const account = z
  .object({
    /** Root-user email of the account; unique across the organization. */
    email,
    ou: name.describe(
      'Key of the OU (in `organization.organizationalUnits`) the account belongs to.',
    ),
    displayName: z
      .string()
      .min(1)
      .max(50)
      .optional()
      .describe('Display name (default: `<prefix>-<key>`).'),
    iamUserAccessToBilling: z
      .enum(['ALLOW', 'DENY'])
      .default('DENY')
      .describe('Whether IAM users and roles may see billing (default `DENY`).'),
  })
  .strict();

/**
 * AWS Organizations policy types the organization root can enable.
 * Source: hashicorp/terraform-provider-aws website/docs/r/organizations_organization.html.markdown
 * (`enabled_policy_types`), and the Organizations API `PolicyType` enum
 * (https://docs.aws.amazon.com/organizations/latest/APIReference/API_EnablePolicyType.html).
 */
export const POLICY_TYPES = [
  'SERVICE_CONTROL_POLICY',
  'TAG_POLICY',
  'RESOURCE_CONTROL_POLICY',
  'BACKUP_POLICY',
  'AISERVICES_OPT_OUT_POLICY',
  'CHATBOT_POLICY',
  'DECLARATIVE_POLICY_EC2',
] as const;

/**
 * SCPs that may be attached directly to one root, OU or account, `FullAWSAccess` included.
 * Source: https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html
 * ("Maximum number ... attached to a root, OU, or account": SCP 5).
 */
export const SCPS_PER_TARGET = 5;

const scp = z
  .object({
    targets: z
      .array(z.string())
      .min(1)
      .default([ORG_ROOT])
      .describe(
        'OU keys (or `root`) the policy is attached to (default `[root]`: every account of every OU, OUs created later included; the management account is never affected by SCPs).',
      ),
    exceptions: z
      .record(
        name,
        z.string().trim().min(20, 'must explain the exception in at least 20 characters'),
      )
      .default({})
      .describe(
        'OUs exempt from a root-attached policy, each with the reason (20+ characters). The policy is then attached to every configured OU except these instead of the root, so OUs created outside the config are not covered by it. Default none.',
      ),
  })
  .strict();

export const organizationSchema = z
  .object({
    organizationalUnits: namedRecord(organizationalUnit).describe(
      'OUs directly under the root, keyed by a short name.',
    ),
    accounts: namedRecord(account).describe(
      'Member accounts keyed by a short name (`management` is reserved).',
    ),
    serviceControlPolicies: z
      .object({
        'deny-leave-organization': scp.prefault({}),
        'deny-root-user': scp.prefault({}),
        'region-allow-list': scp.prefault({}),
        'protect-landing-zone-roles': scp.prefault({}),
      })
      .strict()
      .prefault({})
      .describe(
        'The built-in SCPs, keyed by policy name (see `SCP_NAMES`). All of them are always on, attached at the root unless `targets` or `exceptions` say otherwise.',
      ),
    serviceAccessPrincipals: z
      .array(
        z
          .string()
          .regex(
            /^[a-z0-9][a-z0-9.-]*\.amazonaws\.com$/,
            'must be a service principal like backup.amazonaws.com',
          ),
      )
      .default([])
      .describe(
        "Trusted-access service principals to enable besides the landing zone's own (the `Organization` construct's defaults). The provider's list is authoritative: a principal enabled in the organization but listed nowhere is disabled on the next apply, so list here what an adopted organization already uses (e.g. `backup.amazonaws.com`). Default none.",
      ),
    policyTypes: z
      .array(z.enum(POLICY_TYPES))
      .default([])
      .describe(
        'Policy types to enable at the root besides `SERVICE_CONTROL_POLICY` and `TAG_POLICY` (authoritative like `serviceAccessPrincipals`: a type enabled but not listed is disabled, detaching its policies). Default none.',
      ),
    accountAccessRoleName: z
      .string()
      .default('OrganizationAccountAccessRole')
      .describe(
        'Role name Organizations creates in each new member account (default `OrganizationAccountAccessRole`); no stack assumes it (member accounts are bootstrapped by StackSets), and the protective SCP guards it. Source: https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_accounts_access.html',
      ),
    adopt: z
      .object({
        organizationId: z
          .string()
          .regex(/^o-[a-z0-9]{10,32}$/, 'must be an organization ID like o-abcd123456')
          .optional(),
        organizationalUnits: z
          .record(
            z.string(),
            z
              .string()
              .regex(
                /^ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}$/,
                'must be an OU ID like ou-ab12-cdef3456',
              ),
          )
          .default({}),
        accounts: z.record(z.string(), accountId).default({}),
        otherScpAttachments: z
          .record(z.string(), z.number().int().min(0).max(SCPS_PER_TARGET))
          .default({})
          .describe(
            'SCPs attached outside this landing zone, besides `FullAWSAccess`, by target (`root` or an OU key): counted against the 5-per-target quota. Default none.',
          ),
      })
      .strict()
      .optional()
      .describe(
        'Adopt an existing organization: IDs of resources to import (Terraform `import` blocks) instead of creating them. Keys of `organizationalUnits`/`accounts` refer to the keys above.',
      ),
  })
  .strict();

export type OrganizationConfig = z.output<typeof organizationSchema>;

/** Cross-field rules: OU references, reserved names, unique emails and display names. */
export function checkOrganization(
  env: { prefix: string; organization: OrganizationConfig },
  ctx: z.RefinementCtx,
): void {
  const org = env.organization;
  const ous = Object.keys(org.organizationalUnits);
  for (const [key, acct] of Object.entries(org.accounts)) {
    if (key === MANAGEMENT_ACCOUNT) {
      issue(
        ctx,
        ['organization', 'accounts', key],
        `"${MANAGEMENT_ACCOUNT}" is reserved for the management account`,
      );
    }
    if (!ous.includes(acct.ou)) {
      issue(
        ctx,
        ['organization', 'accounts', key, 'ou'],
        `unknown organizational unit "${acct.ou}"`,
      );
    }
  }
  const keys = Object.keys(org.accounts);
  for (const d of duplicates(Object.values(org.accounts).map((a) => a.email.toLowerCase()))) {
    issue(
      ctx,
      ['organization', 'accounts', keys[d.index], 'email'],
      `duplicate email "${org.accounts[keys[d.index]].email}" (also used by ${keys[d.first]})`,
    );
  }
  const displayNames = keys.map((k) => org.accounts[k].displayName ?? `${env.prefix}-${k}`);
  for (const d of duplicates(displayNames)) {
    issue(
      ctx,
      ['organization', 'accounts', keys[d.index]],
      `duplicate account name "${d.value}" (also used by ${keys[d.first]})`,
    );
  }
  for (const key of Object.keys(org.adopt?.organizationalUnits ?? {})) {
    if (!ous.includes(key))
      issue(
        ctx,
        ['organization', 'adopt', 'organizationalUnits', key],
        `unknown organizational unit "${key}"`,
      );
  }
  for (const key of Object.keys(org.adopt?.accounts ?? {})) {
    if (!(key in org.accounts))
      issue(ctx, ['organization', 'adopt', 'accounts', key], `unknown account "${key}"`);
  }
  checkScps(org, ctx);
}

/** SCP targets, exceptions and the per-target quota. */
function checkScps(org: OrganizationConfig, ctx: z.RefinementCtx): void {
  const ous = Object.keys(org.organizationalUnits);
  const known = (t: string) => t === ORG_ROOT || ous.includes(t);
  for (const [policy, cfg] of Object.entries(org.serviceControlPolicies)) {
    const at = ['organization', 'serviceControlPolicies', policy];
    cfg.targets.forEach((target, i) => {
      if (!known(target))
        issue(ctx, [...at, 'targets', i], `unknown organizational unit "${target}"`);
    });
    for (const d of duplicates(cfg.targets))
      issue(ctx, [...at, 'targets', d.index], `duplicate target "${d.value}"`);
    const exceptions = Object.keys(cfg.exceptions);
    if (exceptions.length > 0 && !(cfg.targets.length === 1 && cfg.targets[0] === ORG_ROOT)) {
      issue(
        ctx,
        [...at, 'exceptions'],
        'exceptions apply to a policy attached at the root (targets: [root]); list the OUs in targets instead',
      );
    }
    for (const ou of exceptions) {
      if (!ous.includes(ou))
        issue(ctx, [...at, 'exceptions', ou], `unknown organizational unit "${ou}"`);
    }
  }
  for (const key of Object.keys(org.adopt?.otherScpAttachments ?? {})) {
    if (!known(key))
      issue(
        ctx,
        ['organization', 'adopt', 'otherScpAttachments', key],
        `unknown organizational unit "${key}"`,
      );
  }
  const counts = new Map<string, number>();
  for (const targets of Object.values(scpTargets(org)))
    for (const t of new Set(targets)) counts.set(t, (counts.get(t) ?? 0) + 1);
  for (const [target, n] of counts) {
    const other = org.adopt?.otherScpAttachments?.[target] ?? 0;
    const total = n + other + 1;
    if (total > SCPS_PER_TARGET) {
      issue(
        ctx,
        ['organization', 'serviceControlPolicies'],
        `${target === ORG_ROOT ? 'the root' : `OU "${target}"`} would have ${total} SCPs attached (${n} of this landing zone${other ? `, ${other} others` : ''} and FullAWSAccess); AWS allows ${SCPS_PER_TARGET} per root, OU or account`,
      );
    }
  }
}

/**
 * Where each built-in SCP is attached, as target keys (`root` or OU keys): its `targets`, or,
 * for a root policy with `exceptions`, every configured OU except the excepted ones.
 */
export function scpTargets(org: OrganizationConfig): Record<ScpName, string[]> {
  const ous = Object.keys(org.organizationalUnits);
  return Object.fromEntries(
    SCP_NAMES.map((policy) => {
      const cfg = org.serviceControlPolicies[policy];
      const except = Object.keys(cfg.exceptions);
      const targets =
        except.length > 0 ? ous.filter((ou) => !except.includes(ou)) : [...cfg.targets];
      return [policy, targets];
    }),
  ) as Record<ScpName, string[]>;
}
