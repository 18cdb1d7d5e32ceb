/**
 * Offline Terraform tier for the network stack: `terraform test` (its `terraform validate` runs in
 * test/offline/validate-all.test.ts)
 * against `mock_provider "aws"` (`command = apply`) asserting that every private route table
 * routes 0.0.0.0/0 to a fck-nat ENI (the one of its AZ) and that the NAT launch templates
 * require IMDSv2. Skips with one line when the Terraform CLI or provider mirror is missing.
 */
import { dataOf, resourcesOf, sharedExample, synthJson } from '../../support/synth';
import { overrideRemoteState, synthTwoAccounts } from '../../support/two-accounts';
import {
  awsAccountMocks,
  describeOffline,
  mockAwsProviders,
  providersAvailable,
} from '../../support/terraform';
import { batch, useTerraform } from './batch';

/**
 * Mocked data sources return random strings; give the ones whose values reach validated
 * arguments (AMI ID, ARNs built from partition/region/account) realistic values.
 */
const MOCKS = `${awsAccountMocks()}
  mock_data "aws_ami" {
    defaults = { id = "ami-0123456789abcdef0", root_device_name = "/dev/xvda", architecture = "arm64" }
  }
  mock_resource "aws_iam_instance_profile" {
    defaults = { arn = "arn:aws:iam::123456789012:instance-profile/mock" }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:aws:logs:eu-central-1:123456789012:log-group:/mock" }
  }
  mock_resource "aws_launch_template" {
    defaults = { id = "lt-0123456789abcdef0", latest_version = 1 }
  }
`;

/** The `terraform test` file: one `run` (apply) with an assertion per private route table and launch template. */
function networkTestFile(stack: Record<string, any>): string {
  const tables = resourcesOf(stack, 'aws_route_table');
  const routes = resourcesOf(stack, 'aws_route');
  const enis = Object.keys(resourcesOf(stack, 'aws_network_interface'));
  const allEniIds = `[${enis.map((e) => `aws_network_interface.${e}.id`).join(', ')}]`;
  const asserts: string[] = [];
  const privateTables = Object.entries(tables).filter(([, t]) =>
    /-private-/.test(t.tags?.Name ?? ''),
  );
  if (privateTables.length === 0) throw new Error('no private route tables in the network stack');
  for (const [table, t] of privateTables) {
    const az = t.tags.Name.replace(/^.*-private-/, '');
    const route = Object.entries(routes).find(
      ([, r]) =>
        r.route_table_id === `\${aws_route_table.${table}.id}` &&
        r.destination_cidr_block === '0.0.0.0/0',
    );
    if (!route) throw new Error(`private route table ${table} has no default route`);
    const own =
      enis.find((e) =>
        resourcesOf(stack, 'aws_network_interface')[e].tags?.Name?.endsWith(`-nat-${az}`),
      ) ?? enis[0];
    asserts.push(`  assert {
    condition     = aws_route.${route[0]}.route_table_id == aws_route_table.${table}.id && aws_route.${route[0]}.destination_cidr_block == "0.0.0.0/0"
    error_message = "private route table ${t.tags.Name} has no 0.0.0.0/0 route"
  }
  assert {
    condition     = contains(${allEniIds}, aws_route.${route[0]}.network_interface_id) && aws_route.${route[0]}.network_interface_id == aws_network_interface.${own}.id
    error_message = "private route table ${t.tags.Name} does not route 0.0.0.0/0 to its fck-nat ENI"
  }
  assert {
    condition     = aws_route.${route[0]}.nat_gateway_id == null || aws_route.${route[0]}.nat_gateway_id == ""
    error_message = "private route table ${t.tags.Name} uses a NAT gateway"
  }`);
  }
  for (const eni of enis) {
    asserts.push(`  assert {
    condition     = aws_network_interface.${eni}.source_dest_check == false
    error_message = "fck-nat ENI ${eni} keeps the source/destination check"
  }`);
  }
  for (const lt of Object.keys(resourcesOf(stack, 'aws_launch_template'))) {
    asserts.push(`  assert {
    condition     = aws_launch_template.${lt}.metadata_options[0].http_tokens == "required"
    error_message = "launch template ${lt} does not require IMDSv2"
  }
  assert {
    condition     = aws_launch_template.${lt}.block_device_mappings[0].ebs[0].encrypted == "true"
    error_message = "launch template ${lt} has an unencrypted root volume"
  }`);
  }
  for (const asg of Object.keys(resourcesOf(stack, 'aws_autoscaling_group'))) {
    asserts.push(`  assert {
    condition     = aws_autoscaling_group.${asg}.min_size == 1 && aws_autoscaling_group.${asg}.max_size == 1
    error_message = "NAT ASG ${asg} is not min = max = 1"
  }`);
  }
  return `${mockAwsProviders(stack, MOCKS)}
run "network_routes_and_nat" {
  command = apply

${asserts.join('\n')}
}
`;
}

