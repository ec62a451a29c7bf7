import { orient, type Direction } from './directions.js';
import { kendallTauB } from './kendall.js';
import { spearmanRho } from './spearman.js';

export interface RankingSimilarity {
  /** runs compared (pairs where both values are finite) */
  n_runs: number;
  /** NaN when undefined (fewer than 2 runs, or a constant side) */
  tau_b: number;
  rho: number;
}

/**
 * Ranking Similarity (docs/metrics.md §7): both sides turned so that larger =
 * better, then Kendall's tau-b and Spearman's rho. Pairs with a non-finite value
 * on either side are left out (and `n_runs` says how many remain).
 */
export function rankingSimilarity(
  identifier: readonly (number | null)[],
  performance: readonly (number | null)[],
  directions: { identifier: Direction; performance: Direction },
): RankingSimilarity {
  const { x, y } = orientedPairs(identifier, performance, directions);
  return { n_runs: x.length, tau_b: kendallTauB(x, y), rho: spearmanRho(x, y) };
}

/**
 * The pairs both of whose values are finite, each side turned so that larger =
 * better: what Ranking Similarity (and its p-value and interval) compares.
 */
export function orientedPairs(
  identifier: readonly (number | null)[],
  performance: readonly (number | null)[],
  directions: { identifier: Direction; performance: Direction },
): { x: number[]; y: number[] } {
  if (identifier.length !== performance.length) {
    throw new RangeError(`rankingSimilarity: ${identifier.length} identifier values but ${performance.length} results`);
  }
  const x: number[] = [];
  const y: number[] = [];
  for (let i = 0; i < identifier.length; i++) {
    const a = identifier[i];
    const b = performance[i];
    if (a == null || b == null || !Number.isFinite(a) || !Number.isFinite(b)) continue;
    x.push(a);
    y.push(b);
  }
  return { x: orient(x, directions.identifier), y: orient(y, directions.performance) };
}
