/**
 * The address planner (envs/address-plan.ts) and the `network` config rules
 * (envs/schema/network.ts): the example plan (the table of docs/network.md), stability when
 * clusters and AZs are added, and growing the network with secondary ranges and more clusters.
 * Every rejection with its message: address-plan.rejections.test.ts.
 */
import {
  addressPlanProblems,
  azSlot,
  cidrWithin,
  cidrsOverlap,
  planAddresses,
  planSubnets,
  type AddressPlanInput,
} from '../../envs/address-plan';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AZS, base } from '../support/address-plan-fixtures';
import { exampleEnv, problemsOf } from '../support/env';
import { scaledEnv } from '../support/scale';
import { addressPlanInput } from '../../envs/schema/network';

const cidrs = (subnets: readonly { cidr: string }[]) => subnets.map((s) => s.cidr);

/** Every pair of subnets in the plan is disjoint and inside its block and the VPC. */
function expectDisjoint(input: AddressPlanInput): void {
  const plan = planAddresses(input);
  const all = planSubnets(plan);
  for (let i = 0; i < all.length; i += 1) {
    const ranges = [plan.vpcCidr, ...plan.secondaryCidrs];
    expect(ranges.some((r) => cidrWithin(all[i][1], r))).toBe(true);
    for (let j = i + 1; j < all.length; j += 1) {
      if (cidrsOverlap(all[i][1], all[j][1]))
        throw new Error(`${all[i].join(' ')} overlaps ${all[j].join(' ')}`);
    }
  }
  const blocks = [...Object.values(plan.clusters).map((c) => c.cidr), plan.shared.cidr];
  for (let i = 0; i < blocks.length; i += 1) {
    for (let j = i + 1; j < blocks.length; j += 1)
      expect(cidrsOverlap(blocks[i], blocks[j])).toBe(false);
  }
  for (const c of Object.values(plan.clusters)) {
    for (const cidr of [
      ...cidrs(c.privateSubnets),
      ...cidrs(c.publicSubnets),
      ...cidrs(c.controlPlaneSubnets),
    ])
      expect(cidrWithin(cidr, c.cidr)).toBe(true);
  }
}

/** The example environment's plan input, through the same mapping the schema and stack use. */
function exampleInput(): AddressPlanInput {
  const env = exampleEnv();
  return addressPlanInput(env.network, Object.keys(env.clusters));
}

/**
 * The address-plan table of docs/network.md for an input: every cluster's and the shared block's
 * subnets, then the blocks still free for the next clusters (found by planning more clusters
 * until the range is full).
 */
