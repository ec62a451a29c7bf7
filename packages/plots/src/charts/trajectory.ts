import type { TidyRow } from '@mtl-fd/metrics';
import type { TopLevelSpec } from 'vega-lite';
import { pick, runsOf, sortRows, tasksOf } from '../data.js';
import { NoDataError } from '../errors.js';
import { ALL_TASKS } from '../theme.js';
import { type Json, STEP_FIELD, ZOOM_HINT, referenceRule, runEncodings, taskColor, topLevel, zoomParam } from './common.js';

interface Panel {
  key: string;
  metrics: string[];
  title: string;
  y: string;
  /** a fixed y domain; otherwise the data's range (the dashed reference line included) */
  domain?: [number, number];
  rule?: number;
}

/** The panels of the trajectory chart, top to bottom, all on one step axis. */
export const TRAJECTORY_PANELS: readonly Panel[] = [
  { key: 'fd', metrics: ['fd', 'fd_task'], title: 'FD: fd (all tasks) and fd_task (per task); higher = more disentangled', y: 'FD (0–1)' },
  { key: 'loss_ratio', metrics: ['loss_ratio'], title: 'loss_ratio = L(k) / L(0); lower = the task has learned more', y: 'L(k) / L(0) (ratio)' },
  { key: 'rel_rate', metrics: ['rel_rate'], title: 'rel_rate (relative inverse training rate); above 1 = the task lags', y: 'rel_rate (ratio)', rule: 1 },
  { key: 'grad_cos_mean', metrics: ['grad_cos_mean'], title: 'grad_cos_mean (mean cosine of task feature-gradients); below 0 = conflict', y: 'cosine (−1 to 1)', rule: 0 },
  { key: 'grad_conflict_frac', metrics: ['grad_conflict_frac'], title: 'grad_conflict_frac (share of task pairs with cosine < 0)', y: 'pairs (fraction 0–1)', domain: [0, 1] },
];

/** The panels of the task-gradients chart: what dead, starved, ill-conditioned and parameter-level findings cite. */
export const TASK_GRADIENT_PANELS: readonly Panel[] = [
  { key: 'grad_norm', metrics: ['grad_norm'], title: 'grad_norm (L2 norm of each task\u2019s gradient w.r.t. the shared features)', y: 'norm' },
  { key: 'param_norm', metrics: ['param_norm'], title: 'param_norm (norm of each task\u2019s gradient w.r.t. the shared parameters)', y: 'norm' },
  { key: 'param_norm_share', metrics: ['param_norm_share'], title: 'param_norm_share (each task\u2019s share of the parameter-gradient norm)', y: 'share (0–1)', domain: [0, 1] },
  { key: 'loss', metrics: ['loss'], title: 'loss (each task\u2019s probe loss)', y: 'loss' },
  { key: 'cond', metrics: ['grad_cond', 'param_cond'], title: 'grad_cond and param_cond (condition number of the task-gradient Gram matrix)', y: 'cond' },
  { key: 'param_cos_mean', metrics: ['param_cos_mean'], title: 'param_cos_mean (mean cosine of task parameter-gradients); below 0 = conflict', y: 'cosine (−1 to 1)', rule: 0 },
  { key: 'param_conflict_frac', metrics: ['param_conflict_frac'], title: 'param_conflict_frac (share of task pairs with parameter-gradient cosine < 0)', y: 'pairs (fraction 0–1)', domain: [0, 1] },
];

/** The run selector's parameter (a select above the chart) and its choice for every run at once. */
export const RUN_PARAM = 'run_shown';
export const ALL_RUNS = 'all runs';
/** Up to this many runs are drawn together by default; above it the chart opens on the first run. */
export const RUNS_TOGETHER = 3;

export interface TrajectoryOptions {
  /** width of each panel in pixels (default 560) */
  width?: number;
  /** height of each panel in pixels (default 120) */
  panelHeight?: number;
}

/**
 * FD trajectory: `fd` and `fd_task` per task against the training step, above the loss-based
 * (`loss_ratio`, `rel_rate`) and gradient-based (`grad_cos_mean`, `grad_conflict_frac`) identifiers,
 * all sharing one step axis with a zoom selection. One line per task, dashed per run.
 * Panels whose metrics are absent are left out; throws NoDataError when none is present.
 */
