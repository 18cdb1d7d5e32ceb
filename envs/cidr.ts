/**
 * IPv4 CIDR arithmetic for the address planner, on the `ip-address` library
 * (https://github.com/beaugunderson/ip-address): ranges as bigint bounds, parsing that insists
 * on network addresses, overlap and containment.
 */
import { Address4 } from 'ip-address';

/** A CIDR range as bigint bounds: first address and prefix length. */
export interface Range {
  readonly start: bigint;
  readonly prefix: number;
}

/** Number of addresses in a /`prefix`. */
export const size = (prefix: number): bigint => 1n << BigInt(32 - prefix);
/** First address after the range (exclusive end). */
export const end = (r: Range): bigint => r.start + size(r.prefix);
/** The range written as a CIDR (`10.0.0.0/18`). */
export const cidrOf = (r: Range): string =>
  `${Address4.fromBigInt(r.start).correctForm()}/${r.prefix}`;
/** Whether two ranges share an address. */
export const overlaps = (a: Range, b: Range): boolean => a.start < end(b) && b.start < end(a);
/** Whether `inner` lies inside `outer`. */
export const within = (inner: Range, outer: Range): boolean =>
  inner.start >= outer.start && end(inner) <= end(outer);

/** Parses a CIDR that must be written as its network address; undefined if it is not. */
export function parse(cidr: string): Range | undefined {
  if (!/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(cidr) || !Address4.isValid(cidr)) return undefined;
  const a = new Address4(cidr);
  if (a.networkForm() !== cidr) return undefined;
  return { start: a.startAddress().bigInt(), prefix: a.subnetMask };
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
