/**
 * The address planner: pure TypeScript, no constructs. From the VPC range (and its secondary
 * ranges), the availability zones and the clusters it computes, at synth time, every subnet's
 * literal CIDR, so plans show real ranges. Arithmetic: `envs/cidr.ts` (on `ip-address`).
 *
 * Layout (all offsets relative to the containing block):
 * - **Cluster blocks** (`clusterBlockPrefix`, default /18): one per cluster. A pinned block
 *   (`network.clusterBlocks.<cluster>`) is used as given (it may lie in the primary range or in
 *   a secondary one); the others take the lowest free aligned block, first in the primary VPC
 *   range, then in each of `network.secondaryCidrs` in order, first-fit in the order the
 *   clusters are listed. So appending a cluster never moves an existing one, and neither does
 *   appending a secondary range. (Removing or reordering unpinned clusters does: pin the blocks
 *   of the later clusters first.) When blocks run out, the fix that moves nothing is to pin the
 *   existing blocks and add a secondary range (`cidr_block` of a VPC or subnet is ForceNew:
 *   widening `network.cidr` or changing a prefix replaces the VPC or subnets holding EKS and
 *   load balancer interfaces).
 * - **Subnets in a cluster block**, keyed by the AZ's letter (`a` → slot 0, `b` → 1, …), not
 *   by its position in the list, so adding an AZ never moves a subnet:
 *   - the private subnet of slot *i* (`privateSubnetPrefix`, default /20, sized for VPC CNI
 *     prefix delegation) sits at *i* × its size from the bottom of the block;
 *   - the public subnet of slot *i* (`publicSubnetPrefix`, default /24) at (*i* + 1) × its size
 *     from the top;
 *   - the control-plane subnet of slot *i* (`controlPlaneSubnetPrefix`, default /28: the EKS
 *     control-plane network interfaces only) at (*i* + 1) × its size below the space of
 *     {@link MAX_AZ_SLOTS} public subnets. Private subnets grow upwards, the others downwards.
 * - **Prefix reservations** in each private subnet: the upper three quarters (two CIDRs, the
 *   upper half and the second quarter) are reserved for prefixes (`aws_ec2_subnet_cidr_reservation`
 *   of type `prefix`), so the VPC CNI's /28 prefixes never fail on a subnet fragmented by node
 *   and load-balancer addresses, which take the lowest quarter. Source:
 *   https://docs.aws.amazon.com/eks/latest/userguide/cni-increase-ip-addresses-procedure.html
 *   ("Using IP prefixes can fail if IP addresses are scattered throughout the subnet CIDR";
 *   it recommends subnet CIDR reservations).
 * - **Shared block** (default: the last /22 of the primary VPC range, {@link SHARED_BLOCK_PREFIX}):
 *   cut in 16 equal subnets; slots 0–7 (lower half) are the public NAT subnets of AZ letters
 *   a–h, slots 8–15 the interface-endpoint subnets of the same letters.
 *
 * Problems are reported with the environment path of the field to change (`network.…` or
 * `clusters.<name>`) and a message naming the rule, e.g.
 * `network.clusterBlocks.main-02: 10.0.0.0/18 overlaps main-01 (10.0.0.0/18)`.
 */
import { cidrOf, end, overlaps, parse, size, within, type Range } from './cidr';
import {
  MAX_AZ_SLOTS,
  azSlot,
  clusterSubnets,
  layoutProblem,
  type Prefixes,
} from './address-layout';

export { MAX_AZ_SLOTS, azSlot } from './address-layout';

export { cidrsOverlap, cidrWithin } from './cidr';

/** Prefix length of the default shared block (fck-nat and endpoint subnets): /22. */
export const SHARED_BLOCK_PREFIX = 22;
/** Default private subnet prefix: /20 (4,096 addresses; 192 /28 prefixes reserved). */
export const DEFAULT_PRIVATE_SUBNET_PREFIX = 20;
/**
 * Default control-plane subnet prefix: /28. EKS: "The subnets must each have at least six IP
 * addresses for use by Amazon EKS. However, we recommend at least 16 IP addresses."
 * Source: https://docs.aws.amazon.com/eks/latest/userguide/network-reqs.html
 */
export const DEFAULT_CONTROL_PLANE_SUBNET_PREFIX = 28;

