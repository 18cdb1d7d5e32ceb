/**
 * Offline Terraform tier for the cluster stack: `terraform validate`, then `terraform test`
 * against `mock_provider "aws"` (`command = apply`) with the network stack's remote state
 * supplied by `override_data`. The network side is a small stub stack in the same app, so
 * the cluster stack reads its VPC and subnets through a real cross-stack reference
 * (`terraform_remote_state`), as it does in the full app.
 *
 * Runs: a fresh account (`apply`; no Identity Center roles yet: zero SSO entries, the plan and
 * apply succeed) and an account where the Administrator role exists (`plan`, enough to see the
 * one entry planned for it; keeps the tier fast).
 */
import { App } from 'cdktf';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Construct } from 'constructs';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { LandingZoneStack, type LandingZoneStackProps } from '../../../stacks/base-stack';
import type { ClusterSubnets, NetworkOutputs } from '../../../constructs/shared/contracts';
import { planStacks } from '../../../envs/stack-plan';
import { ClusterStack } from '../../../stacks/cluster-stack';
import { exampleEnv } from '../../support/env';
import { dataOf, resourcesOf } from '../../support/synth';
import { awsAccountMocks, describeOffline, mockAwsProviders } from '../../support/terraform';
import { batch, useTerraform } from './batch';
import { BOTTLEROCKET_RELEASE_VERSION } from '../../../envs/versions';
import { overrideRemoteState, synthTwoAccounts } from '../../support/two-accounts';

/** A minimal network stack: one VPC and three private subnets, exposed as NetworkOutputs. */
class StubNetworkStack extends LandingZoneStack implements NetworkOutputs {
  readonly vpcId: string;
  readonly vpcCidr = '10.0.0.0/16';
  readonly natSecurityGroupId = 'sg-0nat';
  private readonly subnets: Subnet[];

  constructor(scope: Construct, props: LandingZoneStackProps) {
    super(scope, props);
    this.awsProvider('aws');
    const vpc = new Vpc(this, 'vpc', { cidrBlock: this.vpcCidr });
    this.vpcId = vpc.id;
    this.subnets = ['a', 'b', 'c'].map(
      (az, i) =>
        new Subnet(this, `private-${az}`, {
          vpcId: vpc.id,
          cidrBlock: `10.0.${16 + i * 4}.0/22`,
          availabilityZone: `eu-central-1${az}`,
        }),
    );
  }

  clusterSubnets(_name: string): ClusterSubnets {
    return {
      privateSubnetIds: this.subnets.map((s) => s.id),
      publicSubnetIds: [],
      controlPlaneSubnetIds: this.subnets.map((s) => s.id),
      privateSubnetCidrs: ['10.0.16.0/22', '10.0.20.0/22', '10.0.24.0/22'],
      blockCidr: '10.0.16.0/20',
    };
  }

  dnsDelegation(): undefined {
    return undefined;
  }
}

/** Mocks of the cluster stack's resources whose attributes must look real (ARNs, IDs) in `account`. */
function clusterMockBody(
  account: string,
  cluster = 'acme-main-01',
  zone = 'main-01.acme.example',
): string {
  return `  mock_data "aws_iam_roles" {
    defaults = { arns = [], names = [] }
  }
  mock_resource "aws_eks_cluster" {
    defaults = {
      arn      = "arn:aws:eks:eu-central-1:${account}:cluster/${cluster}"
      identity = [{ oidc = [{ issuer = "https://oidc.eks.eu-central-1.amazonaws.com/id/0123456789ABCDEF" }] }]
    }
  }
  mock_resource "aws_s3_bucket" {
    defaults = { arn = "arn:aws:s3:::mock-bucket" }
  }
  mock_resource "aws_sqs_queue" {
    defaults = { arn = "arn:aws:sqs:eu-central-1:${account}:${cluster}", url = "https://sqs.eu-central-1.amazonaws.com/${account}/${cluster}" }
  }
  mock_resource "aws_acm_certificate" {
    defaults = {
      arn = "arn:aws:acm:eu-central-1:${account}:certificate/00000000-0000-0000-0000-000000000000"
      domain_validation_options = [{ domain_name = "*.${zone}", resource_record_name = "_x.${zone}.", resource_record_type = "CNAME", resource_record_value = "_y.acm-validations.aws." }]
    }
  }
  mock_resource "aws_iam_policy" {
    defaults = { arn = "arn:aws:iam::${account}:policy/mock" }
  }
  mock_resource "aws_launch_template" {
    defaults = { id = "lt-0123456789abcdef0", latest_version = 1 }
  }
  mock_resource "aws_route53_zone" {
    defaults = { arn = "arn:aws:route53:::hostedzone/Z0000000000000", zone_id = "Z0000000000000", name_servers = ["ns-1.awsdns-01.org"] }
  }
`;
}

