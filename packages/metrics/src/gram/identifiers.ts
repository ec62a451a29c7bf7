import { conditionNumber } from './cond.js';

/** Gradient identifiers of one Gram matrix (docs/metrics.md §5). NaN where undefined. */
export interface GramIdentifiers {
  norm: number[];
  norm_share: number[];
  /** T x T, diagonal 1 for a non-zero gradient; NaN where a norm is 0 */
  cos: number[][];
  /** T x T gradient magnitude similarity; NaN when both norms are 0 */
  gms: number[][];
  /** mean of cos over pairs a < b where it is defined; NaN when none is */
  cos_mean: number;
  /** share of those pairs with cos < 0 */
  conflict_frac: number;
  /** +Infinity when K is singular */
  cond: number;
}

/**
 * The identifiers from K (T x T, row-major). A non-finite entry (a hostile or overflowed
 * `param_gram`) makes NaN of everything that depends on it, never a made-up number: a
 * non-finite diagonal K[t][t] the task's norm, every norm share, and t's cosines and GMS;
 * a non-finite K[a][b] the pair's cosine; either one cos_mean and conflict_frac.
 */
export function gramIdentifiers(K: ArrayLike<number>, T: number): GramIdentifiers {
  const norm: number[] = [];
  for (let t = 0; t < T; t++) {
    const d = K[t * T + t]!;
    norm.push(Number.isFinite(d) ? Math.sqrt(d) : NaN);
  }
  const total = norm.reduce((s, v) => s + v, 0);
  const norm_share = norm.map((v) => (total > 0 ? v / total : NaN));
  const cos: number[][] = [];
  const gms: number[][] = [];
  let cosSum = 0;
  let defined = 0;
  let conflicts = 0;
  let nonFinite = false;
  for (let a = 0; a < T; a++) {
    const cr: number[] = [];
    const gr: number[] = [];
    for (let b = 0; b < T; b++) {
      const na = norm[a]!;
      const nb = norm[b]!;
      const k = K[a * T + b]!;
      const finite = Number.isFinite(k) && !Number.isNaN(na) && !Number.isNaN(nb);
      // clamp: rounding can push |cos| a few ulps past 1
      const c = finite && na > 0 && nb > 0 ? Math.max(-1, Math.min(1, k / (na * nb))) : NaN;
      const den = K[a * T + a]! + K[b * T + b]!;
      cr.push(c);
      gr.push(Number.isFinite(den) && den > 0 ? (2 * na * nb) / den : NaN);
      if (b > a && !finite) nonFinite = true;
      if (b > a && !Number.isNaN(c)) {
        cosSum += c;
        defined++;
        if (c < 0) conflicts++;
      }
    }
    cos.push(cr);
    gms.push(gr);
  }
  return {
    norm,
    norm_share,
    cos,
    gms,
    cos_mean: defined > 0 && !nonFinite ? cosSum / defined : NaN,
    conflict_frac: defined > 0 && !nonFinite ? conflicts / defined : NaN,
    cond: conditionNumber(K, T),
  };
}
