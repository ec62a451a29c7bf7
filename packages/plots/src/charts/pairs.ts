import type { TidyRow } from '@mtl-fd/metrics';
import type { TopLevelSpec } from 'vega-lite';
import { formatValue, nearestStep, pick, runsOf, sortRows, stepsOf, tasksOf } from '../data.js';
import { NoDataError } from '../errors.js';
import { type Json, STEP_FIELD, ZOOM_HINT, referenceRule, runEncodings, topLevel, zoomParam } from './common.js';
import { PAIR_PALETTE } from '../theme.js';

/** Pairwise metrics the matrix and evolution charts draw. */
export type PairMetric = 'fd_pair' | 'grad_cos' | 'param_cos';

interface PairInfo {
  name: string;
  legend: string;
  domain: [number, number];
  scheme: Json;
  /** text turns white where the fill is dark */
  darkText: string;
  reference?: number;
}

const PAIR_INFO: Record<PairMetric, PairInfo> = {
  fd_pair: {
    name: 'Pairwise FD (fd_pair)',
    legend: 'fd_pair (0–1, higher = more disentangled)',
    domain: [0, 1],
    scheme: { scheme: 'viridis' },
    darkText: 'datum.value < 0.55',
  },
  grad_cos: cosineInfo('Pairwise gradient cosine', 'grad_cos'),
  param_cos: cosineInfo('Pairwise parameter-gradient cosine', 'param_cos'),
};

/** A cosine pair metric: red-blue around 0, dashed reference at 0. */
function cosineInfo(title: string, metric: string): PairInfo {
  return {
    name: `${title} (${metric})`,
    legend: `${metric} (−1 to 1, below 0 = conflict)`,
    domain: [-1, 1],
    scheme: { scheme: 'redblue', domainMid: 0 },
    darkText: 'abs(datum.value) > 0.6',
    reference: 0,
  };
}

export interface PairMatrixOptions {
  /** capture step to show: each run's capture nearest to it; default each run's last capture */
  step?: number;
}

/**
 * Heatmap of a pairwise metric (`fd_pair` or `grad_cos`) at one capture per run: tasks on both
 * axes, the matrix mirrored (the metrics are symmetric; the table stores a < b), the value written
 * in each cell ('n/a' for null), the diagonal left blank. One matrix per run, side by side.
 */
