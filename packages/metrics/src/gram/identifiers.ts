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

/** The identifiers from K (T x T, row-major). */
export function gramIdentifiers(K: ArrayLike<number>, T: number): GramIdentifiers {
  const norm: number[] = [];
  for (let t = 0; t < T; t++) norm.push(Math.sqrt(K[t * T + t]!));
  const total = norm.reduce((s, v) => s + v, 0);
  const norm_share = norm.map((v) => (total > 0 ? v / total : NaN));
  const cos: number[][] = [];
  const gms: number[][] = [];
  let cosSum = 0;
  let defined = 0;
  let conflicts = 0;
  for (let a = 0; a < T; a++) {
    const cr: number[] = [];
    const gr: number[] = [];
    for (let b = 0; b < T; b++) {
      const na = norm[a]!;
      const nb = norm[b]!;
      // clamp: rounding can push |cos| a few ulps past 1
      const c = na > 0 && nb > 0 ? Math.max(-1, Math.min(1, K[a * T + b]! / (na * nb))) : NaN;
      const den = K[a * T + a]! + K[b * T + b]!;
      cr.push(c);
      gr.push(den > 0 ? (2 * na * nb) / den : NaN);
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
    cos_mean: defined > 0 ? cosSum / defined : NaN,
    conflict_frac: defined > 0 ? conflicts / defined : NaN,
    cond: conditionNumber(K, T),
  };
}
