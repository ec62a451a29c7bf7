import type { Config } from 'vega-lite';

/**
 * Font used by every chart. DejaVu Sans ships with Debian/Ubuntu images (fonts-dejavu-core),
 * so the headless PNG renderer finds it; browsers fall back to the next families.
 */
export const FONT_FAMILY = 'DejaVu Sans';
export const FONT_STACK = `${FONT_FAMILY}, Verdana, Arial, sans-serif`;

/** Series label for metrics that have no task (fd, grad_cos_mean, ...). */
export const ALL_TASKS = 'all tasks';

/** Colour of the task-less series, then the task palette (Tableau 10, colour-blind friendlier order). */
export const ALL_TASKS_COLOR = '#3a3a3a';
export const TASK_PALETTE = [
  '#4c78a8', '#f58518', '#54a24b', '#e45756', '#72b7b2',
  '#b279a2', '#eeca3b', '#ff9da6', '#9d755d', '#bab0ac',
];

/**
 * Colours of task pairs: Dark2, then Category10 and lighter tones, 20 in all (6 tasks' 15 pairs
 * stay distinct); set apart from the task colours so a pair is not read as a task.
 */
export const PAIR_PALETTE = [
  '#1b9e77', '#d95f02', '#7570b3', '#e7298a', '#66a61e', '#e6ab02', '#a6761d', '#666666',
  '#1f77b4', '#d62728', '#9467bd', '#8c564b', '#17becf', '#bcbd22', '#ff7f0e', '#2ca02c',
  '#aec7e8', '#ffbb78', '#98df8a', '#c5b0d5',
];

/** Widest a row of small multiples may be, legend included: the report's column, which fits a 1400 px window. */
export const MAX_ROW_WIDTH = 1100;

export const SCHEMA_URL = 'https://vega.github.io/schema/vega-lite/v6.json';

/** Shared Vega-Lite config: readable sizes, one font, white background. */
export const CHART_CONFIG: Config = {
  font: FONT_STACK,
  background: 'white',
  padding: 8,
  title: { fontSize: 15, subtitleFontSize: 12, subtitleColor: '#444', anchor: 'start', offset: 10 },
  axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal', titleColor: '#222', labelColor: '#333', gridColor: '#e6e6e6' },
  legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 260, symbolStrokeWidth: 2.5 },
  header: { labelFontSize: 12, titleFontSize: 12, labelFontWeight: 'bold' },
  line: { strokeWidth: 2 },
  point: { size: 28, filled: true },
  view: { stroke: '#ccc' },
};
