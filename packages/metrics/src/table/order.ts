import type { TidyRow } from './types.js';

/** The fixed metric names of docs/metrics.md §10, in output order. */
export const METRIC_ORDER: readonly string[] = [
  'fd',
  'fd_mass',
  'dead_units',
  'units',
  'skipped_nonfinite',
  'fd_task',
  'fd_pair',
  'grad_norm',
  'grad_norm_share',
  'grad_cos',
  'grad_gms',
  'grad_cos_mean',
  'grad_conflict_frac',
  'grad_cond',
  'param_norm',
  'param_norm_share',
  'param_cos',
  'param_gms',
  'param_cos_mean',
  'param_conflict_frac',
  'param_cond',
  'loss',
  'loss_ratio',
  'rel_rate',
  'loss_share',
  'dwa',
];

const RANK = new Map(METRIC_ORDER.map((m, i) => [m, i]));

/**
 * Rows in the canonical order: by run (code-unit order), step, then metric in
 * `METRIC_ORDER` (others after, by name); rows that tie keep their input order,
 * which keeps tasks in capture order. Returns a new array.
 */
export function sortRows(rows: readonly TidyRow[]): TidyRow[] {
  const rank = (m: string) => RANK.get(m) ?? METRIC_ORDER.length;
  return rows
    .map((row, i) => ({ row, i }))
    .sort(
      (p, q) =>
        cmp(p.row.run, q.row.run) ||
        p.row.step - q.row.step ||
        rank(p.row.metric) - rank(q.row.metric) ||
        cmp(p.row.metric, q.row.metric) ||
        p.i - q.i,
    )
    .map((p) => p.row);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A finite number as itself; NaN and +-Infinity as null (the table's missing value). */
export function tidyValue(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}