export function fdTrajectorySpec(rows: readonly TidyRow[], options: TrajectoryOptions = {}): TopLevelSpec {
  return panelsSpec(rows, TRAJECTORY_PANELS, 'FD trajectory', 'FD trajectory against loss and gradient identifiers', options);
}

/**
 * Task gradients: each task's gradient norms (feature and parameter level), parameter
 * share, probe loss, the Gram condition numbers and the parameter-level conflict
 * identifiers on one step axis (the panels present in the table).
 */
export function taskGradientsSpec(rows: readonly TidyRow[], options: TrajectoryOptions = {}): TopLevelSpec {
  return panelsSpec(rows, TASK_GRADIENT_PANELS, 'Task gradients', 'Task gradient norms, probe losses and parameter-level identifiers', options);
}

function panelsSpec(rows: readonly TidyRow[], allPanels: readonly Panel[], chartName: string, heading: string, options: TrajectoryOptions): TopLevelSpec {
  const width = options.width ?? 560;
  const height = options.panelHeight ?? 120;
  const all = pick(rows, allPanels.flatMap((p) => p.metrics));
  if (all.length === 0) {
    throw new NoDataError(`${chartName}: the table has no ${allPanels.flatMap((p) => p.metrics).join(', ')} rows`);
  }
  const runs = runsOf(all);
  const tasks = tasksOf(all);
  const hasAllTasks = all.some((r) => r.task === '');
  const values = sortRows(all, runs, tasks).map((r) => ({
    run: r.run,
    step: r.step,
    metric: r.metric,
    series: r.task === '' ? ALL_TASKS : r.task,
    value: r.value,
  }));

  const present = allPanels.filter((p) => all.some((r) => p.metrics.includes(r.metric)));
  const missing = allPanels.filter((p) => !present.includes(p)).flatMap((p) => p.metrics);
  // several runs: a select above the chart picks one run (or all); many runs open on the first
  const select = runs.length > 1;
  const shown = runs.length > RUNS_TOGETHER ? runs[0]! : ALL_RUNS;
  const runParam: Json = { name: RUN_PARAM, value: shown, bind: { input: 'select', options: [ALL_RUNS, ...runs], name: 'run shown ' } };
  const views: string[] = [];
  const panels: Json[] = present.map((p, i) => {
    const name = `trajectory_${p.key}`;
    views.push(name);
    const last = i === present.length - 1;
    const lines: Json = {
      name,
      transform: [{ filter: { field: 'metric', oneOf: p.metrics } }, ...(select ? [{ filter: `${RUN_PARAM} === '${ALL_RUNS}' || datum.run === ${RUN_PARAM}` }] : [])],
      mark: { type: 'line', point: true, tooltip: true, clip: true },
      encoding: {
        x: { ...STEP_FIELD, axis: { ...(STEP_FIELD.axis as Json), title: last ? 'training step' : null } },
        y: {
          field: 'value',
          type: 'quantitative',
          title: p.y,
          scale: p.domain ? { domain: p.domain } : { zero: false },
        },
        color: taskColor(tasks, hasAllTasks),
        ...runEncodings(runs),
        tooltip: [
          { field: 'run', type: 'nominal' },
          { field: 'step', type: 'quantitative', title: 'step' },
          { field: 'metric', type: 'nominal' },
          { field: 'series', type: 'nominal', title: 'task' },
          { field: 'value', type: 'quantitative', format: '.4~f' },
        ],
      },
    };
    const body: Json = p.rule === undefined ? lines : { layer: [lines, referenceRule(p.rule)] };
    return { title: { text: p.title, fontSize: 12, fontWeight: 'normal', anchor: 'start', frame: 'group', offset: 4, limit: width }, width, height, ...body };
  });

  const subtitle = [
    `${runs.length === 1 ? `run ${runs[0]}` : `${runs.length} runs (dash = run; pick one or all with the 'run shown' menu above the chart${shown === ALL_RUNS ? '' : `; shown here: ${shown}`})`}; one line per task; ${ZOOM_HINT}`,
    ...(missing.length ? [`not in the table: ${missing.join(', ')}`] : []),
  ];
  return topLevel(
    {
      params: [zoomParam(views), ...(select ? [runParam] : [])],
      vconcat: panels,
      spacing: 18,
      resolve: { scale: { x: 'shared', color: 'shared', strokeDash: 'shared', shape: 'shared' } },
    },
    heading,
    subtitle,
    values,
  );
}
