import type { RunSeries } from '../runSeries.js';

/** The global FD metric the run has (`fd`, else `fd_mass`) and its numeric captures in step order. */
export function fdSeries(run: RunSeries): { metric: string; steps: number[]; values: number[] } | undefined {
  const metric = ['fd', 'fd_mass'].find((m) => run.has(m));
  if (!metric) return undefined;
  const steps = run.stepsOf(metric).filter((s) => run.number(metric, s) !== undefined);
  return { metric, steps, values: steps.map((s) => run.number(metric, s)!) };
}

/** Pearson correlation, or undefined when either side has no variance. */
export function pearson(x: readonly number[], y: readonly number[]): number | undefined {
  const n = x.length;
  if (n < 2 || y.length !== n) return undefined;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return undefined;
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}
