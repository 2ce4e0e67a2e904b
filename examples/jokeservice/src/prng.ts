/**
 * mulberry32: a small seeded generator, numbers in [0, 1). A copy of the repo's test helper
 * (test/support/prng.ts): the example stays runnable on its own. With CHAOS_SEED set, the same
 * sequence of requests meets the same injected failures on every run.
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
