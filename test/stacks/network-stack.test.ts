/**
 * The network stack: VPC, subnets and their tags, routes to fck-nat, route table associations,
 * endpoints, flow logs and outputs. Two synths: the example environment (per-AZ NAT) and a
 * variant (single NAT, given EIP, x86, CloudWatch agent, interface endpoints, two clusters).
 * The fck-nat construct (ENI, launch template, ASG, IAM): network-stack.fck-nat.test.ts.
 */
import type {} from 'cdktf/lib/testing/adapters/jest'; // types of cdktf's jest matchers
import { Testing } from 'cdktf';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { NetworkInterface } from '@cdktf/provider-aws/lib/network-interface';
import { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { NetworkStack, NETWORK_OUTPUTS } from '../../stacks/network-stack';
import { planStacks } from '../../envs/stack-plan';
import type { Environment } from '../../envs/schema';
import { ref } from '../support/network-fixtures';
import { dataOf, resourcesOf, sharedExample, synthStack } from '../support/synth';
import { exampleEnv } from '../support/env';

const AZS = ['eu-central-1a', 'eu-central-1b', 'eu-central-1c'];
const byName = (resources: Record<string, any>, name: string) =>
  Object.entries(resources).find(([, r]) => r.tags?.Name === name)?.[0] as string;

/** Literal account IDs by key (`wl-001` → 100000000001), standing in for the organization stack. */
const accountIdOf = (key: string) =>
  key === 'production' ? '222222222222' : `1${key.replace(/\D/g, '').padStart(11, '0')}`;

/** A network stack alone (faster than the whole app). */
function networkStack(env: Environment): NetworkStack {
  const spec = planStacks(env).find((s) => s.id === 'network')!;
  return new NetworkStack(Testing.app(), { env, spec, backend: 'local', accountId: accountIdOf });
}

describe('network stack (example: per-AZ NAT)', () => {
  let stack: NetworkStack;
  let synth: string;
  let json: Record<string, any>;
  beforeAll(() => {
    stack = sharedExample().network;
    synth = synthStack(stack);
    json = JSON.parse(synth);
  });

  it('creates the VPC with DNS support and hostnames, and locks the default security group', () => {
    expect(synth).toHaveResourceWithProperties(Vpc, {
      cidr_block: '10.0.0.0/16',
      enable_dns_support: true,
      enable_dns_hostnames: true,
    });
    const dsg = Object.values(resourcesOf(json, DefaultSecurityGroup.tfResourceType));
    expect(dsg).toHaveLength(1);
    expect(dsg[0].ingress).toBeUndefined();
    expect(dsg[0].egress).toBeUndefined();
  });

  it('tags the public and private subnets of main-01 for the load balancer controller and Karpenter', () => {
    const subnets = Object.values(resourcesOf(json, 'aws_subnet'));
    const pub = subnets.filter((s) => s.tags['kubernetes.io/role/elb'] === '1');
    const priv = subnets.filter((s) => s.tags['kubernetes.io/role/internal-elb'] === '1');
    expect(pub.map((s) => s.cidr_block)).toEqual(['10.0.63.0/24', '10.0.62.0/24', '10.0.61.0/24']);
    // /20 private subnets (the default since prefix delegation, docs/network.md).
    expect(priv.map((s) => s.cidr_block)).toEqual(['10.0.0.0/20', '10.0.16.0/20', '10.0.32.0/20']);
    expect(priv.map((s) => s.availability_zone)).toEqual(AZS);
    for (const s of priv) {
      expect(s.tags).toMatchObject({
        'karpenter.sh/discovery': 'acme-main-01',
        'kubernetes.io/cluster/acme-main-01': 'shared',
      });
    }
    for (const s of pub) {
      expect(s.tags['karpenter.sh/discovery']).toBeUndefined();
      expect(s.tags['kubernetes.io/cluster/acme-main-01']).toBe('shared');
      expect(s.map_public_ip_on_launch).toBe(false);
    }
    // 3 public + 3 private + 3 control-plane + 3 NAT + 3 endpoint subnets
    expect(subnets).toHaveLength(15);
  });

  it('routes every private route table 0.0.0.0/0 to the fck-nat ENI of its own AZ', () => {
    const tables = resourcesOf(json, 'aws_route_table');
    const enis = resourcesOf(json, NetworkInterface.tfResourceType);
    const routes = Object.values(resourcesOf(json, 'aws_route'));
    for (const az of AZS) {
      const table = byName(tables, `acme-private-${az}`);
      const route = routes.find((r) => ref(r.route_table_id) === `aws_route_table.${table}`);
      expect(route).toMatchObject({ destination_cidr_block: '0.0.0.0/0' });
      expect(route.nat_gateway_id).toBeUndefined();
      expect(ref(route.network_interface_id)).toBe(
        `aws_network_interface.${byName(enis, `acme-nat-${az}`)}`,
      );
    }
    const publicTable = byName(tables, 'acme-public');
    const publicRoute = routes.find(
      (r) => ref(r.route_table_id) === `aws_route_table.${publicTable}`,
    );
    expect(ref(publicRoute.gateway_id)).toMatch(/^aws_internet_gateway\./);
  });

  it('associates every subnet with the right route table', () => {
    const tables = resourcesOf(json, 'aws_route_table');
    const subnets = resourcesOf(json, 'aws_subnet');
    const assoc = Object.values(resourcesOf(json, 'aws_route_table_association'));
    expect(assoc).toHaveLength(15);
    for (const a of assoc) {
      const subnet = subnets[ref(a.subnet_id)!.split('.')[1]];
      const table = tables[ref(a.route_table_id)!.split('.')[1]];
      const isPublic =
        subnet.tags['kubernetes.io/role/elb'] === '1' ||
        subnet.tags.Name.startsWith('acme-shared-nat-');
      expect(table.tags.Name).toBe(
        isPublic ? 'acme-public' : `acme-private-${subnet.availability_zone}`,
      );
    }
  });

  it('adds S3 and DynamoDB gateway endpoints on the private route tables', () => {
    const endpoints = Object.values(resourcesOf(json, 'aws_vpc_endpoint'));
    expect(endpoints.map((e) => e.service_name).sort()).toEqual([
      'com.amazonaws.eu-central-1.dynamodb',
      'com.amazonaws.eu-central-1.s3',
    ]);
    const tables = resourcesOf(json, 'aws_route_table');
    for (const e of endpoints) {
      expect(e.vpc_endpoint_type).toBe('Gateway');
      expect(
        e.route_table_ids.map((t: string) => tables[ref(t)!.split('.')[1]].tags.Name).sort(),
      ).toEqual(AZS.map((az) => `acme-private-${az}`));
    }
  });

  it('sends all flow logs to an encrypted log group with the configured retention', () => {
    expect(synth).toHaveResourceWithProperties(FlowLog, {
      traffic_type: 'ALL',
      log_destination_type: 'cloud-watch-logs',
    });
    expect(synth).toHaveResourceWithProperties(CloudwatchLogGroup, {
      name: '/acme/vpc-flow-logs',
      retention_in_days: 90,
    });
    const group = Object.values(resourcesOf(json, 'aws_cloudwatch_log_group'))[0];
    expect(ref(group.kms_key_id)).toMatch(/^aws_kms_key\./);
    const key = Object.values(resourcesOf(json, 'aws_kms_key'))[0];
    expect(key).toMatchObject({ enable_key_rotation: true, lifecycle: { prevent_destroy: true } });
    const trust = Object.entries(dataOf(json, 'aws_iam_policy_document')).find(([k]) =>
      k.startsWith('flow-logs_trust'),
    )![1];
    expect(trust.statement[0].condition.map((c: any) => c.variable)).toEqual([
      'aws:SourceAccount',
      'aws:SourceArn',
    ]);
    const write = Object.entries(dataOf(json, 'aws_iam_policy_document')).find(([k]) =>
      k.startsWith('flow-logs_write'),
    )![1];
    expect(write.statement[0].resources).toEqual([
      expect.stringMatching(/^\$\{aws_cloudwatch_log_group\..+\.arn\}$/),
      expect.stringMatching(/\.arn\}:\*$/),
    ]);
  });

  it('publishes outputs with stable names', () => {
    expect(Object.keys(json.output)).toEqual(
      expect.arrayContaining(Object.values(NETWORK_OUTPUTS)),
    );
    const clusters = json.output[NETWORK_OUTPUTS.clusterSubnets].value;
    expect(clusters['main-01'].block_cidr).toBe('10.0.0.0/18');
    expect(Object.keys(clusters['main-01'].private_subnet_ids)).toEqual(AZS);
    expect(json.output[NETWORK_OUTPUTS.vpcCidr].value).toBe('10.0.0.0/16');
  });

  it('implements NetworkOutputs.clusterSubnets', () => {
    const s = stack.clusterSubnets('main-01');
    expect(s.blockCidr).toBe('10.0.0.0/18');
    expect(s.privateSubnetIds).toHaveLength(3);
    expect(s.publicSubnetIds).toHaveLength(3);
    expect(stack.vpcCidr).toBe('10.0.0.0/16');
    expect(() => stack.clusterSubnets('nope')).toThrow(
      'network: no address block for cluster "nope" (clusters: main-01)',
    );
  });
});

