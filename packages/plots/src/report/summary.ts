import type { TidyRow } from '@mtl-fd/metrics';
import { cleanRow, runsOf, tasksOf } from '../data.js';

/** Metric order of docs/metrics.md §10; metrics not listed follow, alphabetically. */
export const METRIC_ORDER = [
  'fd', 'fd_mass', 'dead_units', 'units', 'fd_task', 'fd_pair',
  'grad_norm', 'grad_norm_share', 'grad_cos', 'grad_gms', 'grad_cos_mean', 'grad_conflict_frac', 'grad_cond',
  'param_norm', 'param_norm_share', 'param_cos', 'param_gms', 'param_cos_mean', 'param_conflict_frac', 'param_cond',
  'loss', 'loss_ratio', 'rel_rate', 'loss_share', 'dwa',
];

export interface SummaryLine {
  metric: string;
  task: string;
  task_b: string;
  /** per run (in `runs` order): the value at that run's last capture with this metric, or undefined */
  values: ({ step: number; value: number | null } | undefined)[];
}

export interface Summary {
  runs: string[];
  /** each run's last step */
  lastStep: number[];
  lines: SummaryLine[];
}

/** Last-capture value of every metric/task/pair per run: the report's summary table. */
export function summarize(rows: readonly TidyRow[]): Summary {
  const clean = rows.filter((r) => Number.isFinite(r.step)).map(cleanRow);
  const runs = runsOf(clean);
  const tasks = tasksOf(clean);
  const runIndex = new Map(runs.map((r, i) => [r, i]));
  const lastStep = runs.map(() => -Infinity);
  const lines = new Map<string, SummaryLine>();
  for (const r of clean) {
    const i = runIndex.get(r.run)!;
    lastStep[i] = Math.max(lastStep[i]!, r.step);
    const key = `${r.metric}\u0000${r.task}\u0000${r.task_b}`;
    let line = lines.get(key);
    if (!line) {
      line = { metric: r.metric, task: r.task, task_b: r.task_b, values: runs.map(() => undefined) };
      lines.set(key, line);
    }
    const cur = line.values[i];
    if (!cur || r.step >= cur.step) line.values[i] = { step: r.step, value: r.value };
  }
  const mi = (m: string) => {
    const k = METRIC_ORDER.indexOf(m);
    return k < 0 ? METRIC_ORDER.length : k;
  };
  const ti = (t: string) => (t === '' ? -1 : tasks.indexOf(t));
  const sorted = [...lines.values()].sort(
    (a, b) =>
      mi(a.metric) - mi(b.metric) ||
      (a.metric < b.metric ? -1 : a.metric > b.metric ? 1 : 0) ||
      ti(a.task) - ti(b.task) ||
      ti(a.task_b) - ti(b.task_b),
  );
  return { runs, lastStep, lines: sorted };
}
