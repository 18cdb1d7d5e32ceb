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

const scp = z
  .object({
    targets: z.array(z.string()).min(1).describe('OU keys (or `root`) the policy is attached to.'),
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
      .partialRecord(z.enum(SCP_NAMES), scp)
      .default({})
      .describe('Built-in SCPs to attach, keyed by policy name (see `SCP_NAMES`).'),
    accountAccessRoleName: z
      .string()
      .default('OrganizationAccountAccessRole')
      .describe(
        'Role name Organizations creates in each new member account and that the management stack assumes to bootstrap it (default `OrganizationAccountAccessRole`). Source: https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_accounts_access.html',
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
  for (const [policy, cfg] of Object.entries(org.serviceControlPolicies)) {
    cfg?.targets.forEach((target, i) => {
      if (target !== ORG_ROOT && !ous.includes(target)) {
        issue(
          ctx,
          ['organization', 'serviceControlPolicies', policy, 'targets', i],
          `unknown organizational unit "${target}"`,
        );
      }
    });
  }
}
