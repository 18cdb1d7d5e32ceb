/**
 * Offline Terraform tier, part 2: the organization stack under `terraform test` with a mocked
 * AWS provider (`command = apply`), asserting on the applied (mock) state: account protection,
 * the TFC trust conditions of the management account's roles, and one StackSet instance per
 * member account targeting exactly that account, whose template trusts exactly its workspaces.
 */
import { dataOf, resourcesOf, sharedExample, synthJson } from '../../support/synth';
import { awsAccountMocks, describeOffline, mockAwsProviders } from '../../support/terraform';
import { batch, useTerraform } from './batch';

describeOffline('terraform test: organization stack', (tf) => {
  useTerraform(tf);
  const lz = sharedExample();
  const json = synthJson(lz.organization);
  const accounts = Object.keys(resourcesOf(json, 'aws_organizations_account'));
  const trustDocs = Object.keys(dataOf(json, 'aws_iam_policy_document')).filter((k) =>
    /-trust_/.test(k),
  );
  const instances = Object.keys(resourcesOf(json, 'aws_cloudformation_stack_set_instance'));
  const sets = resourcesOf(json, 'aws_cloudformation_stack_set');
  const setOf = (name: string) => Object.keys(sets).find((k) => sets[k].name === name)!;
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
  mock_resource "aws_iam_policy" {
    defaults = { arn = "arn:aws:iam::111111111111:policy/acme-tfc-plan-deny" }
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
      const [, stack, phase] = /^tfc-management_(.+)-(plan|apply)-trust_/.exec(d)!;
      return [
        `  assert {
    condition     = toset(${cond(d, 'app.terraform.io:aud')}) == toset(["aws.workload.identity"])
    error_message = "${d} does not pin the audience"
  }`,
        `  assert {
    condition     = toset(${cond(d, 'app.terraform.io:sub')}) == toset(["organization:acme-analytics:project:landing-zone:workspace:acme-${stack}:run_phase:${phase}"])
    error_message = "${d} admits a subject other than exactly workspace acme-${stack} in the ${phase} phase"
  }`,
      ];
    }),
    ...instances.map((i) => {
      const key = i.startsWith('tfc-account-access')
        ? i.split('_')[1].replace('instance-', '')
        : i.split('_')[0].replace('tfc-', '');
      const acct = Object.keys(resourcesOf(json, 'aws_organizations_account')).find((a) =>
        a.startsWith(`organization_account-${key}_`),
      );
      return `  assert {
    condition     = aws_cloudformation_stack_set_instance.${i}.deployment_targets[0].accounts == toset([aws_organizations_account.${acct}.id]) && aws_cloudformation_stack_set_instance.${i}.deployment_targets[0].account_filter_type == "INTERSECTION"
    error_message = "${i} does not target exactly account ${key}"
  }`;
    }),
    `  assert {
    condition     = jsondecode(aws_cloudformation_stack_set.${setOf('acme-tfc-production')}.template_body).Resources.NetworkApplyRole.Properties.AssumeRolePolicyDocument.Statement[0].Condition.StringEquals["app.terraform.io:sub"] == "organization:acme-analytics:project:landing-zone:workspace:acme-network:run_phase:apply"
    error_message = "the production template does not trust exactly the network workspace's apply phase"
  }`,
    `  assert {
    condition     = aws_cloudformation_stack_set.${setOf('acme-tfc-production')}.parameters["TargetAccountId"] == "222222222222" && aws_cloudformation_stack_set.${setOf('acme-tfc-production')}.permission_model == "SERVICE_MANAGED"
    error_message = "the production StackSet is not service-managed for the production account only"
  }`,
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

  batch.add('organization', { stack: json, tests: { 'organization.tftest.hcl': test } });
  it('applies against the mocked provider with every assertion holding', async () => {
    expect(accounts.length).toBeGreaterThan(1);
    expect(trustDocs.length).toBe(6);
    expect(instances.length).toBe(4); // shared × (security, production) + hosted × 2
    expect(await batch.result('organization')).toEqual({ passed: 1, failed: 0, output: '' });
  });
});
