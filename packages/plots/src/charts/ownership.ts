import type { TidyRow } from '@mtl-fd/metrics';
import type { TopLevelSpec } from 'vega-lite';
import { pick, runsOf, sortRows, stepsOf, tasksOf } from '../data.js';
import { NoDataError } from '../errors.js';
import { type Json, STEP_FIELD, ZOOM_HINT, taskColor, topLevel, zoomParam } from './common.js';

/** Where the ownership shares come from. */
export type OwnershipSource = 'grad_norm_share' | 'grad_norm';

/**
 * Task ownership: each task's share of the saliency mass over training, as a stacked area per run
 * (one panel per run, shared zoomable step axis), with the equal share 1/T dashed.
 *
 * The share is `grad_norm_share` (docs/metrics.md §5: the L2 norm of the task's gradient with
 * respect to the shared features, over the sum of all tasks' norms). When the table has no
 * `grad_norm_share` rows it is derived from `grad_norm` the same way (norm / sum of norms at that
 * capture). FD's per-task masses M_t are not in the tidy table, so they are not used.
 * A capture where any task's share is null is left out (named in the subtitle); throws NoDataError
 * when that leaves nothing.
 */
export function taskOwnershipSpec(rows: readonly TidyRow[]): TopLevelSpec {
  let source: OwnershipSource = 'grad_norm_share';
  let shares = pick(rows, ['grad_norm_share']).filter((r) => r.task !== '');
  if (shares.length === 0) {
    source = 'grad_norm';
    shares = deriveShares(pick(rows, ['grad_norm']).filter((r) => r.task !== ''));
  }
  if (shares.length === 0) {
    throw new NoDataError('Task ownership: the table has no grad_norm_share or grad_norm rows');
  }
  const runs = runsOf(shares);
  const tasks = tasksOf(shares);
  // a capture where any task's share is null has no known split: leave the whole capture out,
  // so the stack is never drawn from a partial set of tasks
  const unknown = new Set(shares.filter((r) => r.value === null).map((r) => `${r.run}\u0000${r.step}`));
  const dropped = runs.flatMap((run) =>
    stepsOf(shares.filter((r) => r.run === run && unknown.has(`${r.run}\u0000${r.step}`))).map((step) => `${run} step ${step}`),
  );
  shares = shares.filter((r) => !unknown.has(`${r.run}\u0000${r.step}`));
  if (shares.length === 0) {
    throw new NoDataError(`Task ownership: every ${source} capture has a null share (${dropped.slice(0, 3).join(', ')}${dropped.length > 3 ? ', ...' : ''})`);
  }
  const order = new Map(tasks.map((t, i) => [t, i]));
  const values = sortRows(shares, runs, tasks).map((r) => ({
    run: r.run,
    step: r.step,
    series: r.task,
    order: order.get(r.task)!,
    value: r.value,
  }));
  const views: string[] = [];
  const shown = runsOf(shares);
  const panels: Json[] = shown.map((run, i) => {
    const name = `ownership_${i}`;
    views.push(name);
    const runRows = shares.filter((r) => r.run === run);
    const runTasks = tasksOf(runRows);
    // a single capture has no extent for an area: draw it as a stacked bar
    const single = stepsOf(runRows).length === 1;
    return {
      title: { text: `run ${run}`, fontSize: 12, anchor: 'start', frame: 'group', offset: 4 },
      width: 560,
      height: 150,
      layer: [
        {
          name,
          transform: [{ filter: { field: 'run', equal: run } }],
          mark: single
            ? { type: 'bar', size: 28, opacity: 0.9, tooltip: true, clip: true }
            : { type: 'area', line: { strokeWidth: 1, color: 'white' }, opacity: 0.9, tooltip: true, clip: true },
          encoding: {
            x: { ...STEP_FIELD, axis: { ...(STEP_FIELD.axis as Json), title: i === shown.length - 1 ? 'training step' : null } },
            y: {
              field: 'value',
              type: 'quantitative',
              stack: 'zero',
              title: 'share of gradient norm (0–1)',
              scale: { domain: [0, 1] },
            },
            color: taskColor(tasks, false),
            order: { field: 'order', type: 'quantitative' },
            tooltip: [
              { field: 'run', type: 'nominal' },
              { field: 'step', type: 'quantitative' },
              { field: 'series', type: 'nominal', title: 'task' },
              { field: 'value', type: 'quantitative', title: 'share', format: '.3~f' },
            ],
          },
        },
        {
          data: { values: runTasks.slice(0, -1).map((_, k) => ({ equal: (k + 1) / runTasks.length })) },
          mark: { type: 'rule', strokeDash: [4, 4], color: 'black', opacity: 0.45, strokeWidth: 1 },
          encoding: { y: { field: 'equal', type: 'quantitative' } },
        },
      ],
    };
  });
  return topLevel(
    {
      params: [zoomParam(views)],
      vconcat: panels,
      spacing: 16,
      resolve: { scale: { x: 'shared', color: 'shared' } },
    },
    'Task ownership: each task\u2019s share of the feature-gradient norm',
    [
      `${source === 'grad_norm_share' ? 'grad_norm_share' : 'share derived from grad_norm (norm / sum of norms)'}, stacked; dashed lines = equal shares (k/T)`,
      `a band growing over the others = that task dominates the shared features; ${ZOOM_HINT}`,
      ...(dropped.length
        ? [`left out, a share is null: ${dropped.slice(0, 4).join(', ')}${dropped.length > 4 ? ` and ${dropped.length - 4} more` : ''}`]
        : []),
    ],
    values,
  );
}

/** Shares norm / sum of norms per (run, step); null when a norm is null or the sum is 0. */
function deriveShares(norms: TidyRow[]): TidyRow[] {
  const groups = new Map<string, TidyRow[]>();
  for (const r of norms) {
    const key = `${r.run}\u0000${r.step}`;
    const g = groups.get(key);
    if (g) g.push(r);
    else groups.set(key, [r]);
  }
  const out: TidyRow[] = [];
  for (const g of groups.values()) {
    const complete = g.every((r) => r.value !== null);
    const sum = g.reduce((s, r) => s + (r.value ?? 0), 0);
    for (const r of g) {
      out.push({ ...r, metric: 'grad_norm_share', value: complete && sum > 0 ? r.value! / sum : null });
    }
  }
  return out;
}
