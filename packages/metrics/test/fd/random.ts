/** mulberry32: a small seeded PRNG, so every randomized test is reproducible. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Values in (-1, 1) with a share `zeros` of exact zeros. */
export function sparseValues(rand: () => number, n: number, zeros: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = rand() < zeros ? 0 : (rand() * 2 - 1) * Math.exp(3 * (rand() - 0.5));
  return out;
}
