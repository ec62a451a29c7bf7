import type { TidyRow } from '../../src/table/types.js';

/** Rows that exercise each column's edges (null, NaN, Infinity, 2^40 steps, Unicode) for the binary formats' tests. */
export const EDGE_ROWS: TidyRow[] = [
  { run: 'mgda-seed1', step: 0, metric: 'fd', task: '', task_b: '', value: 0.25 },
  { run: 'mgda-seed1', step: 0, metric: 'fd_pair', task: 'seg', task_b: 'depth', value: -1.5e-9 },
  { run: 'mgda-seed1', step: 100, metric: 'grad_cond', task: '', task_b: '', value: null },
  { run: 'pcgrad', step: 2 ** 40, metric: 'loss', task: 'seg', task_b: '', value: 3 },
  { run: 'pcgrad', step: 7, metric: 'loss_ratio', task: 'depth', task_b: '', value: Number.NaN },
  { run: 'ünïcode run', step: 9, metric: 'loss', task: 'a.b-c_d', task_b: '', value: Number.POSITIVE_INFINITY },
];
