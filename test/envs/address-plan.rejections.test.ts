/**
 * The address planner (envs/address-plan.ts) and the `network` config rules
 * (envs/schema/network.ts): every rejection with its message, from the planner and from the
 * schema, and the schema's documented defaults (the plans themselves: address-plan.test.ts).
 */
import {
  AddressPlanError,
  addressPlanProblems,
  planAddresses,
  type AddressPlanInput,
} from '../../envs/address-plan';
import { base } from '../support/address-plan-fixtures';
import { problemsOf } from '../support/env';
import { networkSchema } from '../../envs/schema/network';

describe('planner rejections', () => {
  const problems = (input: Partial<AddressPlanInput>) =>
    addressPlanProblems({ ...base, ...input }).map((p) => `${p.path.join('.')}: ${p.message}`);

  it('too many clusters for the range', () => {
    // Never "widen network.cidr" or "change clusterBlockPrefix": cidr_block is ForceNew on
    // aws_vpc and aws_subnet (hashicorp/terraform-provider-aws internal/service/ec2
    // vpc_.go / vpc_subnet.go: `"cidr_block": {... ForceNew: true}`), so either replaces
    // subnets holding EKS and load balancer interfaces.
    expect(problems({ clusters: ['a', 'b', 'c', 'd'] })).toEqual([
      'clusters.d: no free /18 block left in the VPC ranges (10.0.0.0/16: 4 blocks of /18, less the shared block and the blocks of the clusters listed before this one); pin the existing blocks in network.clusterBlocks and add a secondary range to network.secondaryCidrs (changing network.cidr or a prefix would replace existing subnets)',
    ]);
    expect(problems({ clusters: ['a', 'b', 'c', 'd'] })[0]).not.toMatch(/widen|longer/);
  });

  it('a pin overlapping an earlier cluster', () => {
    expect(
      problems({ clusters: ['main-01', 'main-02'], clusterBlocks: { 'main-02': '10.0.16.0/20' } }),
    ).toEqual(['network.clusterBlocks.main-02: 10.0.16.0/20 overlaps main-01 (10.0.0.0/18)']);
  });

  it('a pin overlapping the shared block', () => {
    expect(problems({ clusterBlocks: { 'main-01': '10.0.192.0/18' } })).toEqual([
      'network.clusterBlocks.main-01: 10.0.192.0/18 overlaps the shared block (10.0.252.0/22)',
    ]);
  });

  it('a pin outside the VPC', () => {
    expect(problems({ clusterBlocks: { 'main-01': '10.1.0.0/18' } })).toEqual([
      'network.clusterBlocks.main-01: 10.1.0.0/18 is outside the VPC ranges (10.0.0.0/16; add a secondary range to network.secondaryCidrs)',
    ]);
  });

  it('a pinned block too small for its subnets', () => {
    expect(problems({ clusterBlocks: { 'main-01': '10.0.0.0/21' } })).toEqual([
      'network.clusterBlocks.main-01: 10.0.0.0/21: a /21 block cannot hold a /20 private and a /28 control-plane subnet for each AZ slot a..c below the space of 8 /24 public subnets (14384 addresses needed, 2048 available)',
    ]);
  });

  it('a default block too small for the subnets', () => {
    expect(problems({ clusterBlockPrefix: 20, privateSubnetPrefix: 21 })).toEqual([
      'network.clusterBlockPrefix: a /20 block cannot hold a /21 private and a /28 control-plane subnet for each AZ slot a..c below the space of 8 /24 public subnets (8240 addresses needed, 4096 available)',
    ]);
  });

  it('a shared block outside the VPC or too small', () => {
    expect(problems({ sharedBlock: '192.168.0.0/22' })).toEqual([
      'network.sharedBlock: 192.168.0.0/22 is outside the VPC range 10.0.0.0/16',
    ]);
    expect(problems({ sharedBlock: '10.0.255.0/25' })).toEqual([
      'network.sharedBlock: 10.0.255.0/25 is too small: the shared block must be /24 or larger',
    ]);
  });

  it('a VPC range that is not a network address', () => {
    expect(problems({ vpcCidr: '10.0.0.1/16' })).toEqual([
      'network.cidr: "10.0.0.1/16" must be an IPv4 network address in CIDR form (10.0.0.0/16)',
    ]);
  });

  it('an AZ without a letter slot a..h', () => {
    expect(problems({ availabilityZones: ['eu-central-1a', 'eu-central-1z'] })).toEqual([
      'network.availabilityZones.1: "eu-central-1z" must end in a letter a..h (its address slot)',
    ]);
  });

  it('planAddresses throws every problem', () => {
    expect(() => planAddresses({ ...base, clusters: ['a', 'b', 'c', 'd'] })).toThrow(
      AddressPlanError,
    );
    expect(() => planAddresses({ ...base, clusters: ['a', 'b', 'c', 'd'] })).toThrow(
      /clusters\.d: no free \/18 block/,
    );
  });
});