const ACCOUNT = '123456789012';

const PRIVATE_SUBNETS = ['subnet-0priva', 'subnet-0privb', 'subnet-0privc'];
const ADMIN_ROLE = `arn:aws:iam::${ACCOUNT}:role/aws-reserved/sso.amazonaws.com/eu-central-1/AWSReservedSSO_Administrator_0123456789abcdef`;

describeOffline('terraform: cluster stack', (tf) => {
  useTerraform(tf);
  const env = exampleEnv();
  // A real app synth: cross-stack outputs and remote-state reads are wired at app synthesis.
  const outdir = mkdtempSync(join(tmpdir(), 'lz-cluster-'));
  const app = new App({ outdir });
  const specs = planStacks(env);
  const network = new StubNetworkStack(app, {
    env,
    spec: specs.find((s) => s.id === 'network')!,
    backend: 'local',
  });
  new ClusterStack(app, {
    env,
    spec: specs.find((s) => s.id === 'cluster-main-01')!,
    backend: 'local',
    network,
  });
  app.synth();
  const read = (id: string) =>
    JSON.parse(readFileSync(join(outdir, 'stacks', id, 'cdk.tf.json'), 'utf8'));
  const json = read('cluster-main-01');
  const networkJson = read('network');

  const name = (type: string, prefix: string) => {
    const keys = Object.keys(resourcesOf(json, type)).filter((k) => k.startsWith(prefix));
    if (keys.length !== 1) throw new Error(`${type}.${prefix}*: ${keys.length} matches`);
    return `${type}.${keys[0]}`;
  };
  const dataName = (type: string, prefix: string) => {
    const keys = Object.keys(dataOf(json, type)).filter((k) => k.startsWith(prefix));
    if (keys.length !== 1) throw new Error(`data.${type}.${prefix}*: ${keys.length} matches`);
    return `data.${type}.${keys[0]}`;
  };

  // The remote-state read of the network stack and the value of each output it reads.
  const remoteStates = Object.keys(dataOf(json, 'terraform_remote_state'));
  const outputs = Object.entries(networkJson.output as Record<string, { value: string }>).map(
    ([k, o]) => {
      const v = o.value;
      const value = v.includes('aws_vpc.')
        ? '"vpc-0abc"'
        : /aws_subnet\.private-(\w)\./.test(v)
          ? `"subnet-0priv${/private-(\w)\./.exec(v)![1]}"`
          : '"unused"';
      return `      "${k}" = ${value}`;
    },
  );
  const overrideNetwork = `  override_data {
    target = data.terraform_remote_state.${remoteStates[0]}
    values = {
      outputs = {
${outputs.join('\n')}
      }
    }
  }`;
  const ssoAdmin = dataName('aws_iam_roles', 'access_sso-administrator-roles');
  const overrideSso = (arns: string[]) => `  override_data {
    target = ${ssoAdmin}
    values = { arns = ${JSON.stringify(arns)}, names = ${JSON.stringify(arns.map((a) => a.split('/').pop()))} }
  }`;

  const cluster = name('aws_eks_cluster', 'eks_cluster');
  const mocks = `${awsAccountMocks({ accountId: ACCOUNT, callerArn: `arn:aws:iam::${ACCOUNT}:role/acme-cluster-main-01-apply` })}
${clusterMockBody(ACCOUNT)}`;
  const policyDoc = (prefix: string) => dataName('aws_iam_policy_document', prefix);
  const cond = (doc: string, variable: string) =>
    `one([for c in ${doc}.statement[0].condition : c.values if c.variable == "${variable}"])`;
  const controllerTrust = policyDoc('karpenter_controller_identity_trust');
  const esoDoc = policyDoc('addon-roles_external-secrets_access-document');
  const common = `
  assert {
    condition     = ${cluster}.access_config[0].authentication_mode == "API" && ${cluster}.access_config[0].bootstrap_cluster_creator_admin_permissions == false
    error_message = "cluster does not use access entries only"
  }
  assert {
    condition     = ${cluster}.vpc_config[0].endpoint_public_access == false && ${cluster}.vpc_config[0].endpoint_private_access == true
    error_message = "cluster API endpoint is not private-only"
  }
  assert {
    condition     = toset(${cluster}.vpc_config[0].subnet_ids) == toset(${JSON.stringify(PRIVATE_SUBNETS)})
    error_message = "cluster is not in the network stack's private subnets"
  }
  assert {
    condition     = ${name('aws_security_group', 'eks_api-sg')}.vpc_id == "vpc-0abc"
    error_message = "API security group is not in the network stack's VPC"
  }
  assert {
    condition     = toset(${name('aws_eks_node_group', 'system-nodes_node-group')}.subnet_ids) == toset(${JSON.stringify(PRIVATE_SUBNETS)})
    error_message = "system nodes are not spread over the private subnets"
  }
  assert {
    condition     = ${name('aws_eks_node_group', 'system-nodes_node-group')}.release_version == "${BOTTLEROCKET_RELEASE_VERSION}"
    error_message = "system nodes do not run the pinned AMI release"
  }
  assert {
    condition     = ${name('aws_kms_key', 'kms_key')}.enable_key_rotation == true
    error_message = "KMS rotation is off"
  }
  assert {
    condition     = ${name('aws_eks_access_entry', 'access_tfc-apply-entry')}.principal_arn == "arn:aws:iam::${ACCOUNT}:role/acme-platform-main-01-apply"
    error_message = "TFC apply role ARN is wrong"
  }
  assert {
    condition     = ${name('aws_eks_access_policy_association', 'access_tfc-apply-policy')}.policy_arn == "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"
    error_message = "TFC apply role is not cluster admin"
  }
  assert {
    condition     = ${name('aws_sqs_queue', 'karpenter_queue')}.message_retention_seconds == 300 && ${name('aws_sqs_queue', 'karpenter_queue')}.sqs_managed_sse_enabled == true
    error_message = "interruption queue settings differ from upstream"
  }
  assert {
    condition     = toset(${controllerTrust}.statement[0].actions) == toset(["sts:AssumeRole", "sts:TagSession"]) && toset(flatten([for p in ${controllerTrust}.statement[0].principals : p.identifiers])) == toset(["pods.eks.amazonaws.com"])
    error_message = "Karpenter controller is not trusted by Pod Identity only"
  }
  assert {
    condition     = toset(${cond(controllerTrust, 'aws:SourceArn')}) == toset(["arn:aws:eks:eu-central-1:${ACCOUNT}:cluster/acme-main-01"]) && toset(${cond(controllerTrust, 'aws:SourceAccount')}) == toset(["${ACCOUNT}"])
    error_message = "Karpenter controller trust is not pinned to this cluster"
  }
  assert {
    condition     = toset(${esoDoc}.statement[0].actions) == toset(["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]) && toset(${esoDoc}.statement[0].resources) == toset(["arn:aws:secretsmanager:eu-central-1:${ACCOUNT}:secret:acme/main-01/*"])
    error_message = "External Secrets can read more than this cluster's secrets"
  }
  assert {
    condition     = ${name('aws_s3_bucket', 'postgres-backups_bucket')}.bucket == "acme-main-01-pg-backups-${ACCOUNT}"
    error_message = "backup bucket name is not account-scoped"
  }
  assert {
    condition     = output.zone_name_servers == tolist(["ns-1.awsdns-01.org"])
    error_message = "the cluster zone's name servers (the manual delegation step) are not an output"
  }`;
  const ssoEntry = name('aws_eks_access_entry', 'access_sso-administrator-entry');
  const test = `${mockAwsProviders(json, mocks)}
run "fresh_account" {
  command = apply
${overrideNetwork}
${overrideSso([])}
${common}
  assert {
    condition     = length(${ssoEntry}) == 0
    error_message = "an access entry was planned for an Identity Center role that does not exist yet"
  }
}

run "identity_center_role_exists" {
  command = plan
${overrideNetwork}
${overrideSso([ADMIN_ROLE])}
  assert {
    condition     = length(${ssoEntry}) == 1 && ${ssoEntry}["${ADMIN_ROLE}"].principal_arn == "${ADMIN_ROLE}"
    error_message = "no access entry for the existing Administrator role"
  }
  assert {
    condition     = ${name('aws_eks_access_policy_association', 'access_sso-administrator-policy')}["${ADMIN_ROLE}"].policy_arn == "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"
    error_message = "Administrator role is not cluster admin"
  }
}
`;

  it('reads the network stack through remote state', () => {
    expect(remoteStates).toHaveLength(1);
    expect(outputs.join('\n')).toContain('vpc-0abc');
    expect(outputs.filter((o) => o.includes('subnet-0priv'))).toHaveLength(3);
  });

  // `terraform validate` of this stack runs in test/offline/validate-all.test.ts.
  batch.add('cluster', { stack: json, tests: { 'cluster.tftest.hcl': test } });
  it('passes terraform test on a fresh account and once the Identity Center role exists', async () => {
    expect(await batch.result('cluster')).toEqual({ passed: 2, failed: 0, output: '' });
  });
});

