/**
 * mulberry32: a small seeded pseudo-random sequence
 * (https://gist.github.com/tommyettinger/46a874533244883189143505d203312c), so that a
 * generated test case that fails names its seed and reproduces.
 * @param seed any integer (taken as unsigned 32-bit)
 * @returns a function giving the next number in [0, 1)
 */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
