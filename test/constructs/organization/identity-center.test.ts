/**
 * The IdentityCenter construct on its own: every prop maps to a resource argument.
 */
import { Testing, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import {
  IdentityCenter,
  type IdentityCenterProps,
} from '../../../constructs/organization/identity-center';

const base: IdentityCenterProps = {
  groups: { admins: 'Administrators', readers: '' },
  users: {
    jdoe: {
      email: 'j@x.example',
      givenName: 'J',
      familyName: 'Doe',
      groups: ['admins', 'readers'],
    },
  },
  permissionSets: {
    Admin: {
      description: 'Full',
      sessionDuration: 'PT2H',
      managedPolicies: ['arn:aws:iam::aws:policy/AdministratorAccess'],
      relayState: 'https://console.aws.amazon.com/',
    },
  },
  assignments: [
    {
      group: 'admins',
      permissionSet: 'Admin',
      accountIds: { prod: '111111111111', dev: '222222222222' },
    },
  ],
  tags: { Team: 'platform' },
};

function synth(props: IdentityCenterProps = base) {
  const stack = new TerraformStack(Testing.app(), 'test');
  new AwsProvider(stack, 'aws', { region: 'eu-central-1' });
  new IdentityCenter(stack, 'ic', props);
  return JSON.parse(Testing.synth(stack));
}

describe('IdentityCenter', () => {
  const json = synth();

  it('looks the instance up instead of creating one', () => {
    expect(Object.keys(json.data.aws_ssoadmin_instances)).toHaveLength(1);
    const ps = Object.values<any>(json.resource.aws_ssoadmin_permission_set)[0];
    expect(ps.instance_arn).toMatch(/element\(data\.aws_ssoadmin_instances\..*\.arns, 0\)/);
  });

  it('maps every permission set field', () => {
    expect(Object.values<any>(json.resource.aws_ssoadmin_permission_set)[0]).toMatchObject({
      name: 'Admin',
      description: 'Full',
      session_duration: 'PT2H',
      relay_state: 'https://console.aws.amazon.com/',
      tags: { Team: 'platform' },
    });
    expect(
      Object.values<any>(json.resource.aws_ssoadmin_managed_policy_attachment)[0]
        .managed_policy_arn,
    ).toBe('arn:aws:iam::aws:policy/AdministratorAccess');
  });

  it('creates one membership per group of a user and one assignment per account', () => {
    expect(Object.keys(json.resource.aws_identitystore_group_membership)).toHaveLength(2);
    const targets = Object.values<any>(json.resource.aws_ssoadmin_account_assignment)
      .map((a) => a.target_id)
      .sort();
    expect(targets).toEqual(['111111111111', '222222222222']);
    const groups = Object.values<any>(json.resource.aws_identitystore_group);
    expect(groups.find((g) => g.display_name === 'readers').description).toBeUndefined();
  });

  it('rejects references to unknown groups and permission sets', () => {
    expect(() =>
      synth({ ...base, users: { x: { ...base.users.jdoe, groups: ['nobody'] } } }),
    ).toThrow('users.x.groups: unknown group "nobody"');
    expect(() =>
      synth({ ...base, assignments: [{ group: 'admins', permissionSet: 'Nope', accountIds: {} }] }),
    ).toThrow('assignments: unknown permission set "Nope"');
  });
});