describe('network stack (variant: single NAT, given EIP, x86, agent, endpoints, two clusters)', () => {
  let json: Record<string, any>;
  beforeAll(() => {
    const env = exampleEnv((raw) => {
      raw.clusters['analytics'] = { ...raw.clusters['main-01'] };
      raw.network.nat = {
        mode: 'single',
        instanceType: 'c6i.large',
        elasticIp: ['eipalloc-0123456789abcdef0'],
        cloudWatchAgent: true,
      };
      raw.network.interfaceEndpoints = ['ecr.api', 'ecr.dkr', 'sts'];
      raw.network.flowLogs = { retentionDays: 30 };
    });
    json = JSON.parse(synthStack(networkStack(env)));
  });

  it('routes every private route table to the one NAT', () => {
    const enis = Object.keys(resourcesOf(json, 'aws_network_interface'));
    expect(enis).toHaveLength(1);
    const privateRoutes = Object.values(resourcesOf(json, 'aws_route')).filter(
      (r) => r.network_interface_id,
    );
    expect(privateRoutes).toHaveLength(3);
    for (const r of privateRoutes)
      expect(ref(r.network_interface_id)).toBe(`aws_network_interface.${enis[0]}`);
  });

  it('uses the x86_64 AMI for a non-Graviton type', () => {
    const ami = Object.values(dataOf(json, 'aws_ami'))[0];
    expect(ami.filter).toContainEqual({
      name: 'name',
      values: ['fck-nat-al2023-hvm-1.4.0-*-x86_64-ebs'],
    });
    expect(Object.values(resourcesOf(json, 'aws_launch_template'))[0].instance_type).toBe(
      'c6i.large',
    );
  });

  it('uses the given Elastic IP and allocates none', () => {
    expect(resourcesOf(json, 'aws_eip')).toEqual({});
    expect(Object.values(dataOf(json, 'aws_eip'))).toEqual([
      expect.objectContaining({ id: 'eipalloc-0123456789abcdef0' }),
    ]);
    expect(Object.values(resourcesOf(json, 'aws_launch_template'))[0].user_data).toContain(
      'eip_id=eipalloc-0123456789abcdef0',
    );
  });

  it('configures the CloudWatch agent with a namespaced metrics grant', () => {
    const param = Object.values(resourcesOf(json, 'aws_ssm_parameter'))[0];
    expect(param.name).toBe('/acme-nat-eu-central-1a/cloudwatch-agent');
    expect(param.value).toContain('"namespace":"fck-nat"');
    expect(param.value).toContain('$${aws:InstanceId}'); // escaped for Terraform, literal for the agent
    const lt = Object.values(resourcesOf(json, 'aws_launch_template'))[0];
    expect(lt.user_data).toContain('cwagent_enabled=true');
    const doc = Object.entries(dataOf(json, 'aws_iam_policy_document')).find(([k]) =>
      /nat-eu-central-1a_policy_/.test(k),
    )![1];
    expect(doc.statement.find((s: any) => s.sid === 'PutNatMetrics').condition).toEqual([
      { test: 'StringEquals', variable: 'cloudwatch:namespace', values: ['fck-nat'] },
    ]);
  });

  it('creates interface endpoints in the endpoint subnets behind a 443-from-VPC security group', () => {
    const endpoints = Object.values(resourcesOf(json, 'aws_vpc_endpoint')).filter(
      (e) => e.vpc_endpoint_type === 'Interface',
    );
    expect(endpoints.map((e) => e.service_name)).toEqual(
      ['ecr.api', 'ecr.dkr', 'sts'].map((s) => `com.amazonaws.eu-central-1.${s}`),
    );
    const subnets = resourcesOf(json, 'aws_subnet');
    for (const e of endpoints) {
      expect(e.private_dns_enabled).toBe(true);
      expect(e.subnet_ids.map((s: string) => subnets[ref(s)!.split('.')[1]].tags.Name)).toEqual(
        AZS.map((az) => `acme-shared-endpoints-${az}`),
      );
    }
    const rules = Object.values(resourcesOf(json, 'aws_vpc_security_group_ingress_rule')).filter(
      (r) => r.from_port === 443,
    );
    expect(rules).toEqual([
      expect.objectContaining({ cidr_ipv4: '10.0.0.0/16', ip_protocol: 'tcp', to_port: 443 }),
    ]);
  });

  it('gives the second cluster its own block and subnets', () => {
    const out = json.output[NETWORK_OUTPUTS.clusterSubnets].value;
    expect(out['main-01'].block_cidr).toBe('10.0.0.0/18');
    expect(out['analytics'].block_cidr).toBe('10.0.64.0/18');
    const karpenter = Object.values(resourcesOf(json, 'aws_subnet')).filter(
      (s) => s.tags['karpenter.sh/discovery'] === 'acme-analytics',
    );
    expect(karpenter.map((s) => s.cidr_block)).toEqual([
      '10.0.64.0/20',
      '10.0.80.0/20',
      '10.0.96.0/20',
    ]);
    expect(Object.values(resourcesOf(json, 'aws_cloudwatch_log_group'))[0].retention_in_days).toBe(
      30,
    );
  });
});
