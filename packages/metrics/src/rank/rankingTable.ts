import { UserError } from '@mtl-fd/capture';
import type { TidyRow } from '../table/types.js';
import { identifierSeries, valueAt, type At } from './at.js';
import { BOOTSTRAP_DEFAULTS } from './bootstrapInterval.js';
import { constantByConstruction } from './constantByConstruction.js';
import { declaredDirection } from './directions.js';
import { EXACT_MAX_RUNS } from './exactPermutation.js';
import { identifierVariants, type IdentifierVariant } from './identifierVariants.js';
import type { PValueMethod } from './kendallPValue.js';
import { MONTE_CARLO_ORDERINGS } from './monteCarloPermutation.js';
import type { PerfMetric } from './perf.js';
import { perfMetricTask } from './perfTask.js';
import { rankCell, type RankCell } from './rankCell.js';

export interface RankingTableOptions {
  /** captures to read, default ['final', 'mean'] */
  at?: At[];
  /** runs to compare, in this order; default every run of the rows, in order of appearance */
  runs?: string[];
  /** seed of every random draw (Monte Carlo orderings, bootstrap resamples), default 0 */
  seed?: number;
  pValue?: { method?: 'auto' | PValueMethod; exactMaxRuns?: number; orderings?: number };
  bootstrap?: { resamples?: number; level?: number; minRuns?: number };
}

export interface RankingTableSettings {
  at: At[];
  runs: string[];
  seed: number;
  p_value: { method: 'auto' | PValueMethod; exact_max_runs: number; orderings: number; sided: 'greater' };
  bootstrap: { resamples: number; level: number; min_runs: number; interval: 'percentile' };
  /** the task each test metric was matched with (null: a metric of the whole run) */
  perf_tasks: Record<string, string | null>;
}

export interface RankingTable {
  settings: RankingTableSettings;
  cells: RankCell[];
}

/**
 * The Ranking Similarity table (docs/metrics.md §7) of every identifier the rows
 * hold that declares a direction: a global identifier against every test metric; a
 * per-task (or pair) one against its task's (either task's) metrics and, averaged
 * over the tasks (pairs), against the whole-run metrics; each `at` in turn. Each
 * cell has tau-b, rho, the permutation p-value of tau-b and a bootstrap interval,
 * or says why it is n/a.
 */
export function rankingTable(rows: readonly TidyRow[], perf: readonly PerfMetric[], options: RankingTableOptions = {}): RankingTable {
  const runs = options.runs ?? [...new Set(rows.map((r) => r.run))];
  const tasks = [...new Set(rows.flatMap((r) => [r.task, r.task_b]).filter((t) => t !== ''))];
  const perfTasks = new Map<PerfMetric, string | null>();
  for (const pm of perf) {
    const t = perfMetricTask(pm, tasks);
    if (t !== null && !tasks.includes(t)) {
      throw new UserError(`test metric '${pm.metric}' is of task '${t}', which no run has (the runs' tasks: ${tasks.join(', ') || 'none'})`);
    }
    perfTasks.set(pm, t);
  }
  const settings: RankingTableSettings = {
    at: options.at ?? ['final', 'mean'],
    runs,
    seed: options.seed ?? 0,
    p_value: {
      method: options.pValue?.method ?? 'auto',
      exact_max_runs: options.pValue?.exactMaxRuns ?? EXACT_MAX_RUNS,
      orderings: options.pValue?.orderings ?? MONTE_CARLO_ORDERINGS,
      sided: 'greater',
    },
    bootstrap: {
      resamples: options.bootstrap?.resamples ?? BOOTSTRAP_DEFAULTS.resamples,
      level: options.bootstrap?.level ?? BOOTSTRAP_DEFAULTS.level,
      min_runs: options.bootstrap?.minRuns ?? BOOTSTRAP_DEFAULTS.minRuns,
      interval: 'percentile',
    },
    perf_tasks: Object.fromEntries(perf.map((pm) => [pm.metric, perfTasks.get(pm)!])),
  };
  const cellOptions = {
    seed: settings.seed,
    pValue: { method: settings.p_value.method, exactMaxRuns: settings.p_value.exact_max_runs, orderings: settings.p_value.orderings, cache: new Map() },
    bootstrap: { resamples: settings.bootstrap.resamples, level: settings.bootstrap.level, minRuns: settings.bootstrap.min_runs },
  };

  const cells: RankCell[] = [];
  for (const v of identifierVariants(rows)) {
    const against = perf.filter((pm) => comparedWith(v, perfTasks.get(pm)!));
    if (against.length === 0) continue;
    const direction = declaredDirection(v.identifier)!;
    const constant = constantByConstruction(v);
    const series = v.series.map((q) => identifierSeries(rows, q));
    for (const at of settings.at) {
      const x = runs.map((run) => meanOfSeries(series, run, at));
      for (const pm of against) {
        const head = { identifier: v.identifier, task: v.task, task_b: v.task_b, at, perf_metric: pm.metric, perf_direction: pm.direction, direction };
        cells.push(rankCell(head, x, runs.map((run) => pm.values.get(run) ?? null), cellOptions, constant));
      }
    }
  }
  return { settings, cells };
}

function comparedWith(v: IdentifierVariant, perfTask: string | null): boolean {
  if (v.against.kind === 'all') return true;
  if (v.against.kind === 'whole-run') return perfTask === null;
  return perfTask !== null && v.against.tasks.includes(perfTask);
}

/** A run's mean, over the series, of each series' value `at`; null when any is missing, null or not finite. */
function meanOfSeries(series: readonly Map<string, { step: number; value: number | null }[]>[], run: string, at: At): number | null {
  let sum = 0;
  for (const s of series) {
    const v = valueAt(s.get(run) ?? [], at);
    if (v === null || !Number.isFinite(v)) return null;
    sum += v;
  }
  return series.length === 1 ? sum : sum / series.length;
}
