import { csvField, type AcrossSeeds, type AcrossSeedsCell, type SeedSpread } from '@mtl-fd/metrics';
import { CELL_HEAD_COLUMNS } from '../rank/tableCsv.js';
import { rowLabel } from '../rank/tableText.js';
import type { DemoResult } from './experiment.js';
import { signed } from './format.js';
import type { ResultTable } from './resultTables.js';

/** A table of the across-seeds summary, for stdout and the report alike. */
export interface SeedsTable extends ResultTable {
  /** anchor of its report section */
  id: string;
  title: string;
}

const columnOf = (c: Pick<AcrossSeedsCell, 'perf_metric' | 'at'>, ats: number) => (ats > 1 ? `${c.perf_metric} @${String(c.at)}` : c.perf_metric);

/** The cells as rows (identifier as read) x columns (test metric, and capture when several), in table order. */
function grid(summary: AcrossSeeds) {
  const ats = new Set(summary.cells.map((c) => String(c.at))).size;
  const columns = [...new Set(summary.cells.map((c) => columnOf(c, ats)))];
  const rows = new Map<string, Map<string, AcrossSeedsCell>>();
  for (const c of summary.cells) {
    const label = rowLabel(c);
    let r = rows.get(label);
    if (!r) rows.set(label, (r = new Map()));
    r.set(columnOf(c, ats), c);
  }
  const predicts = (r: Map<string, AcrossSeedsCell>) => ([...r.values()][0]!.direction === 'higher-better' ? 'higher=better' : 'lower=better');
  return { columns, rows, predicts };
}

function spreadText(s: SeedSpread): string {
  return `${signed(s.mean)}${s.sd === null ? '' : `±${s.sd.toFixed(2)}`} [${signed(s.min)},${signed(s.max)}]`;
}

/**
 * The across-seeds summary as tables: tau-b mean ± sd [min, max] per cell; per cell
 * the seeds with p < alpha and the seeds in which it ranked first in its column; and
 * Delta m (maninis) of each method per seed.
 */
export function seedsTables(summary: AcrossSeeds, results: readonly DemoResult[]): SeedsTable[] {
  const n = summary.seeds.length;
  const { columns, rows, predicts } = grid(summary);
  const na = new Map<string, string>();
  for (const [label, r] of rows) for (const c of r.values()) if (c.na_reason !== null && !na.has(label)) na.set(label, c.na_reason);
  // one row per identifier: its label, direction and a cell per column (blank: not compared)
  const gridRows = (text: (c: AcrossSeedsCell) => string) =>
    [...rows.entries()].map(([label, r]) => [
      label,
      predicts(r),
      ...columns.map((col) => {
        const c = r.get(col);
        if (!c) return '';
        return c.tau_b === null ? 'n/a' : text(c);
      }),
    ]);
  const naNote = na.size > 0 ? `\nn/a (in every seed): ${[...na.entries()].map(([l, reason]) => `${l}: ${reason}`).join('; ')}` : '';
  const seedList = summary.seeds.join(', ');

  const tau: SeedsTable = {
    id: 'seeds-tau',
    title: `Ranking Similarity over ${n} seeds: tau-b mean ± sd [min, max]`,
    header: ['identifier', 'predicts', ...columns.map((c) => `${c} tau-b`)],
    rows: gridRows((c) => `${spreadText(c.tau_b!)}${c.n_computed < n ? ` (${c.n_computed}/${n} seeds)` : ''}`),
    note:
      `Kendall tau-b of each identifier against each test result, one ranking table per seed (${seedList}), summarised over the seeds that computed the cell ` +
      `(sd: sample sd over seeds). +1 = orders the runs as the test results do; blank: not compared.${naNote}`,
  };

  const chance: SeedsTable = {
    id: 'seeds-chance',
    title: `Beats chance and ranks first: seeds out of ${n}`,
    header: ['identifier', 'predicts', ...columns.map((c) => `${c} p<${summary.alpha} / first`)],
    rows: gridRows((c) => `${c.p_below}/${n} / ${c.ranked_first}/${n}`),
    note:
      `Per cell: in how many seeds its one-sided permutation p-value was below ${summary.alpha} (not corrected for the number of cells), ` +
      `and in how many it had the best tau-b of its column (tied bests all count).\n` +
      summary.columns
        .map((col) => `${col.perf_metric}: first ${col.first.length === 0 ? 'none' : col.first.map((f) => `${rowLabel(f)} ${f.seeds}/${n}`).join(', ')}`)
        .join('\n'),
  };

  const methods = [...new Set(results.flatMap((r) => r.runs.filter((x) => x.delta_m).map((x) => x.name)))];
  const delta: SeedsTable = {
    id: 'seeds-delta-m',
    title: 'Delta m (maninis, %) per seed',
    header: ['run', ...summary.seeds.map((s) => `seed ${s}`), 'mean'],
    rows: methods.map((m) => {
      const v = results.map((r) => r.runs.find((x) => x.name === m)?.delta_m?.maninis ?? null);
      const got = v.filter((x): x is number => x !== null);
      return [m, ...v.map((x) => signed(x)), got.length === 0 ? 'n/a' : signed(got.reduce((a, b) => a + b, 0) / got.length)];
    }),
    note: 'Delta m of each multi-task run against the single-task baselines of its own seed (higher is better).',
  };
  return methods.length > 0 ? [tau, chance, delta] : [tau, chance];
}

const SPREAD_COLUMNS = ['mean', 'sd', 'min', 'max'] as const;

/** One CSV row per cell of the summary: its head, n_seeds, n_computed, tau-b / rho / p spread, p_below, ranked_first, tau-b per seed, na_reason. */
export function seedsCsv(summary: AcrossSeeds): string {
  const stats = ['tau_b', 'rho', 'p_value'] as const;
  const header = [
    ...CELL_HEAD_COLUMNS,
    'n_seeds',
    'n_computed',
    ...stats.flatMap((s) => SPREAD_COLUMNS.map((k) => `${s}_${k}`)),
    'p_below',
    'ranked_first',
    ...summary.seeds.map((s) => `tau_b_seed_${s}`),
    'na_reason',
  ];
  const lines = [header.join(',')];
  for (const c of summary.cells) {
    const values: (string | number | null)[] = [
      ...CELL_HEAD_COLUMNS.map((k) => (k === 'at' ? String(c.at) : c[k])),
      c.n_seeds,
      c.n_computed,
      ...stats.flatMap((s) => SPREAD_COLUMNS.map((k) => c[s]?.[k] ?? null)),
      c.p_below,
      c.ranked_first,
      ...c.tau_b_by_seed,
      c.na_reason,
    ];
    lines.push(values.map(csvField).join(','));
  }
  return `${lines.join('\n')}\n`;
}
