import type { TopLevelSpec } from 'vega-lite';
import { ALL_TASKS, ALL_TASKS_COLOR, CHART_CONFIG, SCHEMA_URL, TASK_PALETTE } from '../theme.js';

/** A plain JSON object: specs are assembled from these and checked against the Vega-Lite schema in the tests. */
export type Json = Record<string, unknown>;

/** Name of the interval selection bound to the step scale (zoom); its Vega signal is `zoom_step`. */
export const ZOOM = 'zoom';

/** Wraps a spec body with the schema URL, title, inline data and the shared config. */
export function topLevel(body: Json, title: string, subtitle: string | string[], values: unknown[], config: Json = {}): TopLevelSpec {
  return {
    $schema: SCHEMA_URL,
    title: { text: title, subtitle },
    data: { values },
    ...body,
    config: { ...CHART_CONFIG, ...config },
  } as unknown as TopLevelSpec;
}

/** Colour encoding for task series, with fixed colours per task across all charts. */
export function taskColor(tasks: readonly string[], withAllTasks: boolean, field = 'series', title = 'task'): Json {
  const domain = withAllTasks ? [ALL_TASKS, ...tasks] : [...tasks];
  const range = withAllTasks
    ? [ALL_TASKS_COLOR, ...tasks.map((_, i) => TASK_PALETTE[i % TASK_PALETTE.length])]
    : tasks.map((_, i) => TASK_PALETTE[i % TASK_PALETTE.length]);
  return { field, type: 'nominal', title, scale: { domain, range }, legend: { orient: 'right' } };
}

/** Stroke dash (and point shape) per run, only when there are several runs. */
export function runEncodings(runs: readonly string[]): Json {
  if (runs.length < 2) return {};
  return {
    strokeDash: { field: 'run', type: 'nominal', title: 'run', scale: { domain: [...runs] } },
    shape: { field: 'run', type: 'nominal', title: 'run', scale: { domain: [...runs] } },
  };
}

/** The zoom parameter: interval on x bound to the (shared) step scale of the named unit views. */
export function zoomParam(views: string[]): Json {
  return { name: ZOOM, select: { type: 'interval', encodings: ['x'] }, bind: 'scales', views };
}

/** The x encoding of every step axis: the data's step range (not rounded out), integer ticks. */
export const STEP_FIELD: Json = {
  field: 'step',
  type: 'quantitative',
  title: 'training step',
  scale: { nice: false, zero: false },
  axis: { tickMinStep: 1, format: '~s' },
};

/** A dashed reference line at y = value (1 for rel_rate, 0 for cosines). */
export function referenceRule(value: number): Json {
  return {
    data: { values: [{}] },
    mark: { type: 'rule', strokeDash: [4, 4], color: '#888', strokeWidth: 1, clip: true },
    encoding: { y: { datum: value, type: 'quantitative' } },
  };
}

export const ZOOM_HINT = 'drag or scroll on a panel to zoom the step axis; double-click to reset';
