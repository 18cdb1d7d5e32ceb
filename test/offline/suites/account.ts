/**
 * Offline Terraform tier: one account stack (`account-production`, as the app synthesizes it)
 * under `terraform test` with mocked AWS providers (`command = apply`): EBS encryption by default
 * in every allowed region, the account public access block and the password policy hold in the
 * applied (mock) state.
 */
import { buildExample, resourcesOf, synthJson } from '../../support/synth';
import { exampleEnv } from '../../support/env';
import { awsAccountMocks, describeOffline, mockAwsProviders } from '../../support/terraform';
import { batch, useTerraform } from './batch';

describeOffline('terraform test: account stack', (tf) => {
  useTerraform(tf);
  // Config off (Security Hub off with it): the recorders' delivery channel reads the security
  // stack's log archive, a cross-stack reference this single-stack test cannot resolve
  // (test/offline/validate-all.test.ts validates the recorders through the whole app).
  const json = synthJson(
    buildExample(
      exampleEnv((raw) => {
        raw.security.securityHub = { enabled: false };
        raw.security.config = { enabled: false };
      }),
    ).accounts.production,
  );
  const ebs = Object.entries<any>(resourcesOf(json, 'aws_ebs_encryption_by_default'));
  const [pab] = Object.keys(resourcesOf(json, 'aws_s3_account_public_access_block'));
  const [pwd] = Object.keys(resourcesOf(json, 'aws_iam_account_password_policy'));
  const asserts = [
    ...ebs.map(
      ([k]) => `  assert {
    condition     = aws_ebs_encryption_by_default.${k}.enabled == true
    error_message = "${k} is off"
  }`,
    ),
    `  assert {
    condition     = aws_s3_account_public_access_block.${pab}.block_public_acls && aws_s3_account_public_access_block.${pab}.block_public_policy && aws_s3_account_public_access_block.${pab}.ignore_public_acls && aws_s3_account_public_access_block.${pab}.restrict_public_buckets
    error_message = "the account public access block is not complete"
  }`,
    `  assert {
    condition     = aws_iam_account_password_policy.${pwd}.minimum_password_length >= 14
    error_message = "the password policy is weaker than 14 characters"
  }`,
  ];
  const test = `${mockAwsProviders(json, awsAccountMocks())}
run "apply" {
  command = apply
${asserts.join('\n')}
}
`;

  batch.add('account', { stack: json, tests: { 'account.tftest.hcl': test } });
  it('applies against the mocked provider with every assertion holding', async () => {
    expect(ebs.map(([, e]) => e.provider ?? 'aws')).toEqual(['aws', 'aws.eu-west-1']);
    expect(json.data?.terraform_remote_state).toBeUndefined();
    expect(await batch.result('account')).toEqual({ passed: 1, failed: 0, output: '' });
  });
});