/** Input of {@link planAddresses}; field names follow the `network` config section. */
export interface AddressPlanInput {
  /** VPC range, CIDR (`10.0.0.0/16`). */
  readonly vpcCidr: string;
  /** AZ names, e.g. `eu-central-1a`; the last letter is the AZ's slot. Output keeps this order. */
  readonly availabilityZones: readonly string[];
  /** Cluster keys in config order (first-fit order for unpinned clusters). */
  readonly clusters: readonly string[];
  /** Prefix length of a cluster block (default 18). */
  readonly clusterBlockPrefix?: number;
  /** Prefix length of a public subnet (default 24). */
  readonly publicSubnetPrefix?: number;
  /** Prefix length of a private subnet (default {@link DEFAULT_PRIVATE_SUBNET_PREFIX}). */
  readonly privateSubnetPrefix?: number;
  /** Prefix length of a control-plane subnet (default {@link DEFAULT_CONTROL_PLANE_SUBNET_PREFIX}). */
  readonly controlPlaneSubnetPrefix?: number;
  /** Secondary VPC ranges, CIDR, in the order unpinned blocks fill them (default none). */
  readonly secondaryCidrs?: readonly string[];
  /** Pinned cluster blocks, CIDR by cluster key (default none). */
  readonly clusterBlocks?: Readonly<Record<string, string>>;
  /** Shared block, CIDR (default: the last /{@link SHARED_BLOCK_PREFIX} of the VPC). */
  readonly sharedBlock?: string;
}

/** One subnet of the plan. */
export interface PlannedSubnet {
  /** AZ name (`eu-central-1a`). */
  readonly availabilityZone: string;
  /** CIDR, literal. */
  readonly cidr: string;
}

/** A private subnet: its CIDR and the ranges reserved in it for VPC CNI prefixes. */
export interface PlannedPrivateSubnet extends PlannedSubnet {
  /**
   * CIDRs reserved for prefixes (`aws_ec2_subnet_cidr_reservation`, type `prefix`): the upper
   * half and the second quarter of the subnet; [] when the subnet is too small (longer than /26).
   */
  readonly prefixReservations: readonly string[];
}

/** One cluster's block and subnets. */
export interface ClusterBlockPlan {
  /** Cluster key (`main-01`). */
  readonly name: string;
  /** The block, CIDR. */
  readonly cidr: string;
  /** Whether the block came from `network.clusterBlocks`. */
  readonly pinned: boolean;
  /** Public subnets, one per AZ, in `availabilityZones` order. */
  readonly publicSubnets: readonly PlannedSubnet[];
  /** Private subnets (nodes, pods, internal load balancers), one per AZ, same order. */
  readonly privateSubnets: readonly PlannedPrivateSubnet[];
  /** Control-plane subnets (the EKS control plane's network interfaces), one per AZ, same order. */
  readonly controlPlaneSubnets: readonly PlannedSubnet[];
  /** The VPC range (primary or secondary) the block lies in, CIDR. */
  readonly vpcRange: string;
}

/** The shared block: NAT and endpoint subnets. */
export interface SharedBlockPlan {
  /** The shared block, CIDR. */
  readonly cidr: string;
  /** Public subnets of the fck-nat instances, one per AZ, in `availabilityZones` order. */
  readonly natSubnets: readonly PlannedSubnet[];
  /** Private subnets of the interface endpoints, one per AZ, same order. */
  readonly endpointSubnets: readonly PlannedSubnet[];
}

/** The computed address plan. */
export interface AddressPlan {
  /** VPC range, CIDR (as given). */
  readonly vpcCidr: string;
  /** Secondary VPC ranges, CIDR, as given (each an `aws_vpc_ipv4_cidr_block_association`). */
  readonly secondaryCidrs: readonly string[];
  /** AZ names, in the input's order (every subnet list follows it). */
  readonly availabilityZones: readonly string[];
  /** Cluster blocks by cluster key, in the input's cluster order. */
  readonly clusters: Readonly<Record<string, ClusterBlockPlan>>;
  /** The shared block (NAT and endpoint subnets). */
  readonly shared: SharedBlockPlan;
}

/** One problem: the environment path of the field to change and the rule it breaks. */
export interface AddressPlanProblem {
  /** Environment path of the field to change (`['network', 'clusterBlocks', 'main-02']`). */
  readonly path: (string | number)[];
  /** The rule broken, with the values (`10.0.16.0/20 overlaps main-01 (10.0.0.0/18)`). */
  readonly message: string;
}

/** Thrown by {@link planAddresses}; `problems` lists every problem as `path: message`. */
export class AddressPlanError extends Error {
  constructor(readonly problems: readonly AddressPlanProblem[]) {
    super(`address plan: ${problems.map((p) => `${p.path.join('.')}: ${p.message}`).join('; ')}`);
    this.name = 'AddressPlanError';
  }
}

/**
 * Computes the plan, or the problems that prevent it.
 * @returns the plan, or `problems` (each with its environment path) when the input is invalid
 */
