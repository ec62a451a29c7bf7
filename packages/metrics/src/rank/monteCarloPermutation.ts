import { SeededRandom } from '../random/seededRandom.js';
import { ConcordanceAgainst } from './concordance.js';

/** Orderings drawn by the Monte Carlo permutation test unless told otherwise. */
export const MONTE_CARLO_ORDERINGS = 100_000;

/**
 * The one-sided permutation p-value of Kendall's tau-b estimated from `orderings`
 * seeded random orderings of x against the fixed y: (b + 1) / (orderings + 1),
 * b the orderings whose tau-b is at least the observed one. The +1 counts the
 * observed ordering itself, so the estimate is never 0 and the test keeps its level
 * (Phipson and Smyth 2010).
 */
export function monteCarloKendallPValue(
  x: readonly number[],
  y: readonly number[],
  seed: number,
  orderings = MONTE_CARLO_ORDERINGS,
): { p_value: number; orderings: number } {
  const n = x.length;
  if (y.length !== n) throw new RangeError(`monteCarloKendallPValue: ${n} x values but ${y.length} y values`);
  if (!Number.isInteger(orderings) || orderings < 1) throw new RangeError(`monteCarloKendallPValue: orderings must be a positive integer, got ${orderings}`);
  const conc = new ConcordanceAgainst(y);
  const perm = Float64Array.from(x);
  const observed = conc.statistic(perm);
  const rng = new SeededRandom(seed);
  let atLeast = 0;
  for (let k = 0; k < orderings; k++) {
    rng.shuffle(perm);
    if (conc.statistic(perm) >= observed) atLeast++;
  }
  return { p_value: (atLeast + 1) / (orderings + 1), orderings };
}
