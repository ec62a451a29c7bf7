import { METRIC_ORDER } from '../table/order.js';
import type { TidyRow } from '../table/types.js';
import type { IdentifierQuery } from './at.js';
import { declaredDirection } from './directions.js';

/** The `task` of a per-task identifier averaged over the tasks (compared with whole-run metrics). */
export const MEAN_OF_TASKS = 'mean of tasks';
/** The `task` of a pair identifier averaged over all task pairs (compared with whole-run metrics). */
export const ALL_PAIRS = 'all pairs';

/**
 * One row of the ranking table: an identifier read as one series (global, a task,
 * a pair) or as the mean of several (over the tasks, over the pairs).
 */
export interface IdentifierVariant {
  identifier: string;
  /** null for a global identifier; a task; or MEAN_OF_TASKS / ALL_PAIRS */
  task: string | null;
  task_b: string | null;
  /** which test metrics it is compared with: all, those of these tasks, or the whole-run ones */
  against: { kind: 'all' } | { kind: 'tasks'; tasks: string[] } | { kind: 'whole-run' };
  /** the series whose mean (per run, at the chosen capture) is the identifier value */
  series: IdentifierQuery[];
}

/**
 * Every identifier with a declared direction that the rows hold, as table rows: a
 * global one once; a per-task one per task, then averaged over the tasks; a pair
 * one per pair, then averaged over the pairs. Metric order is docs/metrics.md §10's,
 * tasks and pairs in the order the rows first name them.
 */
export function identifierVariants(rows: readonly TidyRow[]): IdentifierVariant[] {
  const keys = new Map<string, { task: string; task_b: string }[]>();
  const seen = new Set<string>();
  for (const r of rows) {
    if (declaredDirection(r.metric) === undefined) continue;
    const k = `${r.metric}\u0000${r.task}\u0000${r.task_b}`;
    if (seen.has(k)) continue;
    seen.add(k);
    let list = keys.get(r.metric);
    if (!list) keys.set(r.metric, (list = []));
    list.push({ task: r.task, task_b: r.task_b });
  }
  const order = (m: string) => {
    const i = METRIC_ORDER.indexOf(m);
    return i < 0 ? METRIC_ORDER.length : i;
  };
  const metrics = [...keys.keys()].sort((a, b) => order(a) - order(b) || (a < b ? -1 : a > b ? 1 : 0));
  const out: IdentifierVariant[] = [];
  for (const metric of metrics) {
    const list = keys.get(metric)!;
    if (list.some((k) => k.task === '' && k.task_b === '')) {
      out.push({ identifier: metric, task: null, task_b: null, against: { kind: 'all' }, series: [{ metric }] });
    }
    const perTask = list.filter((k) => k.task !== '' && k.task_b === '');
    for (const k of perTask) {
      out.push({ identifier: metric, task: k.task, task_b: null, against: { kind: 'tasks', tasks: [k.task] }, series: [{ metric, task: k.task }] });
    }
    if (perTask.length > 0) {
      out.push({ identifier: metric, task: MEAN_OF_TASKS, task_b: null, against: { kind: 'whole-run' }, series: perTask.map((k) => ({ metric, task: k.task })) });
    }
    const pairs = list.filter((k) => k.task !== '' && k.task_b !== '');
    for (const k of pairs) {
      out.push({
        identifier: metric,
        task: k.task,
        task_b: k.task_b,
        against: { kind: 'tasks', tasks: [k.task, k.task_b] },
        series: [{ metric, task: k.task, task_b: k.task_b }],
      });
    }
    if (pairs.length > 0) {
      out.push({ identifier: metric, task: ALL_PAIRS, task_b: null, against: { kind: 'whole-run' }, series: pairs.map((k) => ({ metric, task: k.task, task_b: k.task_b })) });
    }
  }
  return out;
}
