/**
 * `identityCenter`: IAM Identity Center groups, users, permission sets and assignments.
 */
import { z } from 'zod';
import { duplicates, email, issue, managedPolicyArn, namedRecord } from './common';
import { MANAGEMENT_ACCOUNT, type OrganizationConfig } from './organization';

/** Shortest and longest session an Identity Center permission set allows, in minutes. */
export const SESSION_MINUTES = { min: 60, max: 720 } as const;

/**
 * Minutes in an ISO 8601 duration of the form `PT<h>H<m>M`, or `undefined` if the text is
 * not of that form.
 */
export function durationMinutes(iso: string): number | undefined {
  const m = /^PT(?:(\d+)H)?(?:(\d+)M)?$/.exec(iso);
  if (!m || (m[1] === undefined && m[2] === undefined)) return undefined;
  return Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0);
}

const group = z.object({ description: z.string().max(1024).default('') }).strict();

const user = z
  .object({
    email,
    givenName: z.string().min(1).max(128),
    familyName: z.string().min(1).max(128),
    groups: z
      .array(z.string())
      .default([])
      .describe('Group keys (in `identityCenter.groups`) the user is a member of.'),
  })
  .strict();

const permissionSet = z
  .object({
    description: z.string().max(700).default(''),
    sessionDuration: z
      .string()
      .default('PT1H')
      .describe(
        'Session duration, ISO 8601, between PT1H and PT12H (AWS limits). Source: https://docs.aws.amazon.com/singlesignon/latest/APIReference/API_CreatePermissionSet.html',
      ),
    managedPolicies: z
      .array(managedPolicyArn)
      .default([])
      .describe('AWS- or customer-managed policy ARNs attached to the permission set.'),
    relayState: z.url().optional().describe('Optional URL the console opens after sign-in.'),
  })
  .strict();

const assignment = z
  .object({
    group: z.string(),
    permissionSet: z.string(),
    accounts: z
      .array(z.string())
      .min(1)
      .describe('Account keys (`management` or keys of `organization.accounts`).'),
  })
  .strict();

export const identityCenterSchema = z
  .object({
    groups: namedRecord(group),
    users: namedRecord(user).default({}),
    permissionSets: z
      .record(
        z.string().regex(/^[\w+=,.@-]{1,32}$/, 'must be 1-32 characters of [A-Za-z0-9_+=,.@-]'),
        permissionSet,
      )
      .describe("Keyed by the permission set's name (1–32 characters of `[\\w+=,.@-]`)."),
    assignments: z.array(assignment).default([]),
  })
  .strict();

export type IdentityCenterConfig = z.output<typeof identityCenterSchema>;

/** Cross-field rules: group, permission set and account references; session durations. */
export function checkIdentityCenter(
  env: { identityCenter: IdentityCenterConfig; organization: OrganizationConfig },
  ctx: z.RefinementCtx,
): void {
  const ic = env.identityCenter;
  const groups = Object.keys(ic.groups);
  const accounts = [MANAGEMENT_ACCOUNT, ...Object.keys(env.organization.accounts)];
  for (const [key, u] of Object.entries(ic.users)) {
    for (const d of duplicates(u.groups))
      issue(
        ctx,
        ['identityCenter', 'users', key, 'groups', d.index],
        `duplicate group "${d.value}" (also groups[${d.first}])`,
      );
    u.groups.forEach((g, i) => {
      if (!groups.includes(g))
        issue(ctx, ['identityCenter', 'users', key, 'groups', i], `unknown group "${g}"`);
    });
  }
  const emails = new Map<string, string>();
  for (const [key, u] of Object.entries(ic.users)) {
    const other = emails.get(u.email.toLowerCase());
    if (other)
      issue(
        ctx,
        ['identityCenter', 'users', key, 'email'],
        `duplicate email "${u.email}" (also used by ${other})`,
      );
    else emails.set(u.email.toLowerCase(), key);
  }
  for (const [key, ps] of Object.entries(ic.permissionSets)) {
    for (const d of duplicates(ps.managedPolicies))
      issue(
        ctx,
        ['identityCenter', 'permissionSets', key, 'managedPolicies', d.index],
        `duplicate policy "${d.value}" (also managedPolicies[${d.first}])`,
      );
    const minutes = durationMinutes(ps.sessionDuration);
    if (minutes === undefined) {
      issue(
        ctx,
        ['identityCenter', 'permissionSets', key, 'sessionDuration'],
        `"${ps.sessionDuration}" is not an ISO 8601 duration like PT4H or PT1H30M`,
      );
    } else if (minutes < SESSION_MINUTES.min || minutes > SESSION_MINUTES.max) {
      issue(
        ctx,
        ['identityCenter', 'permissionSets', key, 'sessionDuration'],
        `"${ps.sessionDuration}" is outside PT1H-PT12H`,
      );
    }
  }
  // One SsoadminAccountAssignment per (group, permission set, account): a repeat is refused
  // here (it would be a duplicate construct and a duplicate AWS assignment).
  const seen = new Map<string, string>();
  ic.assignments.forEach((a, i) => {
    a.accounts.forEach((acct, j) => {
      const key = JSON.stringify([a.group, a.permissionSet, acct]);
      const first = seen.get(key);
      if (first)
        issue(
          ctx,
          ['identityCenter', 'assignments', i, 'accounts', j],
          `group "${a.group}" already has permission set "${a.permissionSet}" in account "${acct}" (${first})`,
        );
      else seen.set(key, `identityCenter.assignments[${i}].accounts[${j}]`);
    });
  });
  ic.assignments.forEach((a, i) => {
    const path = ['identityCenter', 'assignments', i];
    if (!groups.includes(a.group)) issue(ctx, [...path, 'group'], `unknown group "${a.group}"`);
    if (!(a.permissionSet in ic.permissionSets))
      issue(ctx, [...path, 'permissionSet'], `unknown permission set "${a.permissionSet}"`);
    a.accounts.forEach((acct, j) => {
      if (!accounts.includes(acct))
        issue(ctx, [...path, 'accounts', j], `unknown account "${acct}"`);
    });
  });
}
