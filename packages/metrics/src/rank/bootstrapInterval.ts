import { SeededRandom } from '../random/seededRandom.js';
import { kendallTauB } from './kendall.js';

export interface BootstrapOptions {
  /** resamples drawn, default 2000 */
  resamples?: number;
  /** coverage of the interval, default 0.95 */
  level?: number;
  /** fewer runs than this give no interval, default 5 */
  minRuns?: number;
  seed?: number;
}

export const BOOTSTRAP_DEFAULTS = { resamples: 2000, level: 0.95, minRuns: 5, seed: 0 } as const;

export interface BootstrapInterval {
  low: number;
  high: number;
  /** resamples whose tau-b was defined (a resample repeating one run's value throughout has none) */
  used: number;
  resamples: number;
}

/**
 * Percentile bootstrap interval of Kendall's tau-b over runs: `resamples` times,
 * draw n runs with replacement (pairs kept together), take tau-b; the interval is
 * the (1 - level) / 2 and (1 + level) / 2 quantiles (linear interpolation) of the
 * defined values. Null below `minRuns` runs, or when fewer than half the resamples
 * give a defined tau-b.
 */
export function bootstrapTauB(x: readonly number[], y: readonly number[], options: BootstrapOptions = {}): BootstrapInterval | null {
  const n = x.length;
  if (y.length !== n) throw new RangeError(`bootstrapTauB: ${n} x values but ${y.length} y values`);
  const { resamples, level, minRuns, seed } = { ...BOOTSTRAP_DEFAULTS, ...options };
  if (!Number.isInteger(resamples) || resamples < 1) throw new RangeError(`bootstrapTauB: resamples must be a positive integer, got ${resamples}`);
  if (!(level > 0 && level < 1)) throw new RangeError(`bootstrapTauB: level must be in (0, 1), got ${level}`);
  if (n < Math.max(2, minRuns)) return null;
  const rng = new SeededRandom(seed);
  const taus: number[] = [];
  const xs = new Array<number>(n);
  const ys = new Array<number>(n);
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < n; i++) {
      const k = rng.int(n);
      xs[i] = x[k]!;
      ys[i] = y[k]!;
    }
    const t = kendallTauB(xs, ys);
    if (Number.isFinite(t)) taus.push(t);
  }
  if (taus.length * 2 < resamples) return null;
  taus.sort((a, b) => a - b);
  return { low: quantile(taus, (1 - level) / 2), high: quantile(taus, (1 + level) / 2), used: taus.length, resamples };
}

/** The q-quantile of sorted values, interpolating linearly between order statistics. */
function quantile(sorted: readonly number[], q: number): number {
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (pos - lo) * (sorted[hi]! - sorted[lo]!);
}
