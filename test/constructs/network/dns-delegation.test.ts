/**
 * DnsDelegationRoles and SubnetShare guards (constructs/network/). The role-name limit is IAM's
 * (64 characters, https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html);
 * lowercase names follow the AWS CDK's delegation validation ("delegated zone name cannot contain
 * uppercase characters", aws/aws-cdk packages/aws-cdk-lib/aws-route53/lib/util.ts), since
 * `route53:ChangeResourceRecordSetsNormalizedRecordNames` compares normalized (lowercase) names
 * (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/specifying-rrset-conditions.html).
 */
import { Testing, TerraformStack } from 'cdktf';
import {
  DnsDelegationRoles,
  dnsReaderRoleArnPattern,
} from '../../../constructs/network/dns-delegation';
import { SubnetShare } from '../../../constructs/network/subnet-share';

const props = {
  name: 'acme-c-02-dns',
  parentZoneArn: 'arn:aws:route53:::hostedzone/Z0PARENT',
  childZoneName: 'c-02.acme.example',
  partition: 'aws',
  trustedAccountId: '100000000001',
  trustedRoleNames: { plan: 'acme-tfc-plan', apply: 'acme-tfc-apply' },
};

describe('DnsDelegationRoles', () => {
  it('refuses an uppercase zone name and a role name over 64 characters', () => {
    const stack = new TerraformStack(Testing.app(), 's');
    expect(
      () => new DnsDelegationRoles(stack, 'a', { ...props, childZoneName: 'C-02.acme.example' }),
    ).toThrow('a: zone name C-02.acme.example must be lowercase');
    expect(() => new DnsDelegationRoles(stack, 'b', { ...props, name: 'x'.repeat(59) })).toThrow(
      /role name x+-writer exceeds 64 characters/,
    );
  });

  it('caps sessions at one hour and keeps descriptions within IAM limits', () => {
    const stack = new TerraformStack(Testing.app(), 's');
    new DnsDelegationRoles(stack, 'roles', props);
    const roles = Object.values(JSON.parse(Testing.synth(stack)).resource.aws_iam_role) as any[];
    expect(roles.map((r) => r.name).sort()).toEqual([
      'acme-c-02-dns-reader',
      'acme-c-02-dns-writer',
    ]);
    for (const r of roles) {
      expect(r.max_session_duration).toBe(3600);
      // hashicorp/aws 5.100.0: "expected length of description to be in the range (0 - 1000)".
      expect(r.description.length).toBeLessThanOrEqual(1000);
      expect(r.description).not.toMatch(/[“‘]/);
    }
  });
});

describe('SubnetShare', () => {
  it('refuses an empty share', () => {
    const stack = new TerraformStack(Testing.app(), 's');
    expect(
      () => new SubnetShare(stack, 'share', { name: 'x', subnetArns: {}, principalAccountId: '1' }),
    ).toThrow('share: no subnets to share');
  });
});

describe('dnsReaderRoleArnPattern', () => {
  it('matches the read-only delegation roles of this landing zone, never the writer', () => {
    // IAM ARN matching: `*` matches any run of characters
    // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html)
    const re = new RegExp(
      `^${dnsReaderRoleArnPattern('acme')
        .split('*')
        .map((p) => p.replace(/[.+?^$()|[\]\\/]/g, '\\$&'))
        .join('.*')}$`,
    );
    expect(dnsReaderRoleArnPattern('acme')).toBe('arn:aws:iam::*:role/acme-*-dns-reader');
    expect(re.test('arn:aws:iam::123456789012:role/acme-c-02-dns-reader')).toBe(true);
    expect(re.test('arn:aws:iam::123456789012:role/acme-c-02-dns-writer')).toBe(false);
    expect(re.test('arn:aws:iam::123456789012:role/other-c-02-dns-reader')).toBe(false);
  });
});
