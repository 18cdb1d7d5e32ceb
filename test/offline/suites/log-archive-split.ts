/**
 * Offline Terraform tier for the separate log-archive account (test/support/log-archive-split.ts):
 * the variant's security stack (three dynamic-credentials configurations, the archive on the
 * `log-archive` provider), organization stack (the security roles in the log-archive
 * account's StackSet) and the log-archive account's own stack, synthesized through a real app
 * (cross-stack references become `terraform_remote_state` reads), pass `terraform validate`
 * against hashicorp/aws from the local mirror; the security stack also applies against mocked
 * providers with the organization's outputs overridden (`override_data`), so the account IDs
 * the archive is named and keyed with are the log-archive account's, as Terraform evaluates
 * them.
 */
import { splitArchiveEnv } from '../../support/log-archive-split';
import {
  SECURITY_HUB_POLICY_MOCK,
  awsAccountMocks,
  describeOffline,
  mockAwsProviders,
} from '../../support/terraform';
import { batch, useTerraform } from './batch';
import { overrideRemoteState } from '../../support/two-accounts';
import { dataOf, resourcesOf, synthApp } from '../../support/synth';

// `terraform validate` of this variant's security, organization and log-archive account
// stacks runs with every other stack's in test/offline/validate-all.test.ts.
describeOffline('terraform with a separate log-archive account', (tf) => {
  useTerraform(tf);
  const stacks = synthApp(splitArchiveEnv());
  const stack = (id: string) => stacks[id];

  it('reads the archive account through remote state, not a resource of its own stack', () => {
    const security = stack('security');
    const bucket = Object.values<any>(security.resource.aws_s3_bucket)[0];
    expect(bucket.provider).toBe('aws.log-archive');
    expect(bucket.bucket).toMatch(/^acme-log-archive-\$\{data\.terraform_remote_state\./);
  });

  {
    const security = stack('security');
    const ids: [RegExp, string][] = [
      [/account-log-archive_/, '"333333333333"'],
      [/account-security_/, '"222222222222"'],
      [/account-production_/, '"444444444444"'],
      [/master_account_id/, '"111111111111"'],
      [/roots/, '"r-ab12"'],
      [/aws_organizations_organization[^.]*\.id/, '"o-abcdef1234"'],
    ];
    const override = overrideRemoteState(security, stack('organization'), 'organization', (v) => {
      const hit = ids.find(([re]) => re.test(v));
      return hit ? hit[1] : '"unused"';
    });
    const name = (type: string, pattern: RegExp) =>
      Object.keys(resourcesOf(security, type)).find((k) => pattern.test(k))!;
    const bucket = `aws_s3_bucket.${name('aws_s3_bucket', /log-archive/)}`;
    const lock = `aws_s3_bucket_object_lock_configuration.${name('aws_s3_bucket_object_lock_configuration', /log-archive/)}`;
    const trail = `aws_cloudtrail.${name('aws_cloudtrail', /trail/)}`;
    const doc = (pattern: RegExp) =>
      `data.aws_iam_policy_document.${Object.keys(dataOf(security, 'aws_iam_policy_document')).find((k) => pattern.test(k))!}`;
    const bucketDoc = doc(/log-archive_bucket_policy-document/);
    const keyDoc = doc(/log-archive_key_policy/);
    const mocks = `${awsAccountMocks({ accountId: '333333333333' })}${SECURITY_HUB_POLICY_MOCK}`;
    const test = `${mockAwsProviders(security, mocks)}
run "apply" {
  command = apply
${override}

  assert {
    condition     = ${bucket}.bucket == "acme-log-archive-333333333333"
    error_message = "the archive is not named for the log-archive account"
  }
  assert {
    condition     = ${lock}.rule[0].default_retention[0].mode == "GOVERNANCE" && ${lock}.rule[0].default_retention[0].days == 365
    error_message = "the archive is not locked"
  }
  assert {
    condition     = one(one([for s in ${bucketDoc}.statement : s if s.sid == "DenyProtectionChanges"]).condition).values == tolist(["arn:aws:iam::333333333333:role/acme-security-apply"])
    error_message = "someone else than the security workspace's apply role in the log-archive account may change the protections"
  }
  assert {
    condition     = one(${keyDoc}.statement[0].principals).identifiers == toset(["arn:aws:iam::333333333333:root"])
    error_message = "the key delegates to another account's IAM than the log-archive account's"
  }
  assert {
    condition     = ${trail}.s3_bucket_name == ${bucket}.bucket && ${trail}.is_organization_trail
    error_message = "the organization trail does not deliver to the archive"
  }
}
`;
    batch.add('log-archive', { stack: security, tests: { 'log-archive.tftest.hcl': test } });
  }

  it('applies the security stack against mocked providers: archive named, keyed and guarded for the log-archive account', async () => {
    expect(await batch.result('log-archive')).toEqual({ passed: 1, failed: 0, output: '' });
  });
});
