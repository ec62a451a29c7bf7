import { EXACT_MAX_RUNS, exactKendallPValue } from './exactPermutation.js';
import { MONTE_CARLO_ORDERINGS, monteCarloKendallPValue, type MonteCarloNullCache } from './monteCarloPermutation.js';

/** How a p-value was found: every ordering, or a seeded sample of them. */
export type PValueMethod = 'exact' | 'monte-carlo';

export interface KendallPValueOptions {
  /** 'auto' (default): exact up to `exactMaxRuns` runs, Monte Carlo above */
  method?: 'auto' | PValueMethod;
  /** default EXACT_MAX_RUNS (9) */
  exactMaxRuns?: number;
  /** Monte Carlo orderings, default MONTE_CARLO_ORDERINGS (100,000) */
  orderings?: number;
  /** Monte Carlo seed, default 0 */
  seed?: number;
  /** sampled nulls to share between calls (the cells of one table) */
  cache?: MonteCarloNullCache;
}

export interface KendallPValue {
  /** one-sided: the chance that an ordering of x taken at random has tau-b at least the observed one */
  p_value: number;
  method: PValueMethod;
  /** orderings counted: n! when exact */
  orderings: number;
}

/**
 * The one-sided permutation p-value of Kendall's tau-b of x against y (how likely a
 * tau-b this high is when the identifier orders the runs at random). Null when
 * tau-b is undefined (fewer than 2 values, or x or y constant).
 */
export function kendallPValue(x: readonly number[], y: readonly number[], options: KendallPValueOptions = {}): KendallPValue | null {
  if (x.length !== y.length) throw new RangeError(`kendallPValue: ${x.length} x values but ${y.length} y values`);
  if (x.length < 2 || x.every((v) => v === x[0]) || y.every((v) => v === y[0])) return null;
  const exactMax = Math.min(options.exactMaxRuns ?? EXACT_MAX_RUNS, 12);
  const method = options.method === undefined || options.method === 'auto' ? (x.length <= exactMax ? 'exact' : 'monte-carlo') : options.method;
  if (method === 'exact') return { ...exactKendallPValue(x, y), method };
  return { ...monteCarloKendallPValue(x, y, options.seed ?? 0, options.orderings ?? MONTE_CARLO_ORDERINGS, options.cache), method };
}
