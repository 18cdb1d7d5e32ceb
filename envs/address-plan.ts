/**
 * The address planner: pure TypeScript, no constructs. From the VPC range, the availability
 * zones and the clusters it computes, at synth time, every subnet's literal CIDR, so plans
 * show real ranges. Arithmetic uses the `ip-address` library
 * (https://github.com/beaugunderson/ip-address).
 *
 * Layout (all offsets relative to the containing block):
 * - **Cluster blocks** (`clusterBlockPrefix`, default /18): one per cluster. A pinned block
 *   (`network.clusterBlocks.<cluster>`) is used as given; the others take the lowest free
 *   aligned block in the VPC, first-fit in the order the clusters are listed. So appending a
 *   cluster never moves an existing one. (Removing or reordering unpinned clusters does: pin
 *   the blocks of the later clusters first.)
 * - **Subnets in a cluster block**, keyed by the AZ's letter (`a` → slot 0, `b` → 1, …), not
 *   by its position in the list, so adding an AZ never moves a subnet: the private subnet of
 *   slot *i* (`privateSubnetPrefix`, default /22) sits at *i* × its size from the bottom of
 *   the block; the public subnet of slot *i* (`publicSubnetPrefix`, default /24) at (*i* + 1)
 *   × its size from the top. Private subnets grow upwards, public ones downwards.
 * - **Shared block** (default: the last /22 of the VPC, {@link SHARED_BLOCK_PREFIX}): cut in
 *   16 equal subnets; slots 0–7 (lower half) are the public NAT subnets of AZ letters a–h,
 *   slots 8–15 the interface-endpoint subnets of the same letters.
 *
 * Problems are reported with the environment path of the field to change (`network.…` or
 * `clusters.<name>`) and a message naming the rule, e.g.
 * `network.clusterBlocks.main-02: 10.0.0.0/18 overlaps main-01 (10.0.0.0/18)`.
 */
import { Address4 } from 'ip-address';

/** Prefix length of the default shared block (fck-nat and endpoint subnets): /22. */
export const SHARED_BLOCK_PREFIX = 22;
/** AZ letters the shared block has slots for (`a`…`h`). */
export const MAX_AZ_SLOTS = 8;

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
  /** Prefix length of a private subnet (default 22). */
  readonly privateSubnetPrefix?: number;
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
  /** Private subnets, one per AZ, in `availabilityZones` order. */
  readonly privateSubnets: readonly PlannedSubnet[];
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

/** A range as bigint bounds. */
interface Range {
  readonly start: bigint;
  readonly prefix: number;
}

const size = (prefix: number): bigint => 1n << BigInt(32 - prefix);
const end = (r: Range): bigint => r.start + size(r.prefix); // exclusive
const cidrOf = (r: Range): string => `${Address4.fromBigInt(r.start).correctForm()}/${r.prefix}`;
const overlaps = (a: Range, b: Range): boolean => a.start < end(b) && b.start < end(a);
const within = (inner: Range, outer: Range): boolean =>
  inner.start >= outer.start && end(inner) <= end(outer);

/** Parses a CIDR that must be a network address; undefined if it is not. */
function parse(cidr: string): Range | undefined {
  if (!/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(cidr) || !Address4.isValid(cidr)) return undefined;
  const a = new Address4(cidr);
  if (a.networkForm() !== cidr) return undefined;
  return { start: a.startAddress().bigInt(), prefix: a.subnetMask };
}

/** The slot of an AZ: its letter's index (`eu-central-1c` → 2); -1 if it does not end in a-z. */
export function azSlot(az: string): number {
  const m = /[a-z]$/.exec(az);
  return m ? m[0].charCodeAt(0) - 'a'.charCodeAt(0) : -1;
}

/** Subnets of one cluster block for the given AZs (see the module doc for the layout). */
function clusterSubnets(
  block: Range,
  azs: readonly string[],
  publicPrefix: number,
  privatePrefix: number,
) {
  const blockEnd = end(block);
  return {
    privateSubnets: azs.map((az) => ({
      availabilityZone: az,
      cidr: cidrOf({
        start: block.start + BigInt(azSlot(az)) * size(privatePrefix),
        prefix: privatePrefix,
      }),
    })),
    publicSubnets: azs.map((az) => ({
      availabilityZone: az,
      cidr: cidrOf({
        start: blockEnd - BigInt(azSlot(az) + 1) * size(publicPrefix),
        prefix: publicPrefix,
      }),
    })),
  };
}

/**
 * Why the subnets of `azs` do not fit a block of `blockPrefix` (undefined if they do): the
 * private subnets of slots 0..max and the public subnets of slots 0..max must not meet.
 */
function layoutProblem(
  blockPrefix: number,
  azs: readonly string[],
  publicPrefix: number,
  privatePrefix: number,
): string | undefined {
  const slots = Math.max(...azs.map(azSlot)) + 1;
  const needed = BigInt(slots) * (size(privatePrefix) + size(publicPrefix));
  if (privatePrefix < blockPrefix || publicPrefix < blockPrefix || needed > size(blockPrefix)) {
    const last = String.fromCharCode('a'.charCodeAt(0) + slots - 1);
    return (
      `a /${blockPrefix} block cannot hold a /${privatePrefix} private and a /${publicPrefix} public subnet ` +
      `for each AZ slot a..${last} (${needed} addresses needed, ${size(blockPrefix)} available)`
    );
  }
  return undefined;
}