function compute(input: AddressPlanInput): { plan?: AddressPlan; problems: AddressPlanProblem[] } {
  const problems: AddressPlanProblem[] = [];
  const add = (path: (string | number)[], message: string) => problems.push({ path, message });
  const blockPrefix = input.clusterBlockPrefix ?? 18;
  const prefixes: Prefixes = {
    public: input.publicSubnetPrefix ?? 24,
    private: input.privateSubnetPrefix ?? DEFAULT_PRIVATE_SUBNET_PREFIX,
    controlPlane: input.controlPlaneSubnetPrefix ?? DEFAULT_CONTROL_PLANE_SUBNET_PREFIX,
  };
  const pins = input.clusterBlocks ?? {};
  const azs = input.availabilityZones;

  const vpc = parse(input.vpcCidr);
  if (!vpc) {
    add(
      ['network', 'cidr'],
      `"${input.vpcCidr}" must be an IPv4 network address in CIDR form (10.0.0.0/16)`,
    );
    return { problems };
  }
  azs.forEach((az, i) => {
    const slot = azSlot(az);
    if (slot < 0 || slot >= MAX_AZ_SLOTS)
      add(
        ['network', 'availabilityZones', i],
        `"${az}" must end in a letter a..h (its address slot)`,
      );
  });
  // Secondary ranges: network addresses, disjoint from the primary range and each other.
  const ranges: { cidr: string; range: Range }[] = [{ cidr: input.vpcCidr, range: vpc }];
  (input.secondaryCidrs ?? []).forEach((cidr, i) => {
    const path = ['network', 'secondaryCidrs', i];
    const range = parse(cidr);
    if (!range) {
      add(path, `"${cidr}" must be an IPv4 network address in CIDR form`);
      return;
    }
    const clash = ranges.find((r) => overlaps(r.range, range));
    if (clash) {
      add(path, `${cidr} overlaps the VPC range ${clash.cidr}`);
      return;
    }
    ranges.push({ cidr, range });
  });
  if (problems.length) return { problems };
  const rangeOf = (r: Range) => ranges.find((v) => within(r, v.range));

  // The shared block.
  let shared: Range | undefined;
  if (input.sharedBlock !== undefined) {
    shared = parse(input.sharedBlock);
    if (!shared)
      add(
        ['network', 'sharedBlock'],
        `"${input.sharedBlock}" must be an IPv4 network address in CIDR form`,
      );
    else if (!within(shared, vpc))
      add(
        ['network', 'sharedBlock'],
        `${input.sharedBlock} is outside the VPC range ${input.vpcCidr}`,
      );
    else if (shared.prefix > 24)
      add(
        ['network', 'sharedBlock'],
        `${input.sharedBlock} is too small: the shared block must be /24 or larger`,
      );
  } else if (vpc.prefix > SHARED_BLOCK_PREFIX) {
    add(
      ['network', 'cidr'],
      `${input.vpcCidr} is too small for the /${SHARED_BLOCK_PREFIX} shared block`,
    );
  } else {
    shared = { start: end(vpc) - size(SHARED_BLOCK_PREFIX), prefix: SHARED_BLOCK_PREFIX };
  }

  // The default block size must hold the subnets (checked once, reported on the prefixes).
  const defaultLayout = layoutProblem(blockPrefix, azs, prefixes);
  const unpinned = input.clusters.filter((c) => pins[c] === undefined);
  if (defaultLayout && unpinned.length > 0) add(['network', 'clusterBlockPrefix'], defaultLayout);
  const largest = Math.min(...ranges.map((r) => r.range.prefix));
  if (blockPrefix < largest && unpinned.length > 0) {
    add(
      ['network', 'clusterBlockPrefix'],
      `a /${blockPrefix} cluster block is larger than every VPC range (${ranges.map((r) => r.cidr).join(', ')}; use /${largest} or longer)`,
    );
  }

  // One pass in config order: a pinned cluster takes its pin (which must not overlap the
  // shared block or any earlier cluster's block), an unpinned one the lowest free block. A
  // cluster's block thus depends only on the clusters listed before it: appending a cluster,
  // pinned or not, never moves an existing one.
  const taken: { name: string; range: Range }[] = [];
  if (shared) taken.push({ name: 'the shared block', range: shared });
  const blocks = new Map<string, { range: Range; pinned: boolean }>();
  const candidates = ranges.flatMap((v) => {
    const n = v.range.prefix <= blockPrefix ? Number(size(v.range.prefix) / size(blockPrefix)) : 0;
    return Array.from({ length: n }, (_, i) => ({
      start: v.range.start + BigInt(i) * size(blockPrefix),
      prefix: blockPrefix,
    }));
  });
  for (const cluster of input.clusters) {
    const pin = pins[cluster];
    if (pin !== undefined) {
      const path = ['network', 'clusterBlocks', cluster];
      const range = parse(pin);
      if (!range) {
        add(path, `"${pin}" must be an IPv4 network address in CIDR form`);
        continue;
      }
      if (!rangeOf(range)) {
        add(
          path,
          `${pin} is outside the VPC ranges (${ranges.map((r) => r.cidr).join(', ')}; add a secondary range to network.secondaryCidrs)`,
        );
        continue;
      }
      const clash = taken.find((t) => overlaps(t.range, range));
      if (clash) {
        add(path, `${pin} overlaps ${clash.name} (${cidrOf(clash.range)})`);
        continue;
      }
      const layout = layoutProblem(range.prefix, azs, prefixes);
      if (layout) {
        add(path, `${pin}: ${layout}`);
        continue;
      }
      taken.push({ name: cluster, range });
      blocks.set(cluster, { range, pinned: true });
      continue;
    }
    if (defaultLayout || blockPrefix < largest) continue; // reported on clusterBlockPrefix
    const found = candidates.find((c) => !taken.some((t) => overlaps(t.range, c)));
    if (!found) {
      // Never advise widening network.cidr or changing a prefix: cidr_block is ForceNew on the
      // VPC and on subnets, so either replaces what holds EKS and load balancer interfaces.
      add(
        ['clusters', cluster],
        `no free /${blockPrefix} block left in the VPC ranges (${ranges.map((r) => r.cidr).join(', ')}: ` +
          `${candidates.length} blocks of /${blockPrefix}, less the shared block and the blocks of the clusters listed before this one); ` +
          `pin the existing blocks in network.clusterBlocks and add a secondary range to network.secondaryCidrs ` +
          `(changing network.cidr or a prefix would replace existing subnets)`,
      );
      continue;
    }
    taken.push({ name: cluster, range: found });
    blocks.set(cluster, { range: found, pinned: false });
  }
  if (problems.length || !shared) return { problems };

  const sharedRange = shared;
  const sharedSlot = size(sharedRange.prefix) / 16n;
  const sharedPrefix = sharedRange.prefix + 4;
  const sharedSubnet = (az: string, half: number) => ({
    availabilityZone: az,
    cidr: cidrOf({
      start: sharedRange.start + BigInt(half * MAX_AZ_SLOTS + azSlot(az)) * sharedSlot,
      prefix: sharedPrefix,
    }),
  });
  const plan: AddressPlan = {
    vpcCidr: input.vpcCidr,
    secondaryCidrs: ranges.slice(1).map((r) => r.cidr),
    availabilityZones: [...azs],
    clusters: Object.fromEntries(
      input.clusters.map((name) => {
        const b = blocks.get(name)!;
        return [
          name,
          {
            name,
            cidr: cidrOf(b.range),
            pinned: b.pinned,
            vpcRange: rangeOf(b.range)!.cidr,
            ...clusterSubnets(b.range, azs, prefixes),
          },
        ];
      }),
    ),
    shared: {
      cidr: cidrOf(sharedRange),
      natSubnets: azs.map((az) => sharedSubnet(az, 0)),
      endpointSubnets: azs.map((az) => sharedSubnet(az, 1)),
    },
  };
  return { plan, problems };
}

