/** One row of the tidy metrics table (docs/metrics.md §10). */
export interface TidyRow {
  run: string;
  step: number;
  metric: string;
  /** task name, or '' where the metric has none */
  task: string;
  /** second task of a pair metric, or '' */
  task_b: string;
  /** null for NaN, and for an infinite `grad_cond`/`param_cond` */
  value: number | null;
}

/** The tidy table's columns, in order. */
export const TIDY_COLUMNS = ['run', 'step', 'metric', 'task', 'task_b', 'value'] as const;