describe('network config rules', () => {
  // Only the network and clusters sections' problems (other sections are other tests' business).
  const ours = (problems: string[]) => problems.filter((p) => /^(network|clusters)\b/.test(p));
  const net = (edit: (n: Record<string, any>) => void) =>
    ours(problemsOf((raw) => edit(raw.network)));

  it('the example is valid', () => expect(net(() => undefined)).toEqual([]));

  it('rejects an AZ of another region and duplicates', () => {
    expect(net((n) => (n.availabilityZones = ['eu-central-1a', 'eu-west-1b']))).toEqual([
      'network.availabilityZones[1]: "eu-west-1b" is not an availability zone of eu-central-1',
    ]);
    expect(net((n) => (n.availabilityZones = ['eu-central-1a', 'eu-central-1a']))).toEqual([
      'network.availabilityZones[1]: duplicate availability zone "eu-central-1a"',
    ]);
  });

  it('rejects 1 or 4 AZs', () => {
    expect(net((n) => (n.availabilityZones = ['eu-central-1a']))).toEqual([
      'network.availabilityZones: needs 2 or 3 availability zones',
    ]);
    expect(
      net(
        (n) =>
          (n.availabilityZones = [
            'eu-central-1a',
            'eu-central-1b',
            'eu-central-1c',
            'eu-central-1d',
          ]),
      ),
    ).toEqual(['network.availabilityZones: needs 2 or 3 availability zones']);
  });

  it('rejects an unknown account', () => {
    expect(problemsOf((raw) => (raw.network.account = 'ghost'))).toContain(
      'network.account: unknown account "ghost"',
    );
  });

  it('rejects a VPC range too small for the shared block or the cluster blocks', () => {
    expect(net((n) => (n.cidr = '10.0.0.0/23'))).toEqual([
      'network.cidr: 10.0.0.0/23 is too small for the /22 shared block',
      'network.clusterBlockPrefix: a /18 cluster block is larger than every VPC range (10.0.0.0/23; use /23 or longer)',
    ]);
    expect(net((n) => (n.cidr = '10.0.0.0/20'))).toEqual([
      'network.clusterBlockPrefix: a /18 cluster block is larger than every VPC range (10.0.0.0/20; use /20 or longer)',
    ]);
  });

  it('rejects a cluster block prefix out of range once, without planning', () => {
    expect(net((n) => (n.clusterBlockPrefix = 15))).toEqual([
      'network.clusterBlockPrefix: a cluster block must be /16 to /24',
    ]);
    expect(net((n) => (n.clusterBlockPrefix = 25))).toEqual([
      'network.clusterBlockPrefix: a cluster block must be /16 to /24',
    ]);
  });

  it('rejects a malformed VPC range, a host address and a prefix out of range', () => {
    expect(net((n) => (n.cidr = '10.0.0/16'))).toEqual([
      'network.cidr: "10.0.0/16" must be an IPv4 CIDR like 10.0.0.0/16',
    ]);
    expect(net((n) => (n.cidr = '10.0.1.0/16'))).toEqual([
      'network.cidr: 10.0.1.0/16 is not a network address (did you mean 10.0.0.0/16?)',
    ]);
    expect(net((n) => (n.cidr = '10.0.0.0/8'))).toEqual([
      'network.cidr: the VPC range must be /16 to /24, got /8',
    ]);
  });

  it('rejects subnets too small for EKS', () => {
    expect(net((n) => (n.privateSubnetPrefix = 25))).toEqual([
      'network.privateSubnetPrefix: private subnets smaller than /24 are too small for EKS nodes and pods (each pod takes a VPC address)',
    ]);
    expect(net((n) => (n.publicSubnetPrefix = 28))).toEqual([
      'network.publicSubnetPrefix: public subnets smaller than /27 are too small for EKS load balancers (an ALB needs a /27)',
    ]);
  });

  it('rejects pins for unknown clusters, overlapping pins and pins outside the VPC', () => {
    expect(net((n) => (n.clusterBlocks = { ghost: '10.0.0.0/18' }))).toEqual([
      'network.clusterBlocks.ghost: unknown cluster "ghost"',
    ]);
    expect(net((n) => (n.clusterBlocks = { 'main-01': '10.0.0.1/18' }))).toEqual([
      'network.clusterBlocks.main-01: 10.0.0.1/18 is not a network address (did you mean 10.0.0.0/18?)',
    ]);
    expect(net((n) => (n.clusterBlocks = { 'main-01': '10.0.0.0/29' }))).toEqual([
      'network.clusterBlocks.main-01: a cluster block must be /16 to /28, got /29',
    ]);
    expect(net((n) => (n.clusterBlocks = { 'main-01': '172.16.0.0/18' }))).toEqual([
      'network.clusterBlocks.main-01: 172.16.0.0/18 is outside the VPC ranges (10.0.0.0/16; add a secondary range to network.secondaryCidrs)',
    ]);
    expect(
      ours(
        problemsOf((raw) => {
          raw.clusters['main-02'] = { ...raw.clusters['main-01'] };
          raw.network.clusterBlocks = { 'main-02': '10.0.32.0/19' };
        }),
      ),
    ).toEqual(['network.clusterBlocks.main-02: 10.0.32.0/19 overlaps main-01 (10.0.0.0/18)']);
  });

  it('rejects too many clusters, naming the cluster', () => {
    const problems = ours(
      problemsOf((raw) => {
        for (const k of ['b', 'c', 'd']) raw.clusters[k] = { ...raw.clusters['main-01'] };
      }),
    );
    expect(problems).toEqual([
      expect.stringMatching(
        /^clusters\.d: no free \/18 block left in the VPC ranges \(10\.0\.0\.0\/16/,
      ),
    ]);
  });

  it('rejects an Elastic IP list that does not match the NAT count, and duplicates', () => {
    expect(net((n) => (n.nat.elasticIp = ['eipalloc-0123456789abcdef0']))).toEqual([
      'network.nat.elasticIp: needs 3 allocation ID(s), one per NAT instance (mode per-az, 3 AZs), got 1',
    ]);
    expect(
      net(
        (n) =>
          (n.nat = {
            mode: 'single',
            elasticIp: ['eipalloc-0123456789abcdef0', 'eipalloc-0123456789abcdef0'],
          }),
      ),
    ).toEqual([
      'network.nat.elasticIp: needs 1 allocation ID(s), one per NAT instance (mode single, 3 AZs), got 2',
      'network.nat.elasticIp[1]: duplicate allocation ID "eipalloc-0123456789abcdef0"',
    ]);
    expect(net((n) => (n.nat.elasticIp = ['eip-1', 'eip-2', 'eip-3']))).toContain(
      'network.nat.elasticIp[0]: must be an Elastic IP allocation ID (eipalloc-…)',
    );
  });

  it('rejects unknown NAT modes, instance types, endpoints and retention values', () => {
    expect(net((n) => (n.nat.mode = 'gateway'))).toEqual([
      expect.stringMatching(/^network\.nat\.mode: /),
    ]);
    expect(net((n) => (n.nat.instanceType = 'nano'))).toEqual([
      'network.nat.instanceType: must be an EC2 instance type like t4g.nano',
    ]);
    expect(net((n) => (n.interfaceEndpoints = ['s3-magic']))).toEqual([
      expect.stringMatching(/^network\.interfaceEndpoints\[0\]: /),
    ]);
    expect(net((n) => (n.interfaceEndpoints = ['sts', 'sts']))).toEqual([
      'network.interfaceEndpoints[1]: duplicate interface endpoint "sts"',
    ]);
    expect(net((n) => (n.flowLogs.retentionDays = 10))).toEqual([
      expect.stringMatching(/^network\.flowLogs\.retentionDays: must be one of 1, 3, 5/),
    ]);
  });

  it('rejects a shared block that is not a network address or too small', () => {
    expect(net((n) => (n.sharedBlock = '10.0.255.1/24'))).toEqual([
      'network.sharedBlock: 10.0.255.1/24 is not a network address (did you mean 10.0.255.0/24?)',
    ]);
    expect(net((n) => (n.sharedBlock = '10.0.255.0/25'))).toEqual([
      'network.sharedBlock: the shared block (16 subnets of at least /28) must be /16 to /24, got /25',
    ]);
  });

  it('applies the documented defaults', () => {
    expect(
      networkSchema.parse({
        account: 'production',
        availabilityZones: ['eu-central-1a', 'eu-central-1b'],
      }),
    ).toEqual({
      account: 'production',
      cidr: '10.0.0.0/16',
      availabilityZones: ['eu-central-1a', 'eu-central-1b'],
      clusterBlockPrefix: 18,
      publicSubnetPrefix: 24,
      privateSubnetPrefix: 20,
      controlPlaneSubnetPrefix: 28,
      secondaryCidrs: [],
      clusterBlocks: {},
      nat: {
        mode: 'single',
        instanceType: 't4g.nano',
        elasticIp: 'allocate',
        cloudWatchAgent: false,
      },
      interfaceEndpoints: [],
      flowLogs: { retentionDays: 90 },
    });
  });
});
