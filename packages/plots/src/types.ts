import type { Finding } from '@mtl-fd/diagnose';
import type { TidyRow } from '@mtl-fd/metrics';
import type { TopLevelSpec } from 'vega-lite';

/** Stable ids of the report's charts: file names, HTML anchors (`#chart-<id>`), and `Finding.chart`. */
export const CHART_IDS = [
  'fd-trajectory',
  'pair-fd',
  'pair-fd-evolution',
  'pair-grad-cos',
  'pair-grad-cos-evolution',
  'pair-param-cos-evolution',
  'task-ownership',
  'task-gradients',
  'ranking-similarity',
] as const;
export type ChartId = (typeof CHART_IDS)[number];

/** One chart of a report: its spec, or why it could not be drawn. */
export interface ChartEntry {
  id: ChartId;
  title: string;
  /** one or two sentences saying what the chart shows and how to read it */
  description: string;
  /** the Vega-Lite spec; absent when `unavailable` says why */
  spec?: TopLevelSpec;
  /** why the chart was not drawn (missing metrics, no ranking given, ...) */
  unavailable?: string;
  /** the tidy-table metrics the drawn chart plots (also in its spec's `usermeta.metrics`) */
  metrics?: string[];
  /** true when the chart's x axis is the training step with a zoom selection named `zoom` */
  stepZoom: boolean;
}

/** One result of `mtl-fd rank --format json`: an identifier against one test-time metric. */
export interface RankingResult {
  perf_metric: string;
  perf_direction: string;
  n_runs: number;
  tau_b: number | null;
  rho: number | null;
  /** one-sided permutation p-value of tau_b, when computed (the ranking table has it) */
  p_value?: number | null;
  /** why the cell is n/a (not computed); absent or null when it was computed */
  na_reason?: string | null;
}

/** The JSON `mtl-fd rank --format json` prints for one identifier. */
export interface Ranking {
  identifier: string;
  /** task of a per-task identifier; '' or null for a global one */
  task?: string | null;
  /** second task of a pair identifier */
  task_b?: string | null;
  /** where the identifier was read: 'final', 'mean', or a step */
  at?: unknown;
  /** the direction the identifier was taken to predict (docs/metrics.md §7) */
  direction?: string;
  results: RankingResult[];
}

/** Options of the chart builders. */
export interface ChartOptions {
  /** step for the pairwise matrices: each run's capture nearest to it; default each run's last capture */
  step?: number;
  /** `mtl-fd rank` results for the Ranking Similarity chart (checked with parseRanking) */
  ranking?: Ranking | Ranking[];
}

/**
 * A plain table shown in the report (e.g. an experiment's held-out results), placed after the
 * findings as a section with the anchor `#table-<id>`. Cells are escaped; numbers are right-aligned
 * and null shows as "n/a".
 */
export interface ReportTable {
  /** anchor id (`#table-<id>`): letters, digits, '-' and '_' */
  id: string;
  title: string;
  /** text shown under the title (line breaks kept) */
  note?: string;
  columns: string[];
  rows: (string | number | null)[][];
}

/** Everything `writeReport` draws from. */
export interface ReportInput extends ChartOptions {
  rows: TidyRow[];
  /**
   * Options the table was scored with (metrics.json `options`), shown in the report. For several
   * runs whose options differ, pass them keyed by run name.
   */
  options?: Record<string, unknown>;
  /** findings of `diagnose` (shown first); an empty array prints "no findings" */
  findings?: Finding[];
  /** tables shown after the findings (e.g. an experiment's results), in this order */
  tables?: ReportTable[];
  /** page title; default "mtl-fd report: <runs>" */
  title?: string;
  /** PNG pixel ratio (default 2) */
  pngScale?: number;
  /** receives Vega-Lite compile warnings (default: dropped) */
  onWarning?: (message: string) => void;
}

/** What `writeReport` wrote. */
export interface ReportResult {
  /** absolute path of index.html */
  index: string;
  /** per drawn chart: absolute paths of its files */
  charts: { id: ChartId; spec: string; svg: string; png: string }[];
  /** charts not drawn, with the reason */
  skipped: { id: ChartId; reason: string }[];
}