function addressPlanTable(input: AddressPlanInput): string {
  const plan = planAddresses(input);
  const count = (cidr: string) => (2 ** (32 - Number(cidr.split('/')[1]))).toLocaleString('en-US');
  const rows: string[] = [
    '| block | subnet | AZ | CIDR | addresses |',
    '| --- | --- | --- | --- | --- |',
  ];
  const block = (
    label: string,
    subnets: [string, readonly { availabilityZone: string; cidr: string }[]][],
  ) =>
    subnets
      .flatMap(([kind, list]) => list.map((s) => [kind, s] as const))
      .forEach(([kind, s], i) =>
        rows.push(
          `|${i === 0 ? ` ${label} ` : ' '}| ${kind} | ${s.availabilityZone} | \`${s.cidr}\` | ${count(s.cidr)} |`,
        ),
      );
  for (const c of Object.values(plan.clusters)) {
    block(`${c.name} \`${c.cidr}\``, [
      ['private', c.privateSubnets],
      ['public', c.publicSubnets],
      ['control plane', c.controlPlaneSubnets],
    ]);
  }
  block(`shared \`${plan.shared.cidr}\``, [
    ['fck-nat (public)', plan.shared.natSubnets],
    ['endpoints (private)', plan.shared.endpointSubnets],
  ]);
  const next: string[] = [];
  while (
    addressPlanProblems({ ...input, clusters: [...input.clusters, ...next, 'next'] }).length === 0
  )
    next.push(`next-${next.length}`);
  const more = planAddresses({ ...input, clusters: [...input.clusters, ...next] });
  rows.push(
    `| free | next clusters | | ${next.map((n) => `\`${more.clusters[n].cidr}\``).join(', ')} | |`,
  );
  return rows.join('\n');
}

describe('address plan of the example environment', () => {
  const plan = planAddresses(exampleInput());

  it('is what docs/network.md shows (the table is generated here, so it cannot drift)', () => {
    const readme = readFileSync(join(__dirname, '..', '..', 'docs', 'network.md'), 'utf8').split(
      '\n',
    );
    const start = readme.indexOf('| block | subnet | AZ | CIDR | addresses |');
    expect(start).toBeGreaterThan(0);
    const end = readme.findIndex((line, i) => i > start && !line.startsWith('|'));
    expect(readme.slice(start, end).join('\n')).toBe(addressPlanTable(exampleInput()));
  });

  it('gives main-01 the first /18 and lays out its subnets per AZ', () => {
    const c = plan.clusters['main-01'];
    expect(c.cidr).toBe('10.0.0.0/18');
    expect(c.pinned).toBe(false);
    expect(cidrs(c.privateSubnets)).toEqual(['10.0.0.0/20', '10.0.16.0/20', '10.0.32.0/20']);
    expect(cidrs(c.publicSubnets)).toEqual(['10.0.63.0/24', '10.0.62.0/24', '10.0.61.0/24']);
    // Below the space of 8 public /24s (10.0.56.0/21): slot a at the top, growing down.
    expect(cidrs(c.controlPlaneSubnets)).toEqual([
      '10.0.55.240/28',
      '10.0.55.224/28',
      '10.0.55.208/28',
    ]);
    expect(c.privateSubnets.map((s) => s.availabilityZone)).toEqual(AZS);
    expect(c.controlPlaneSubnets.map((s) => s.availabilityZone)).toEqual(AZS);
    expect(c.vpcRange).toBe('10.0.0.0/16');
  });

  it('sizes private subnets for prefix delegation and reserves three quarters for /28 prefixes', () => {
    // EKS: "Using IP prefixes can fail if IP addresses are scattered throughout the subnet
    // CIDR" and recommends subnet CIDR reservations
    // (https://docs.aws.amazon.com/eks/latest/userguide/cni-increase-ip-addresses-procedure.html).
    const [a] = plan.clusters['main-01'].privateSubnets;
    expect(a.prefixReservations).toEqual(['10.0.8.0/21', '10.0.4.0/22']);
    // 3,072 reserved addresses = 192 prefixes of 16 (VPC CNI assigns /28 prefixes); node and
    // load balancer addresses come from the lowest /22.
    const reserved = a.prefixReservations
      .map((r) => 2 ** (32 - Number(r.split('/')[1])))
      .reduce((x, y) => x + y, 0);
    expect(reserved / 16).toBe(192);
    for (const r of a.prefixReservations) expect(cidrWithin(r, a.cidr)).toBe(true);
    expect(cidrsOverlap(a.prefixReservations[0], a.prefixReservations[1])).toBe(false);
    expect(cidrsOverlap('10.0.0.0/22', a.prefixReservations[0])).toBe(false);
    expect(cidrsOverlap('10.0.0.0/22', a.prefixReservations[1])).toBe(false);
    // Every reservation is /28-aligned, so it holds whole prefixes.
    for (const r of a.prefixReservations) expect(Number(r.split('/')[1])).toBeLessThanOrEqual(28);
  });

  it('puts the NAT and endpoint subnets in the last /22 of the VPC', () => {
    expect(plan.shared.cidr).toBe('10.0.252.0/22');
    expect(cidrs(plan.shared.natSubnets)).toEqual([
      '10.0.252.0/26',
      '10.0.252.64/26',
      '10.0.252.128/26',
    ]);
    expect(cidrs(plan.shared.endpointSubnets)).toEqual([
      '10.0.254.0/26',
      '10.0.254.64/26',
      '10.0.254.128/26',
    ]);
  });

  it('has disjoint subnets inside their blocks', () => expectDisjoint(exampleInput()));

  it('keys AZ slots on the letter', () => {
    expect(AZS.map(azSlot)).toEqual([0, 1, 2]);
    expect(azSlot('us-east-1f')).toBe(5);
  });
});

describe('stability', () => {
  const one = planAddresses(base).clusters['main-01'];

  it('adding a second and a third cluster leaves the first unchanged and all disjoint', () => {
    const input = { ...base, clusters: ['main-01', 'main-02', 'analytics'] };
    const plan = planAddresses(input);
    expect(plan.clusters['main-01']).toEqual(one);
    expect(plan.clusters['main-02'].cidr).toBe('10.0.64.0/18');
    expect(plan.clusters['analytics'].cidr).toBe('10.0.128.0/18');
    expectDisjoint(input);
  });

  it('adding an AZ (even one before the others alphabetically) moves no subnet', () => {
    const twoAzs = planAddresses({ ...base, availabilityZones: ['eu-central-1b', 'eu-central-1c'] })
      .clusters['main-01'];
    const threeAzs = planAddresses({
      ...base,
      availabilityZones: ['eu-central-1b', 'eu-central-1c', 'eu-central-1a'],
    }).clusters['main-01'];
    for (const kind of ['privateSubnets', 'publicSubnets', 'controlPlaneSubnets'] as const) {
      for (const s of twoAzs[kind]) expect(threeAzs[kind]).toContainEqual(s);
    }
  });

  it('pins win; an appended pinned cluster moves nobody', () => {
    const input = {
      ...base,
      clusters: ['main-01', 'main-02', 'edge'],
      clusterBlocks: { edge: '10.0.128.0/18' },
    };
    const plan = planAddresses(input);
    expect(plan.clusters['main-01']).toEqual(one);
    expect(plan.clusters['main-02'].cidr).toBe('10.0.64.0/18');
    expect(plan.clusters['edge']).toMatchObject({ cidr: '10.0.128.0/18', pinned: true });
    expect(cidrs(plan.clusters['edge'].privateSubnets)).toEqual([
      '10.0.128.0/20',
      '10.0.144.0/20',
      '10.0.160.0/20',
    ]);
    expectDisjoint(input);
  });

  it('unpinned clusters after a pin skip the pinned block', () => {
    const plan = planAddresses({
      ...base,
      clusters: ['pinned', 'main-01'],
      clusterBlocks: { pinned: '10.0.0.0/18' },
    });
    expect(plan.clusters['main-01'].cidr).toBe('10.0.64.0/18');
  });

  it('honours a pinned shared block', () => {
    const plan = planAddresses({ ...base, sharedBlock: '10.0.64.0/24', clusters: ['a', 'b'] });
    expect(plan.shared.cidr).toBe('10.0.64.0/24');
    expect(cidrs(plan.shared.natSubnets)).toEqual([
      '10.0.64.0/28',
      '10.0.64.16/28',
      '10.0.64.32/28',
    ]);
    expect(plan.clusters['b'].cidr).toBe('10.0.128.0/18');
  });
});

describe('growing the network: secondary ranges, more clusters', () => {
  const four = ['main-01', 'b', 'c', 'd'];

  it('puts the blocks that no longer fit into a secondary range, moving no existing one', () => {
    const before = planAddresses({ ...base, clusters: ['main-01', 'b', 'c'] });
    const input = { ...base, clusters: four, secondaryCidrs: ['10.1.0.0/16'] };
    const after = planAddresses(input);
    for (const k of ['main-01', 'b', 'c']) expect(after.clusters[k]).toEqual(before.clusters[k]);
    expect(after.clusters['d']).toMatchObject({ cidr: '10.1.0.0/18', vpcRange: '10.1.0.0/16' });
    expect(after.secondaryCidrs).toEqual(['10.1.0.0/16']);
    expectDisjoint(input);
  });

  it('accepts a pin inside a secondary range', () => {
    const plan = planAddresses({
      ...base,
      clusters: ['main-01', 'x'],
      secondaryCidrs: ['100.64.0.0/16'],
      clusterBlocks: { x: '100.64.64.0/18' },
    });
    expect(plan.clusters['x']).toMatchObject({ vpcRange: '100.64.0.0/16', pinned: true });
  });

  it('refuses a secondary range that is not a network address or overlaps another', () => {
    const problems = (secondaryCidrs: string[]) =>
      addressPlanProblems({ ...base, secondaryCidrs }).map(
        (p) => `${p.path.join('.')}: ${p.message}`,
      );
    expect(problems(['10.0.128.0/17'])).toEqual([
      'network.secondaryCidrs.0: 10.0.128.0/17 overlaps the VPC range 10.0.0.0/16',
    ]);
    expect(problems(['10.1.0.0/16', '10.1.0.0/17'])).toEqual([
      'network.secondaryCidrs.1: 10.1.0.0/17 overlaps the VPC range 10.1.0.0/16',
    ]);
    expect(problems(['10.1.0.1/16'])).toEqual([
      'network.secondaryCidrs.0: "10.1.0.1/16" must be an IPv4 network address in CIDR form',
    ]);
  });

  it('schema: secondary ranges /16 to /28 (the VPC CIDR block sizes), control-plane subnets /24 to /28', () => {
    // "The allowed block size is between a /28 netmask and /16 netmask"
    // (https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html).
    const ours = (list: string[]) => list.filter((m) => m.startsWith('network.'));
    expect(ours(problemsOf((raw) => (raw.network.secondaryCidrs = ['10.8.0.0/15'])))).toEqual([
      'network.secondaryCidrs[0]: a secondary VPC range must be /16 to /28, got /15',
    ]);
    expect(ours(problemsOf((raw) => (raw.network.controlPlaneSubnetPrefix = 29)))).toEqual([
      'network.controlPlaneSubnetPrefix: a control-plane subnet must be /24 to /28 (EKS needs at least 6 addresses per subnet)',
    ]);
  });

  it('adding a second and a third cluster (generated variants) never changes an existing subnet CIDR', () => {
    const subnetsOf = (clusters: number) => {
      const env = scaledEnv({ clusters });
      return new Map(
        planSubnets(planAddresses(addressPlanInput(env.network, Object.keys(env.clusters)))),
      );
    };
    const one = subnetsOf(1);
    const two = subnetsOf(2);
    const three = subnetsOf(3);
    for (const [label, cidr] of one) {
      expect(two.get(label)).toBe(cidr);
      expect(three.get(label)).toBe(cidr);
    }
    for (const [label, cidr] of two) expect(three.get(label)).toBe(cidr);
    expect(three.size).toBe(one.size + 2 * 9); // 3 private, 3 public, 3 control-plane per cluster
  });

  it('keeps subnets of networks made with the old /22 default when it is pinned (migration)', () => {
    const old = planAddresses({ ...base, privateSubnetPrefix: 22 }).clusters['main-01'];
    expect(cidrs(old.privateSubnets)).toEqual(['10.0.0.0/22', '10.0.4.0/22', '10.0.8.0/22']);
    expect(cidrs(old.publicSubnets)).toEqual(['10.0.63.0/24', '10.0.62.0/24', '10.0.61.0/24']);
  });
});
