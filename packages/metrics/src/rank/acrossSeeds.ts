import type { RankCell, RankCellHead } from './rankCell.js';

/** A statistic over the seeds where a cell was computed. */
export interface SeedSpread {
  mean: number;
  /** sample standard deviation (n - 1); null with a single seed */
  sd: number | null;
  min: number;
  max: number;
}

/** One cell of the Ranking Similarity table summarised over seeds (one table per seed). */
export interface AcrossSeedsCell extends RankCellHead {
  /** seeds given */
  n_seeds: number;
  /** seeds in which the cell has a tau-b (not n/a) */
  n_computed: number;
  /** runs compared, per seed that has the cell (null where it has none) */
  n_runs: (number | null)[];
  tau_b: SeedSpread | null;
  rho: SeedSpread | null;
  p_value: SeedSpread | null;
  /** seeds whose p-value is below `alpha` */
  p_below: number;
  /** seeds in which no other cell of its column (test metric, capture) has a larger tau-b; tied bests all count */
  ranked_first: number;
  /** per seed, the cell's tau-b (null where n/a or absent), in the order of `seeds` */
  tau_b_by_seed: (number | null)[];
  /** why the cell is n/a in every seed (the seeds' reasons, each once); null when any seed computed it */
  na_reason: string | null;
}

/** How often each row of a column ranked first, over the seeds. */
export interface AcrossSeedsColumn {
  perf_metric: string;
  at: RankCell['at'];
  /** rows with ranked_first > 0, most seeds first (table order among equals) */
  first: { identifier: string; task: string | null; task_b: string | null; seeds: number }[];
}

export interface AcrossSeeds {
  seeds: number[];
  alpha: number;
  cells: AcrossSeedsCell[];
  columns: AcrossSeedsColumn[];
}

/** The table of one seed. */
export interface SeedTable {
  seed: number;
  cells: readonly RankCell[];
}

const cellKey = (c: RankCellHead) => [c.identifier, c.task ?? '', c.task_b ?? '', String(c.at), c.perf_metric].join('\u0000');
const columnKey = (c: Pick<RankCellHead, 'perf_metric' | 'at'>) => `${c.perf_metric}\u0000${String(c.at)}`;

function spread(values: readonly number[]): SeedSpread | null {
  if (values.length === 0) return null;
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const sd = values.length < 2 ? null : Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1));
  return { mean, sd, min: values.reduce((m, v) => Math.min(m, v), Infinity), max: values.reduce((m, v) => Math.max(m, v), -Infinity) };
}

/**
 * The Ranking Similarity tables of several seeds (the same experiment, re-run) as
 * one: per cell, the mean, sample sd, min and max over the seeds that computed it
 * of tau-b, rho and the p-value, how many seeds had p < alpha, and in how many it
 * was the best identifier of its column. A cell n/a in a seed (constant by
 * construction, or the same for every run) adds nothing to its statistics: it is
 * not averaged as a number, and a cell n/a in every seed stays n/a with its reason.
 * Cells come in the order the tables first list them.
 */
export function acrossSeeds(tables: readonly SeedTable[], alpha = 0.05): AcrossSeeds {
  const seeds = tables.map((t) => t.seed);
  const order: RankCell[] = [];
  const listed = new Set<string>();
  const bySeed = tables.map((t) => {
    const m = new Map<string, RankCell>();
    for (const c of t.cells) {
      const k = cellKey(c);
      if (m.has(k)) throw new Error(`seed ${t.seed}: the table lists cell ${k.replaceAll('\u0000', ' / ')} twice`);
      m.set(k, c);
      if (!listed.has(k)) listed.add(k), order.push(c);
    }
    return m;
  });

  // per seed and column, the best tau-b
  const best = tables.map((t) => {
    const m = new Map<string, number>();
    for (const c of t.cells) {
      if (c.tau_b === null || c.na_reason !== null) continue;
      const k = columnKey(c);
      m.set(k, Math.max(m.get(k) ?? -Infinity, c.tau_b));
    }
    return m;
  });

  const cells: AcrossSeedsCell[] = order.map((head) => {
    const k = cellKey(head);
    const got = bySeed.map((m) => m.get(k));
    const computed = got.filter((c): c is RankCell => c !== undefined && c.na_reason === null && c.tau_b !== null);
    const nums = (pick: (c: RankCell) => number | null) => computed.map(pick).filter((v): v is number => v !== null);
    const reasons = [...new Set(got.map((c) => c?.na_reason).filter((r): r is string => typeof r === 'string'))];
    return {
      identifier: head.identifier,
      task: head.task,
      task_b: head.task_b,
      at: head.at,
      perf_metric: head.perf_metric,
      perf_direction: head.perf_direction,
      direction: head.direction,
      n_seeds: tables.length,
      n_computed: computed.length,
      n_runs: got.map((c) => c?.n_runs ?? null),
      tau_b: spread(nums((c) => c.tau_b)),
      rho: spread(nums((c) => c.rho)),
      p_value: spread(nums((c) => c.p_value)),
      p_below: computed.filter((c) => c.p_value !== null && c.p_value < alpha).length,
      ranked_first: got.filter((c, i) => c !== undefined && c.na_reason === null && c.tau_b !== null && c.tau_b === best[i]!.get(columnKey(c))).length,
      tau_b_by_seed: got.map((c) => (c === undefined || c.na_reason !== null ? null : c.tau_b)),
      na_reason: computed.length > 0 ? null : reasons.length > 0 ? reasons.join('; ') : 'no seed has this cell',
    };
  });

  const columns: AcrossSeedsColumn[] = [];
  for (const c of cells) {
    let col = columns.find((x) => columnKey(x) === columnKey(c));
    if (!col) columns.push((col = { perf_metric: c.perf_metric, at: c.at, first: [] }));
    if (c.ranked_first > 0) col.first.push({ identifier: c.identifier, task: c.task, task_b: c.task_b, seeds: c.ranked_first });
  }
  // stable sort: most seeds first, table order among equals
  for (const col of columns) col.first.sort((a, b) => b.seeds - a.seeds);
  return { seeds, alpha, cells, columns };
}
