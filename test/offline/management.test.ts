/**
 * Offline Terraform tier, part 2: the management stack under `terraform test` with a mocked
 * AWS provider (`command = apply`), asserting the TFC trust conditions and account protection
 * on the applied (mock) state.
 */
import { buildExample, dataOf, resourcesOf, synthJson } from '../support/synth';
import {
  awsAccountMocks,
  describeOffline,
  mockAwsProviders,
  testStack,
} from '../support/terraform';

describeOffline('terraform test: management stack', (tf) => {
  const json = synthJson(buildExample().management);
  const accounts = Object.keys(resourcesOf(json, 'aws_organizations_account'));
  const trustDocs = Object.keys(dataOf(json, 'aws_iam_policy_document')).filter((k) =>
    /-trust_/.test(k),
  );
  const roles = resourcesOf(json, 'aws_iam_role');
  const orgMock = `${awsAccountMocks({ accountId: '111111111111' })}
  mock_resource "aws_organizations_organization" {
    defaults = {
      id                = "o-abcdef1234"
      master_account_id = "111111111111"
      roots             = [{ id = "r-ab12", arn = "arn:aws:organizations::111111111111:root/o-abcdef1234/r-ab12", name = "Root", policy_types = [] }]
    }
  }
  mock_resource "aws_organizations_account" {
    defaults = { id = "222222222222" }
  }
  mock_resource "aws_organizations_organizational_unit" {
    defaults = { id = "ou-ab12-abcdefgh" }
  }
  mock_resource "aws_iam_service_linked_role" {
    defaults = { arn = "arn:aws:iam::111111111111:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig" }
  }
  mock_resource "aws_organizations_policy" {
    defaults = { id = "p-abcdefgh" }
  }
  mock_resource "aws_ssoadmin_permission_set" {
    defaults = { arn = "arn:aws:sso:::permissionSet/ssoins-0000000000000000/ps-0000000000000000" }
  }
  mock_resource "aws_identitystore_group" {
    defaults = { group_id = "12345678-1234-1234-1234-123456789012" }
  }
  mock_resource "aws_identitystore_user" {
    defaults = { user_id = "87654321-4321-4321-4321-210987654321" }
  }
  mock_resource "aws_iam_openid_connect_provider" {
    defaults = { arn = "arn:aws:iam::111111111111:oidc-provider/app.terraform.io" }
  }
  mock_data "aws_ssoadmin_instances" {
    defaults = {
      arns               = ["arn:aws:sso:::instance/ssoins-0000000000000000"]
      identity_store_ids = ["d-0000000000"]
    }
  }
`;
  const cond = (doc: string, variable: string) =>
    `one([for c in data.aws_iam_policy_document.${doc}.statement[0].condition : c.values if c.variable == "${variable}"])`;
  const asserts = [
    ...accounts.map(
      (a) => `  assert {
    condition     = aws_organizations_account.${a}.close_on_deletion == false
    error_message = "${a} would be closed on deletion"
  }`,
    ),
    ...trustDocs.flatMap((d) => {
      const phase = d.includes('_plan-trust') ? 'plan' : 'apply';
      return [
        `  assert {
    condition     = toset(${cond(d, 'app.terraform.io:aud')}) == toset(["aws.workload.identity"])
    error_message = "${d} does not pin the audience"
  }`,
        `  assert {
    condition     = alltrue([for s in ${cond(d, 'app.terraform.io:sub')} : can(regex("^organization:acme-analytics:project:landing-zone:workspace:acme-[a-z0-9-]+:run_phase:${phase}$", s))])
    error_message = "${d} admits a subject other than an exact workspace in the ${phase} phase"
  }`,
      ];
    }),
    ...Object.entries(roles)
      .filter(([k]) => k.startsWith('tfc-'))
      .map(
        ([k, r]: [string, any]) => `  assert {
    condition     = aws_iam_role.${k}.name == "${r.name}" && aws_iam_role.${k}.max_session_duration == 3600
    error_message = "${k} has an unexpected name or session length"
  }`,
      ),
  ];
  const test = `${mockAwsProviders(json, orgMock)}
run "apply" {
  command = apply
${asserts.join('\n')}
}
`;

  it('applies against the mocked provider with every assertion holding', () => {
    expect(accounts.length).toBeGreaterThan(1);
    expect(trustDocs.length).toBe(4);
    const out = testStack(tf, json, { 'management.tftest.hcl': test });
    expect(out).toMatch(/1 passed, 0 failed/);
  });
});