describeOffline('network stack offline (terraform test)', (tf) => {
  useTerraform(tf);
  const stack = synthJson(sharedExample().network);
  batch.add('network', { stack, tests: { 'network.tftest.hcl': networkTestFile(stack) } });

  it('needs only providers in the mirror', () => {
    expect(providersAvailable(tf, stack)).toBe(true);
  });

  it('passes terraform test: private routes go to fck-nat ENIs, IMDSv2 required', async () => {
    expect(await batch.result('network')).toEqual({ passed: 1, failed: 0, output: '' });
  });
});

/**
 * The RAM case: `c-02` in the member account `wl-001` (test/support/two-accounts.ts). The
 * network stack reads wl-001's account ID from the organization's state (`override_data`), shares
 * c-02's nine subnets with it (allow_external_principals = false, principal = that account ID,
 * https://docs.aws.amazon.com/vpc/latest/userguide/vpc-sharing.html), reserves prefixes in every
 * private subnet (reservation_type "prefix", validated by hashicorp/aws 5.100.0) and creates the
 * delegation roles trusted by wl-001's roles only.
 */
describeOffline('network stack offline, shared with a second account (terraform test)', (tf) => {
  const WL = '100000000001';
  let stack: Record<string, any>;
  useTerraform(tf);
  {
    const read = synthTwoAccounts();
    stack = read('network');
    const override = overrideRemoteState(stack, read('organization'), 'organization', (v) =>
      v.includes('id-wl-001') ? `"${WL}"` : '"unused"',
    );
    const [share] = Object.keys(resourcesOf(stack, 'aws_ram_resource_share'));
    const [principal] = Object.keys(resourcesOf(stack, 'aws_ram_principal_association'));
    const assocs = Object.keys(resourcesOf(stack, 'aws_ram_resource_association'));
    const reservations = Object.keys(resourcesOf(stack, 'aws_ec2_subnet_cidr_reservation'));
    const trust = Object.keys(dataOf(stack, 'aws_iam_policy_document')).find((k) =>
      k.startsWith('dns-delegation-c-02_apply-trust'),
    )!;
    const test = `${mockAwsProviders(
      stack,
      `${MOCKS}
  mock_data "aws_route53_zone" {
    defaults = { arn = "arn:aws:route53:::hostedzone/Z0PARENT", zone_id = "Z0PARENT" }
  }
  mock_resource "aws_subnet" {
    defaults = { arn = "arn:aws:ec2:eu-central-1:222222222222:subnet/subnet-0123456789abcdef0" }
  }
  mock_resource "aws_ram_resource_share" {
    defaults = { arn = "arn:aws:ram:eu-central-1:222222222222:resource-share/00000000-0000-0000-0000-000000000000" }
  }
`,
    )}
run "shared_with_wl_001" {
  command = apply
${override}

  assert {
    condition     = aws_ram_resource_share.${share}.allow_external_principals == false
    error_message = "the share admits principals outside the organization"
  }
  assert {
    condition     = aws_ram_principal_association.${principal}.principal == "${WL}" && aws_ram_principal_association.${principal}.resource_share_arn == aws_ram_resource_share.${share}.arn
    error_message = "the subnets are not shared with c-02's account"
  }
  assert {
    condition     = length([${assocs.map((a) => `aws_ram_resource_association.${a}`).join(', ')}]) == 9 && alltrue([${assocs.map((a) => `aws_ram_resource_association.${a}.resource_share_arn == aws_ram_resource_share.${share}.arn`).join(', ')}])
    error_message = "not every subnet of c-02 is in its share"
  }
  assert {
    condition     = alltrue([${reservations.map((r) => `aws_ec2_subnet_cidr_reservation.${r}.reservation_type == "prefix"`).join(', ')}])
    error_message = "a private subnet reservation is not of type prefix"
  }
  assert {
    condition     = one(${`data.aws_iam_policy_document.${trust}`}.statement[0].principals).identifiers == toset(["arn:aws:iam::${WL}:root"])
    error_message = "the delegation role trusts another account than c-02's"
  }
}
`;
    batch.add('network-shared', { stack, tests: { 'network-shared.tftest.hcl': test } });
  }

  it('passes terraform test: RAM share to the account ID from the organization, prefix reservations', async () => {
    expect(resourcesOf(stack, 'aws_ram_resource_association')).not.toEqual({});
    expect(await batch.result('network-shared')).toEqual({ passed: 1, failed: 0, output: '' });
  });
});
