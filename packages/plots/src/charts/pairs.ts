import type { TidyRow } from '@mtl-fd/metrics';
import type { TopLevelSpec } from 'vega-lite';
import { formatValue, nearestStep, pick, runsOf, sortRows, stepsOf, tasksOf } from '../data.js';
import { NoDataError } from '../errors.js';
import { type Json, STEP_FIELD, ZOOM_HINT, referenceRule, runEncodings, topLevel, zoomParam } from './common.js';
import { MAX_ROW_WIDTH, PAIR_PALETTE } from '../theme.js';

/** Pairwise metrics the matrix and evolution charts draw. */
export type PairMetric = 'fd_pair' | 'grad_cos' | 'param_cos';

interface PairInfo {
  name: string;
  legend: string;
  /** the metric's possible range (the colour scale uses the data's range inside it) */
  range: [number, number];
  scheme: Json;
  /** true for a diverging scheme centred on 0 */
  diverging: boolean;
  reference?: number;
}

/** The one number format of a heatmap: cell text, legend and tooltip alike. */
export const HEATMAP_FORMAT = '.2f';
/** Room for the y axis and the legend in a row of matrices, and the gap after each matrix (px). */
export const HEATMAP_CHROME = 240;
export const HEATMAP_GAP = 40;

const PAIR_INFO: Record<PairMetric, PairInfo> = {
  fd_pair: {
    name: 'Pairwise FD (fd_pair)',
    legend: 'fd_pair (0–1, higher = more disentangled)',
    range: [0, 1],
    scheme: { scheme: 'viridis' },
    diverging: false,
  },
  grad_cos: cosineInfo('Pairwise gradient cosine', 'grad_cos'),
  param_cos: cosineInfo('Pairwise parameter-gradient cosine', 'param_cos'),
};

/** A cosine pair metric: red-blue, symmetric about 0, dashed reference at 0. */
function cosineInfo(title: string, metric: string): PairInfo {
  return {
    name: `${title} (${metric})`,
    legend: `${metric} (−1 to 1, below 0 = conflict)`,
    range: [-1, 1],
    scheme: { scheme: 'redblue' },
    diverging: true,
    reference: 0,
  };
}

export interface PairMatrixOptions {
  /** capture step to show: each run's capture nearest to it; default each run's last capture */
  step?: number;
}

/**
 * The colour domain of a heatmap: the data's range (so that close values still differ in
 * colour), symmetric about 0 for a diverging scheme (0 stays white), a small span around a
 * single value; the metric's range when there is no finite value.
 */
export function heatmapDomain(values: readonly (number | null)[], info: Pick<PairInfo, 'range' | 'diverging'>): [number, number] {
  const finite = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (finite.length === 0) return info.range;
  if (info.diverging) {
    const m = finite.reduce((a, v) => Math.max(a, Math.abs(v)), 0) || 0.01;
    return [-m, m];
  }
  const lo = finite.reduce((a, v) => Math.min(a, v), Infinity);
  const hi = finite.reduce((a, v) => Math.max(a, v), -Infinity);
  return hi - lo > 1e-9 ? [lo, hi] : [lo - 0.01, hi + 0.01];
}

/**
 * Heatmap of a pairwise metric (`fd_pair` or `grad_cos`) at one capture per run: tasks on both
 * axes, the matrix mirrored (the metrics are symmetric; the table stores a < b), the value written
 * in each cell ('n/a' for null), the diagonal left blank. One matrix per run, wrapped into rows
 * that fit the report's width; one colour scale fit to the values shown, one number format.
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
    const cell = { run: r.run, step: r.step, panel: panel(r.run), value: r.value };
    return [
      { ...cell, row: r.task, col: r.task_b },
      { ...cell, row: r.task_b, col: r.task },
    ];
  });
  const cellSize = Math.max(44, Math.min(72, Math.round(360 / tasks.length)));
  const domain = heatmapDomain(cells.map((c) => c.value), info);
  // text turns white where the fill is dark: the low end of viridis, both ends of redblue
  const t = `(datum.value - ${domain[0]}) / ${domain[1] - domain[0]}`;
  const darkText = info.diverging ? `abs(${t} - 0.5) > 0.3` : `${t} < 0.55`;
  // matrices per row: each panel is its cells plus a gap; the y axis (first column) and the legend take the rest
  const columns = Math.max(1, Math.min(runs.length, Math.floor((MAX_ROW_WIDTH - HEATMAP_CHROME) / (cellSize * tasks.length + HEATMAP_GAP))));
  const taskAxis = (field: 'row' | 'col', title: string) => ({ field, type: 'nominal', title, sort: tasks, scale: { domain: tasks } });
  const tooltip = [
    { field: 'run', type: 'nominal' },
    { field: 'step', type: 'quantitative' },
    { field: 'row', type: 'nominal', title: 'task a' },
    { field: 'col', type: 'nominal', title: 'task b' },
    { field: 'value', type: 'quantitative', title: metric, format: HEATMAP_FORMAT },
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
          scale: { ...info.scheme, domain, ...(info.diverging ? { domainMid: 0 } : {}) },
          legend: { orient: 'right', format: HEATMAP_FORMAT, gradientLength: Math.max(120, cellSize * tasks.length), titleLimit: 400 },
        },
        tooltip,
      },
    },
    {
      transform: [{ calculate: `isValid(datum.value) && isFinite(datum.value) ? replace(format(datum.value, '${HEATMAP_FORMAT}'), '-', '\u2212') : 'n/a'`, as: 'label' }],
      mark: { type: 'text', fontSize: 12, fontWeight: 'bold' },
      encoding: {
        text: { field: 'label', type: 'nominal' },
        color: { condition: { test: `isValid(datum.value) && ${darkText}`, value: 'white' }, value: '#222' },
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
      facet: { field: 'panel', type: 'nominal', title: null, sort: runs.map(panel), header: { labelFontSize: 12 } },
      columns,
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
      `values written in each cell; symmetric (table stores each pair once); diagonal blank; grey = no value (null); colours span the values shown (${formatValue(Number(domain[0].toFixed(2)), 2)} to ${formatValue(Number(domain[1].toFixed(2)), 2)})`,
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
