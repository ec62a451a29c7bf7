import type { Direction } from '../rank/directions.js';

/** One test metric of one task: the multi-task run's value and the single-task baseline's. */
export interface TaskMetricResult {
  task: string;
  metric: string;
  value: number;
  baseline: number;
  direction: Direction;
}

/**
 * Multi-task performance against single-task baselines (docs/metrics.md §8).
 * There is no bare "Delta m": each aggregate carries the name of its definition.
 */
export interface DeltaM {
  /** delta_i = (-1)^{l_i} (M_m,i - M_b,i) / M_b,i, in input order; NaN for a zero baseline */
  deltas: { task: string; metric: string; delta: number }[];
  /** 100 x the mean over tasks of each task's mean delta; higher is better */
  maninis: number;
  /** -100 x the mean over all metrics; lower is better */
  navon: number;
}

export function deltaM(results: readonly TaskMetricResult[]): DeltaM {
  const deltas = results.map((r) => {
    const rel = r.baseline !== 0 ? (r.value - r.baseline) / r.baseline : NaN;
    return { task: r.task, metric: r.metric, delta: r.direction === 'lower-better' ? -rel : rel };
  });
  const byTask = new Map<string, number[]>();
  for (const d of deltas) {
    const list = byTask.get(d.task);
    if (list) list.push(d.delta);
    else byTask.set(d.task, [d.delta]);
  }
  const mean = (v: readonly number[]) => (v.length > 0 ? v.reduce((s, x) => s + x, 0) / v.length : NaN);
  return {
    deltas,
    maninis: 100 * mean([...byTask.values()].map(mean)),
    navon: -100 * mean(deltas.map((d) => d.delta)),
  };
}
