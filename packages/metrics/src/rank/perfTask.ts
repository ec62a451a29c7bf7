import type { PerfMetric } from './perf.js';

/**
 * The task a test metric measures, or null for a metric of the whole run (Delta m,
 * a mean accuracy): the CSV's `task` column when it has one (which must then name
 * one of `tasks`, or be empty), else read from the name: `<task>_...` for the
 * longest task name that prefixes it (the demo writes `left_acc`, `sum_mae`).
 */
export function perfMetricTask(pm: PerfMetric, tasks: readonly string[]): string | null {
  if (pm.task !== undefined) return pm.task === '' ? null : pm.task;
  let best: string | null = null;
  for (const t of tasks) if (pm.metric.startsWith(`${t}_`) && (best === null || t.length > best.length)) best = t;
  return best;
}
