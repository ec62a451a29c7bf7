import { labelSeed } from '../random/labelSeed.js';
import type { At } from './at.js';
import { bootstrapTauB, type BootstrapOptions } from './bootstrapInterval.js';
import type { Direction } from './directions.js';
import { kendallPValue, type KendallPValueOptions, type PValueMethod } from './kendallPValue.js';
import { kendallTauB } from './kendall.js';
import { sameForAllRuns } from './sameForAllRuns.js';
import { orientedPairs } from './similarity.js';
import { spearmanRho } from './spearman.js';

/** One cell of the Ranking Similarity table: one identifier (as read) against one test metric. */
export interface RankCell {
  identifier: string;
  /** null for a global identifier; a task; or 'mean of tasks' / 'all pairs' */
  task: string | null;
  task_b: string | null;
  at: At;
  perf_metric: string;
  perf_direction: Direction;
  /** the direction the identifier is taken to predict */
  direction: Direction;
  /** runs with both an identifier value and a test result */
  n_runs: number;
  tau_b: number | null;
  rho: number | null;
  /** one-sided permutation p-value of tau_b */
  p_value: number | null;
  p_method: PValueMethod | null;
  /** percentile bootstrap interval of tau_b over runs; null where n is too small */
  ci_low: number | null;
  ci_high: number | null;
  /** why the cell is not computed (then tau_b, rho, p_value and the interval are null) */
  na_reason: string | null;
}

export type RankCellHead = Pick<RankCell, 'identifier' | 'task' | 'task_b' | 'at' | 'perf_metric' | 'perf_direction' | 'direction'>;

export interface RankCellOptions {
  seed: number;
  pValue: Omit<KendallPValueOptions, 'seed'>;
  bootstrap: Omit<BootstrapOptions, 'seed'>;
}

/** The label that names a cell's own random streams (so a cell's draws never depend on other cells). */
export function cellLabel(h: RankCellHead): string {
  return [h.identifier, h.task ?? '', h.task_b ?? '', String(h.at), h.perf_metric].join('\u0000');
}

/**
 * A cell from the identifier value and the test result of each run (null where a
 * run has none): tau-b and rho after orienting both sides, the p-value and the
 * interval; or n/a, with the reason, when there is nothing to rank (fewer than 2
 * runs, or a side the same for every run, by `constantReason` or by its values).
 */
export function rankCell(
  head: RankCellHead,
  identifier: readonly (number | null)[],
  performance: readonly (number | null)[],
  options: RankCellOptions,
  constantReason: string | null = null,
): RankCell {
  const { x, y } = orientedPairs(identifier, performance, { identifier: head.direction, performance: head.perf_direction });
  const na = (reason: string): RankCell => ({
    ...head,
    n_runs: x.length,
    tau_b: null,
    rho: null,
    p_value: null,
    p_method: null,
    ci_low: null,
    ci_high: null,
    na_reason: reason,
  });
  if (x.length < 2) return na(`only ${x.length} run(s) have both an identifier value and a test result`);
  if (constantReason !== null) return na(constantReason);
  // x and y are oriented: say the value as it was read
  const asRead = (v: number, d: Direction) => (d === 'lower-better' ? -v : v);
  if (sameForAllRuns(x)) return na(`the identifier is the same for every run (${asRead(x[0]!, head.direction)})`);
  if (sameForAllRuns(y)) return na(`the test result is the same for every run (${asRead(y[0]!, head.perf_direction)})`);
  const label = cellLabel(head);
  // the Monte Carlo stream is labelled by its null distribution, shared by cells with the same test metric
  const p = kendallPValue(x, y, { ...options.pValue, seed: options.seed });
  const ci = bootstrapTauB(x, y, { ...options.bootstrap, seed: labelSeed(options.seed, `${label}\u0000bootstrap`) });
  return {
    ...head,
    n_runs: x.length,
    tau_b: kendallTauB(x, y),
    rho: spearmanRho(x, y),
    p_value: p?.p_value ?? null,
    p_method: p?.method ?? null,
    ci_low: ci?.low ?? null,
    ci_high: ci?.high ?? null,
    na_reason: null,
  };
}