/**
 * Every problem of an address-plan input ([] if the plan can be computed). Never throws.
 * Used by the environment schema's cross-field rules.
 */
export function addressPlanProblems(input: AddressPlanInput): AddressPlanProblem[] {
  return compute(input).problems;
}

/**
 * Computes the address plan.
 * @throws AddressPlanError listing every problem (environment path + rule)
 */
export function planAddresses(input: AddressPlanInput): AddressPlan {
  const { plan, problems } = compute(input);
  if (!plan) throw new AddressPlanError(problems);
  return plan;
}

/** Every subnet CIDR of a plan, for disjointness checks: `[label, cidr]`. */
export function planSubnets(plan: AddressPlan): [string, string][] {
  const out: [string, string][] = [];
  for (const c of Object.values(plan.clusters)) {
    for (const s of c.privateSubnets) out.push([`${c.name}/private/${s.availabilityZone}`, s.cidr]);
    for (const s of c.publicSubnets) out.push([`${c.name}/public/${s.availabilityZone}`, s.cidr]);
    for (const s of c.controlPlaneSubnets)
      out.push([`${c.name}/control-plane/${s.availabilityZone}`, s.cidr]);
  }
  for (const s of plan.shared.natSubnets) out.push([`shared/nat/${s.availabilityZone}`, s.cidr]);
  for (const s of plan.shared.endpointSubnets)
    out.push([`shared/endpoints/${s.availabilityZone}`, s.cidr]);
  return out;
}
