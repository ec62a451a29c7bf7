import { rng } from '../../../../test/support/random.js';
export { rng } from '../../../../test/support/random.js';

/** Values in (-1, 1) with a share `zeros` of exact zeros. */
export function sparseValues(rand: () => number, n: number, zeros: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = rand() < zeros ? 0 : (rand() * 2 - 1) * Math.exp(3 * (rand() - 0.5));
  return out;
}
