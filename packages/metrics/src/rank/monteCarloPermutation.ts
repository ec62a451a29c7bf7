import { labelSeed } from '../random/labelSeed.js';
import { SeededRandom } from '../random/seededRandom.js';
import { ConcordanceAgainst } from './concordance.js';

/** Orderings drawn by the Monte Carlo permutation test unless told otherwise. */
export const MONTE_CARLO_ORDERINGS = 100_000;

/**
 * Sampled null distributions of S, by what they depend on. Under a random ordering
 * of x, S depends on y and on x's tie pattern only (not on x's values), so cells
 * of a table that share a test metric share one sample: pass one cache to all.
 */
export type MonteCarloNullCache = Map<string, Int32Array>;

/**
 * The one-sided permutation p-value of Kendall's tau-b estimated from `orderings`
 * seeded random orderings of x against the fixed y: (b + 1) / (orderings + 1),
 * b the orderings whose tau-b is at least the observed one. The +1 counts the
 * observed ordering itself, so the estimate is never 0 and the test keeps its level
 * (Phipson and Smyth 2010). The stream is seeded by `seed` and the null's
 * signature (y's ranks, x's tie pattern), so equal nulls draw the same orderings.
 */
export function monteCarloKendallPValue(
  x: readonly number[],
  y: readonly number[],
  seed: number,
  orderings = MONTE_CARLO_ORDERINGS,
  cache?: MonteCarloNullCache,
): { p_value: number; orderings: number } {
  const n = x.length;
  if (y.length !== n) throw new RangeError(`monteCarloKendallPValue: ${n} x values but ${y.length} y values`);
  if (!Number.isInteger(orderings) || orderings < 1) throw new RangeError(`monteCarloKendallPValue: orderings must be a positive integer, got ${orderings}`);
  const conc = new ConcordanceAgainst(y);
  const observed = conc.statistic(x);
  const pattern = tiePattern(x);
  const key = `${seed}|${orderings}|${denseRanks(y).join(',')}|${pattern.join(',')}`;
  let sample = cache?.get(key);
  if (!sample) {
    sample = nullSample(conc, pattern, labelSeed(seed, key), orderings);
    cache?.set(key, sample);
  }
  // sample is sorted: count the values >= observed
  let lo = 0;
  let hi = sample.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sample[mid]! < observed) lo = mid + 1;
    else hi = mid;
  }
  return { p_value: (sample.length - lo + 1) / (orderings + 1), orderings };
}

/** S of `orderings` random orderings of values with the given tie pattern, sorted. */
function nullSample(conc: ConcordanceAgainst, pattern: readonly number[], seed: number, orderings: number): Int32Array {
  const perm = new Float64Array(conc.n);
  let k = 0;
  pattern.forEach((size, value) => {
    for (let i = 0; i < size; i++) perm[k++] = value;
  });
  const rng = new SeededRandom(seed);
  const out = new Int32Array(orderings);
  for (let r = 0; r < orderings; r++) {
    rng.shuffle(perm);
    out[r] = conc.statistic(perm);
  }
  return out.sort();
}

/** Sizes of x's groups of equal values, largest first. */
function tiePattern(x: readonly number[]): number[] {
  const counts = new Map<number, number>();
  for (const v of x) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.values()].sort((a, b) => b - a);
}

/** 0-based dense ranks (equal values share one). */
function denseRanks(v: readonly number[]): number[] {
  const distinct = [...new Set(v)].sort((a, b) => a - b);
  const index = new Map(distinct.map((d, i) => [d, i]));
  return v.map((d) => index.get(d)!);
}