/**
 * Computes the plan, or the problems that prevent it.
 * @returns the plan, or `problems` (each with its environment path) when the input is invalid
 */
function compute(input: AddressPlanInput): { plan?: AddressPlan; problems: AddressPlanProblem[] } {
  const problems: AddressPlanProblem[] = [];
  const add = (path: (string | number)[], message: string) => problems.push({ path, message });
  const blockPrefix = input.clusterBlockPrefix ?? 18;
  const publicPrefix = input.publicSubnetPrefix ?? 24;
  const privatePrefix = input.privateSubnetPrefix ?? 22;
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
  if (problems.length) return { problems };

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
  const defaultLayout = layoutProblem(blockPrefix, azs, publicPrefix, privatePrefix);
  const unpinned = input.clusters.filter((c) => pins[c] === undefined);
  if (defaultLayout && unpinned.length > 0) add(['network', 'clusterBlockPrefix'], defaultLayout);
  if (blockPrefix < vpc.prefix && unpinned.length > 0) {
    add(
      ['network', 'clusterBlockPrefix'],
      `a /${blockPrefix} cluster block is larger than the VPC range ${input.vpcCidr} (use /${vpc.prefix} or longer)`,
    );
  }

  // One pass in config order: a pinned cluster takes its pin (which must not overlap the
  // shared block or any earlier cluster's block), an unpinned one the lowest free block. A
  // cluster's block thus depends only on the clusters listed before it: appending a cluster,
  // pinned or not, never moves an existing one.
  const taken: { name: string; range: Range }[] = [];
  if (shared) taken.push({ name: 'the shared block', range: shared });
  const blocks = new Map<string, { range: Range; pinned: boolean }>();
  const count = Number(size(vpc.prefix) / size(blockPrefix));
  for (const cluster of input.clusters) {
    const pin = pins[cluster];
    if (pin !== undefined) {
      const path = ['network', 'clusterBlocks', cluster];
      const range = parse(pin);
      if (!range) {
        add(path, `"${pin}" must be an IPv4 network address in CIDR form`);
        continue;
      }
      if (!within(range, vpc)) {
        add(path, `${pin} is outside the VPC range ${input.vpcCidr}`);
        continue;
      }
      const clash = taken.find((t) => overlaps(t.range, range));
      if (clash) {
        add(path, `${pin} overlaps ${clash.name} (${cidrOf(clash.range)})`);
        continue;
      }
      const layout = layoutProblem(range.prefix, azs, publicPrefix, privatePrefix);
      if (layout) {
        add(path, `${pin}: ${layout}`);
        continue;
      }
      taken.push({ name: cluster, range });
      blocks.set(cluster, { range, pinned: true });
      continue;
    }
    if (defaultLayout || blockPrefix < vpc.prefix) continue; // reported on clusterBlockPrefix
    let found: Range | undefined;
    for (let i = 0; i < count && !found; i += 1) {
      const candidate = { start: vpc.start + BigInt(i) * size(blockPrefix), prefix: blockPrefix };
      if (!taken.some((t) => overlaps(t.range, candidate))) found = candidate;
    }
    if (!found) {
      add(
        ['clusters', cluster],
        `no free /${blockPrefix} block left in ${input.vpcCidr} (too many clusters: the range holds ${count} ` +
          `blocks of /${blockPrefix}, less the shared block and the blocks of the clusters listed before this one); ` +
          `widen network.cidr, use a longer network.clusterBlockPrefix (smaller blocks) or pin smaller blocks in network.clusterBlocks`,
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
            ...clusterSubnets(b.range, azs, publicPrefix, privatePrefix),
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
  }
  for (const s of plan.shared.natSubnets) out.push([`shared/nat/${s.availabilityZone}`, s.cidr]);
  for (const s of plan.shared.endpointSubnets)
    out.push([`shared/endpoints/${s.availabilityZone}`, s.cidr]);
  return out;
}

/**
 * Whether two CIDRs overlap.
 * @throws Error if either is not an IPv4 network address in CIDR form
 */
export function cidrsOverlap(a: string, b: string): boolean {
  const ra = parse(a);
  const rb = parse(b);
  if (!ra || !rb) throw new Error(`not a CIDR network address: ${ra ? b : a}`);
  return overlaps(ra, rb);
}

/**
 * Whether CIDR `inner` lies inside CIDR `outer`.
 * @throws Error if either is not an IPv4 network address in CIDR form
 */
export function cidrWithin(inner: string, outer: string): boolean {
  const ri = parse(inner);
  const ro = parse(outer);
  if (!ri || !ro) throw new Error(`not a CIDR network address: ${ri ? outer : inner}`);
  return within(ri, ro);
}
