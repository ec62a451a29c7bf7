import { ConcordanceAgainst } from './concordance.js';

/** Above this many runs n! orderings are too many to enumerate (10! = 3.6 million would still be seconds; 9! = 362,880 is milliseconds). */
export const EXACT_MAX_RUNS = 9;

/**
 * The exact one-sided permutation p-value of Kendall's tau-b: the share of all n!
 * orderings of x against the fixed y (tied values kept, so equal orderings of tied
 * values count separately) whose tau-b is at least that of x as given. Orderings
 * are visited by Heap's algorithm, one swap apart, S updated in O(n) per swap.
 */
export function exactKendallPValue(x: readonly number[], y: readonly number[]): { p_value: number; orderings: number } {
  const n = x.length;
  if (y.length !== n) throw new RangeError(`exactKendallPValue: ${n} x values but ${y.length} y values`);
  if (n > 12) throw new RangeError(`exactKendallPValue: ${n}! orderings are too many to enumerate`);
  const conc = new ConcordanceAgainst(y);
  const perm = Float64Array.from(x);
  const observed = conc.statistic(perm);
  let s = observed;
  let atLeast = 1;
  let total = 1;
  // iterative Heap's algorithm
  const c = new Int32Array(n);
  for (let i = 1; i < n; ) {
    if (c[i]! < i) {
      const a = i % 2 === 0 ? 0 : c[i]!;
      s += conc.swapDelta(perm, a, i);
      const t = perm[a]!;
      perm[a] = perm[i]!;
      perm[i] = t;
      total++;
      if (s >= observed) atLeast++;
      c[i]!++;
      i = 1;
    } else {
      c[i] = 0;
      i++;
    }
  }
  return { p_value: atLeast / total, orderings: total };
}