/**
 * The RAM case (test/support/two-accounts.ts): the cluster stack of `c-02` in the member account
 * wl-001 reads its shared subnets and the network account's delegation roles and parent zone
 * from the network stack's state; it tags the shared subnets in its own account (tags are not
 * shared with participants, https://docs.aws.amazon.com/vpc/latest/userguide/vpc-sharing.html),
 * puts the control plane in the shared control-plane subnets with its own security group, and
 * writes its NS record into the parent zone through the `dns-parent` provider.
 */
describeOffline('terraform: cluster stack in a RAM participant account', (tf) => {
  useTerraform(tf);
  const WL = '100000000001';
  const read = synthTwoAccounts();
  const json = read('cluster-c-02');
  const ids: Record<string, string> = {
    private: 'subnet-0priv',
    public: 'subnet-0pub',
    'control-plane': 'subnet-0cp',
  };
  const override = overrideRemoteState(json, read('network'), 'network', (v) => {
    const subnet =
      /aws_subnet\.shared-vpc_c-02-(private|public|control-plane)-eu-central-1([abc])_/.exec(v);
    if (subnet) return `"${ids[subnet[1]]}${subnet[2]}"`;
    const role = /dns-delegation-c-02_(plan|apply)-role/.exec(v);
    if (role) return `"arn:aws:iam::222222222222:role/acme-c-02-dns-${role[1]}"`;
    if (v.includes('aws_vpc.')) return '"vpc-0abc"';
    if (v.includes('aws_route53_zone.dns-parent-c-02')) return '"Z0PARENT"';
    return '"unused"';
  });
  const of = (type: string, prefix: string) => {
    const keys = Object.keys(resourcesOf(json, type)).filter((k) => k.startsWith(prefix));
    if (keys.length !== 1) throw new Error(`${type}.${prefix}*: ${keys.length} matches`);
    return `${type}.${keys[0]}`;
  };
  const tags = Object.entries(resourcesOf(json, 'aws_ec2_tag')) as [string, any][];
  const tagOn = (label: string) =>
    `aws_ec2_tag.${tags.find(([k]) => k.startsWith(`shared-subnet-tags_${label}`))![0]}`;
  const cluster = of('aws_eks_cluster', 'eks_cluster');
  const ns = Object.entries(resourcesOf(json, 'aws_route53_record')).find(
    ([, r]: [string, any]) => r.type === 'NS',
  )![0];
  const test = `${mockAwsProviders(
    json,
    `${awsAccountMocks({ accountId: WL, callerArn: `arn:aws:sts::${WL}:assumed-role/acme-cluster-c-02-apply/run` })}
${clusterMockBody(WL, 'acme-c-02', 'c-02.acme.example')}`,
  )}
run "participant" {
  command = apply
${override}

  assert {
    condition     = length([${tags.map(([k]) => `aws_ec2_tag.${k}`).join(', ')}]) == 15
    error_message = "not every discovery tag is written on the shared subnets"
  }
  assert {
    condition     = ${tagOn('private-0-karpenter-sh-discovery')}.resource_id == "subnet-0priva" && ${tagOn('private-0-karpenter-sh-discovery')}.value == "acme-c-02"
    error_message = "the Karpenter discovery tag is not on the shared private subnet"
  }
  assert {
    condition     = ${tagOn('public-2-kubernetes-io-role-elb')}.resource_id == "subnet-0pubc" && ${tagOn('public-2-kubernetes-io-role-elb')}.value == "1"
    error_message = "the load balancer tag is not on the shared public subnet"
  }
  assert {
    condition     = toset(${cluster}.vpc_config[0].subnet_ids) == toset(["subnet-0cpa", "subnet-0cpb", "subnet-0cpc"])
    error_message = "the control plane is not in the shared control-plane subnets"
  }
  assert {
    condition     = ${cluster}.upgrade_policy[0].support_type == "STANDARD" && ${cluster}.zonal_shift_config[0].enabled == true
    error_message = "the cluster would enter (billed) extended support or has zonal shift off"
  }
  assert {
    condition     = ${of('aws_security_group', 'eks_api-sg')}.vpc_id == "vpc-0abc"
    error_message = "the API security group is not this account's group in the shared VPC"
  }
  assert {
    condition     = toset(${of('aws_eks_node_group', 'system-nodes_node-group')}.subnet_ids) == toset(["subnet-0priva", "subnet-0privb", "subnet-0privc"])
    error_message = "system nodes are not in the shared private subnets"
  }
  assert {
    condition     = aws_route53_record.${ns}.zone_id == "Z0PARENT" && aws_route53_record.${ns}.name == "c-02.acme.example" && toset(aws_route53_record.${ns}.records) == toset(["ns-1.awsdns-01.org"])
    error_message = "the NS record is not written into the parent zone of the network account"
  }
}
`;

  batch.add('participant', { stack: json, tests: { 'participant.tftest.hcl': test } });
  it('passes terraform test: shared subnets tagged here, NS record through the delegation provider', async () => {
    expect(await batch.result('participant')).toEqual({ passed: 1, failed: 0, output: '' });
  });
});
