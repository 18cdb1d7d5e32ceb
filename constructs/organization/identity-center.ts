/**
 * IAM Identity Center: permission sets, groups, users, memberships and account assignments.
 *
 * The Identity Center instance cannot be created by Terraform for an organization; it must
 * be enabled once by hand in the management account (see docs/organization.md). This construct looks it
 * up with the `aws_ssoadmin_instances` data source.
 */
import { Construct } from 'constructs';
import { Fn } from 'cdktf';
import { DataAwsSsoadminInstances } from '@cdktf/provider-aws/lib/data-aws-ssoadmin-instances';
import { IdentitystoreGroup } from '@cdktf/provider-aws/lib/identitystore-group';
import { IdentitystoreUser } from '@cdktf/provider-aws/lib/identitystore-user';
import { IdentitystoreGroupMembership } from '@cdktf/provider-aws/lib/identitystore-group-membership';
import { SsoadminPermissionSet } from '@cdktf/provider-aws/lib/ssoadmin-permission-set';
import { SsoadminManagedPolicyAttachment } from '@cdktf/provider-aws/lib/ssoadmin-managed-policy-attachment';
import { SsoadminAccountAssignment } from '@cdktf/provider-aws/lib/ssoadmin-account-assignment';

export interface PermissionSetProps {
  readonly description?: string;
  /** ISO 8601 duration, PT1H–PT12H (validated by the environment schema). */
  readonly sessionDuration: string;
  /** Managed policy ARNs to attach. */
  readonly managedPolicies: readonly string[];
  readonly relayState?: string;
}

export interface IdentityCenterUserProps {
  readonly email: string;
  readonly givenName: string;
  readonly familyName: string;
  /** Group keys. */
  readonly groups: readonly string[];
}

export interface IdentityCenterProps {
  /** Group key → description. */
  readonly groups: Record<string, string>;
  /** User key (the user name) → user. */
  readonly users: Record<string, IdentityCenterUserProps>;
  /** Permission set name → permission set. */
  readonly permissionSets: Record<string, PermissionSetProps>;
  /** Group × permission set × account IDs. */
  readonly assignments: readonly {
    group: string;
    permissionSet: string;
    accountIds: Record<string, string>;
  }[];
  /** Tags for permission sets. */
  readonly tags?: Record<string, string>;
}

/** Identity Center content for an organization; every prop maps to a resource argument. */
export class IdentityCenter extends Construct {
  /** ARN of the Identity Center instance. */
  readonly instanceArn: string;
  /** ID of the identity store. */
  readonly identityStoreId: string;
  readonly groups: Record<string, IdentitystoreGroup> = {};
  readonly users: Record<string, IdentitystoreUser> = {};
  readonly permissionSets: Record<string, SsoadminPermissionSet> = {};

  constructor(scope: Construct, id: string, props: IdentityCenterProps) {
    super(scope, id);
    const instances = new DataAwsSsoadminInstances(this, 'instance');
    this.instanceArn = Fn.element(instances.arns, 0);
    this.identityStoreId = Fn.element(instances.identityStoreIds, 0);

    for (const [key, description] of Object.entries(props.groups)) {
      this.groups[key] = new IdentitystoreGroup(this, `group-${key}`, {
        identityStoreId: this.identityStoreId,
        displayName: key,
        description: description || undefined,
      });
    }
    for (const [key, user] of Object.entries(props.users)) {
      const u = new IdentitystoreUser(this, `user-${key}`, {
        identityStoreId: this.identityStoreId,
        userName: key,
        displayName: `${user.givenName} ${user.familyName}`,
        name: { givenName: user.givenName, familyName: user.familyName },
        emails: { value: user.email, primary: true, type: 'work' },
      });
      this.users[key] = u;
      for (const g of user.groups) {
        const group = this.groupOf(g, `users.${key}.groups`);
        new IdentitystoreGroupMembership(this, `membership-${key}-${g}`, {
          identityStoreId: this.identityStoreId,
          groupId: group.groupId,
          memberId: u.userId,
        });
      }
    }
    for (const [name, ps] of Object.entries(props.permissionSets)) {
      const set = new SsoadminPermissionSet(this, `permission-set-${name}`, {
        instanceArn: this.instanceArn,
        name,
        description: ps.description || undefined,
        sessionDuration: ps.sessionDuration,
        relayState: ps.relayState,
        tags: props.tags,
      });
      this.permissionSets[name] = set;
      ps.managedPolicies.forEach((arn) => {
        const policyName = arn.split('/').pop();
        new SsoadminManagedPolicyAttachment(this, `permission-set-${name}-${policyName}`, {
          instanceArn: this.instanceArn,
          permissionSetArn: set.arn,
          managedPolicyArn: arn,
        });
      });
    }
    for (const a of props.assignments) {
      const group = this.groupOf(a.group, 'assignments');
      const set = this.permissionSets[a.permissionSet];
      if (!set) throw new Error(`assignments: unknown permission set "${a.permissionSet}"`);
      for (const [accountKey, accountId] of Object.entries(a.accountIds)) {
        new SsoadminAccountAssignment(
          this,
          `assignment-${a.group}-${a.permissionSet}-${accountKey}`,
          {
            instanceArn: this.instanceArn,
            permissionSetArn: set.arn,
            principalType: 'GROUP',
            principalId: group.groupId,
            targetType: 'AWS_ACCOUNT',
            targetId: accountId,
          },
        );
      }
    }
  }

  private groupOf(key: string, field: string): IdentitystoreGroup {
    const g = this.groups[key];
    if (!g) throw new Error(`${field}: unknown group "${key}"`);
    return g;
  }
}
