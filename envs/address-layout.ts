/**
 * The layout of one cluster block (see `envs/address-plan.ts` for the whole plan): where each
 * AZ slot's private, public and control-plane subnets sit, the prefix reservations in the
 * private subnets, and whether a block of a given size holds them.
 */
import { cidrOf, end, size, type Range } from './cidr';

/** AZ letters each block has slots for (`a`…`h`); also the shared block's. */
export const MAX_AZ_SLOTS = 8;

/** The slot of an AZ: its letter's index (`eu-central-1c` → 2); -1 if it does not end in a-z. */
export function azSlot(az: string): number {
  const m = /[a-z]$/.exec(az);
  return m ? m[0].charCodeAt(0) - 'a'.charCodeAt(0) : -1;
}

/** Subnets of one cluster block for the given AZs (see the module doc for the layout). */
export function clusterSubnets(block: Range, azs: readonly string[], p: Prefixes) {
  const blockEnd = end(block);
  const at = (start: bigint, prefix: number) => cidrOf({ start, prefix });
  const cpTop = blockEnd - BigInt(MAX_AZ_SLOTS) * size(p.public);
  return {
    privateSubnets: azs.map((az) => {
      const start = block.start + BigInt(azSlot(az)) * size(p.private);
      const reservations =
        p.private <= 26
          ? [
              at(start + size(p.private + 1), p.private + 1),
              at(start + size(p.private + 2), p.private + 2),
            ]
          : [];
      return { availabilityZone: az, cidr: at(start, p.private), prefixReservations: reservations };
    }),
    publicSubnets: azs.map((az) => ({
      availabilityZone: az,
      cidr: at(blockEnd - BigInt(azSlot(az) + 1) * size(p.public), p.public),
    })),
    controlPlaneSubnets: azs.map((az) => ({
      availabilityZone: az,
      cidr: at(cpTop - BigInt(azSlot(az) + 1) * size(p.controlPlane), p.controlPlane),
    })),
  };
}

/** Subnet prefix lengths of a cluster block. */
export interface Prefixes {
  readonly public: number;
  readonly private: number;
  readonly controlPlane: number;
}

/**
 * Why the subnets of `azs` do not fit a block of `blockPrefix` (undefined if they do): the
 * private subnets of slots 0..max must end below the control-plane subnets of slots 0..max,
 * which sit below the space of {@link MAX_AZ_SLOTS} public subnets.
 */
export function layoutProblem(
  blockPrefix: number,
  azs: readonly string[],
  p: Prefixes,
): string | undefined {
  const slots = Math.max(...azs.map(azSlot)) + 1;
  const needed =
    BigInt(slots) * (size(p.private) + size(p.controlPlane)) +
    BigInt(MAX_AZ_SLOTS) * size(p.public);
  if (
    p.private < blockPrefix ||
    p.public < blockPrefix ||
    p.controlPlane < blockPrefix ||
    needed > size(blockPrefix)
  ) {
    const last = String.fromCharCode('a'.charCodeAt(0) + slots - 1);
    return (
      `a /${blockPrefix} block cannot hold a /${p.private} private and a /${p.controlPlane} control-plane subnet ` +
      `for each AZ slot a..${last} below the space of ${MAX_AZ_SLOTS} /${p.public} public subnets ` +
      `(${needed} addresses needed, ${size(blockPrefix)} available)`
    );
  }
  return undefined;
}