export function pairMatrixSpec(rows: readonly TidyRow[], metric: PairMetric, options: PairMatrixOptions = {}): TopLevelSpec {
  const info = PAIR_INFO[metric];
  const all = pick(rows, [metric]).filter((r) => r.task !== '' && r.task_b !== '');
  if (all.length === 0) throw new NoDataError(`${info.name}: the table has no ${metric} rows (needs at least two tasks)`);
  const runs = runsOf(all);
  const tasks = tasksOf(all);
  const chosen = new Map<string, number>();
  for (const run of runs) {
    const steps = stepsOf(all.filter((r) => r.run === run));
    chosen.set(run, options.step === undefined ? steps[steps.length - 1]! : nearestStep(steps, options.step));
  }
  const panel = (run: string) => (runs.length > 1 ? `${run} · step ${chosen.get(run)}` : `step ${chosen.get(run)}`);
  const cells = sortRows(
    all.filter((r) => r.step === chosen.get(r.run)),
    runs,
    tasks,
  ).flatMap((r) => {
    const cell = { run: r.run, step: r.step, panel: panel(r.run), value: r.value, label: formatValue(r.value, 2) };
    return [
      { ...cell, row: r.task, col: r.task_b },
      { ...cell, row: r.task_b, col: r.task },
    ];
  });
  const cellSize = Math.max(44, Math.min(72, Math.round(360 / tasks.length)));
  const taskAxis = (field: 'row' | 'col', title: string) => ({ field, type: 'nominal', title, sort: tasks, scale: { domain: tasks } });
  const tooltip = [
    { field: 'run', type: 'nominal' },
    { field: 'step', type: 'quantitative' },
    { field: 'row', type: 'nominal', title: 'task a' },
    { field: 'col', type: 'nominal', title: 'task b' },
    { field: 'value', type: 'quantitative', title: metric, format: '.4~f' },
  ];
  const layer: Json[] = [
    {
      mark: { type: 'rect', color: '#eeeeee', stroke: 'white', strokeWidth: 2 },
      encoding: { tooltip },
    },
    {
      transform: [{ filter: 'isValid(datum.value) && isFinite(datum.value)' }],
      mark: { type: 'rect', stroke: 'white', strokeWidth: 2 },
      encoding: {
        color: {
          field: 'value',
          type: 'quantitative',
          title: info.legend,
          scale: { ...info.scheme, domain: info.domain },
          legend: { orient: 'right', gradientLength: Math.max(120, cellSize * tasks.length), titleLimit: 400 },
        },
        tooltip,
      },
    },
    {
      mark: { type: 'text', fontSize: 12, fontWeight: 'bold' },
      encoding: {
        text: { field: 'label', type: 'nominal' },
        color: { condition: { test: info.darkText, value: 'white' }, value: '#222' },
        tooltip,
      },
    },
  ];
  const stepNote =
    options.step === undefined
      ? 'at each run\u2019s last capture'
      : `at the capture nearest step ${options.step}`;
  return topLevel(
    {
      facet: { column: { field: 'panel', type: 'nominal', title: null, sort: runs.map(panel), header: { labelFontSize: 12 } } },
      spec: {
        width: { step: cellSize },
        height: { step: cellSize },
        encoding: { y: taskAxis('row', 'task a'), x: { ...taskAxis('col', 'task b'), axis: { labelAngle: -30, orient: 'bottom' } } },
        layer,
      },
      resolve: { scale: { x: 'shared', y: 'shared' } },
    },
    `${info.name} ${stepNote}`,
    [
      `values written in each cell; symmetric (table stores each pair once); diagonal blank; grey = no value (null)`,
    ],
    cells,
    { view: { stroke: null } },
  );
}

/** Label of a task pair in the evolution chart. */
export function pairLabel(a: string, b: string): string {
  return `${a} – ${b}`;
}

/**
 * Evolution of a pairwise metric over training: one line per task pair (dash = run), on a
 * zoomable step axis; `grad_cos` gets a dashed line at 0 (below = conflict).
 */
export function pairEvolutionSpec(rows: readonly TidyRow[], metric: PairMetric): TopLevelSpec {
  const info = PAIR_INFO[metric];
  const all = pick(rows, [metric]).filter((r) => r.task !== '' && r.task_b !== '');
  if (all.length === 0) throw new NoDataError(`${info.name} over steps: the table has no ${metric} rows (needs at least two tasks)`);
  const runs = runsOf(all);
  const tasks = tasksOf(all);
  const values = sortRows(all, runs, tasks).map((r) => ({
    run: r.run,
    step: r.step,
    pair: pairLabel(r.task, r.task_b),
    value: r.value,
  }));
  const pairs = [...new Set(values.map((v) => v.pair))];
  const lines: Json = {
    name: `evolution_${metric}`,
    mark: { type: 'line', point: true, tooltip: true, clip: true },
    encoding: {
      x: STEP_FIELD,
      y: { field: 'value', type: 'quantitative', title: info.legend, scale: { zero: false } },
      color: {
        field: 'pair',
        type: 'nominal',
        title: 'task pair',
        scale: { domain: pairs, range: pairs.map((_, i) => PAIR_PALETTE[i % PAIR_PALETTE.length]) },
      },
      ...runEncodings(runs),
      tooltip: [
        { field: 'run', type: 'nominal' },
        { field: 'step', type: 'quantitative' },
        { field: 'pair', type: 'nominal', title: 'task pair' },
        { field: 'value', type: 'quantitative', title: metric, format: '.4~f' },
      ],
    },
  };
  const body: Json = info.reference === undefined ? lines : { layer: [lines, referenceRule(info.reference)] };
  return topLevel(
    { params: [zoomParam([`evolution_${metric}`])], width: 560, height: 220, ...body },
    `${info.name} over training`,
    [`one line per task pair${runs.length > 1 ? ', dash = run' : ''}; ${ZOOM_HINT}`],
    values,
  );
}
