import type { FdScores } from '../fd/scores.js';
import type { GramIdentifiers } from '../gram/identifiers.js';
import type { LossIdentifiers } from '../loss/identifiers.js';
import { tidyValue } from '../table/order.js';
import type { TidyRow } from '../table/types.js';

/** Where rows belong. */
export interface RowKey {
  run: string;
  step: number;
}

function row(key: RowKey, metric: string, value: number, task = '', task_b = ''): TidyRow {
  return { run: key.run, step: key.step, metric, task, task_b, value: tidyValue(value) };
}

/**
 * fd, fd_mass, dead_units, units, [skipped_nonfinite], fd_task per task, fd_pair
 * per pair a < b (docs/metrics.md §10).
 */
export function fdRows(key: RowKey, tasks: readonly string[], s: FdScores, withSkipped: boolean): TidyRow[] {
  const out = [row(key, 'fd', s.fd), row(key, 'fd_mass', s.fd_mass), row(key, 'dead_units', s.dead_units), row(key, 'units', s.units)];
  if (withSkipped) out.push(row(key, 'skipped_nonfinite', s.skipped));
  tasks.forEach((t, i) => out.push(row(key, 'fd_task', s.fd_task[i]!, t)));
  eachPair(tasks, (a, b, i, j) => out.push(row(key, 'fd_pair', s.fd_pair[i]![j]!, a, b)));
  return out;
}

/** `<prefix>_norm`, `_norm_share`, `_cos`, `_gms`, `_cos_mean`, `_conflict_frac`, `_cond`. */
export function gramRows(prefix: 'grad' | 'param', key: RowKey, tasks: readonly string[], g: GramIdentifiers): TidyRow[] {
  const out: TidyRow[] = [];
  tasks.forEach((t, i) => out.push(row(key, `${prefix}_norm`, g.norm[i]!, t)));
  tasks.forEach((t, i) => out.push(row(key, `${prefix}_norm_share`, g.norm_share[i]!, t)));
  eachPair(tasks, (a, b, i, j) => out.push(row(key, `${prefix}_cos`, g.cos[i]![j]!, a, b)));
  eachPair(tasks, (a, b, i, j) => out.push(row(key, `${prefix}_gms`, g.gms[i]![j]!, a, b)));
  out.push(row(key, `${prefix}_cos_mean`, g.cos_mean), row(key, `${prefix}_conflict_frac`, g.conflict_frac), row(key, `${prefix}_cond`, g.cond));
  return out;
}

/** `loss` per task that has a probe loss, in task order. */
export function lossRows(key: RowKey, tasks: readonly string[], losses: Readonly<Record<string, number>>): TidyRow[] {
  return tasks.filter((t) => Object.hasOwn(losses, t)).map((t) => row(key, 'loss', losses[t]!, t));
}

/** loss_ratio, rel_rate, loss_share (every capture) and dwa (from k = 2) of one run. */
export function lossIdentifierRows(run: string, steps: readonly number[], tasks: readonly string[], li: LossIdentifiers): TidyRow[] {
  const out: TidyRow[] = [];
  steps.forEach((step, k) => {
    const key = { run, step };
    for (const metric of ['loss_ratio', 'rel_rate', 'loss_share', 'dwa'] as const) {
      if (metric === 'dwa' && k < 2) continue;
      tasks.forEach((t, i) => out.push(row(key, metric, li[metric][k]![i]!, t)));
    }
  });
  return out;
}

function eachPair(tasks: readonly string[], fn: (a: string, b: string, i: number, j: number) => void): void {
  for (let i = 0; i < tasks.length; i++) for (let j = i + 1; j < tasks.length; j++) fn(tasks[i]!, tasks[j]!, i, j);
}
