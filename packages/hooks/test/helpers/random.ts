import { rng } from '../../../../test/support/random.js';
export { rng } from '../../../../test/support/random.js';

/** `n` values uniform in [-1, 1). */
export function uniform(n: number, seed: number): Float32Array {
  const r = rng(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = 2 * r() - 1;
  return out;
}

export function size(shape: number[]): number {
  return shape.reduce((p, q) => p * q, 1);
}

/** max |a - b| / max |b|: the relative error the kernel tests bound. */
export function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num = Math.max(num, Math.abs((a[i] as number) - (b[i] as number)));
    den = Math.max(den, Math.abs(b[i] as number));
  }
  return den === 0 ? num : num / den;
}
