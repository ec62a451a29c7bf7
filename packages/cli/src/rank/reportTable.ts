import type { At, RankCell, RankingTable } from '@mtl-fd/metrics';
import { signed } from '../demo/format.js';
import { rowLabel, SIGNIFICANCE } from './tableText.js';

/** A plain table for the terminal and the report alike: the same header and rows go to both. */
export interface ResultTable {
  header: string[];
  rows: string[][];
  /** what the table shows (may hold line breaks; no trailing one) */
  note: string;
}

/** A cell as text: tau-b and its p-value, '*' when p < 0.05; n/a (the reason is in the note); '' when not compared. */
function cellText(c: RankCell | undefined): string {
  if (!c) return '';
  if (c.na_reason !== null || c.tau_b === null) return 'n/a';
  const p = c.p_value === null ? '' : ` p=${c.p_value < 0.001 ? c.p_value.toExponential(0) : c.p_value.toFixed(3)}${c.p_value < SIGNIFICANCE ? '*' : ''}`;
  return `${signed(c.tau_b)}${p}`;
}

/** The ranking table (one capture, `at`): one row per identifier as read (global, a task, a pair, averaged), one column per test-time result. */
export function rankingResultTable(ranking: RankingTable, at: At): ResultTable {
  const { cells, settings } = ranking;
  const perfs = Object.keys(settings.perf_tasks).filter((p) => cells.some((c) => c.perf_metric === p));
  const rows = new Map<string, RankCell[]>();
  for (const c of cells) {
    const k = rowLabel(c);
    const r = rows.get(k);
    if (r) r.push(c);
    else rows.set(k, [c]);
  }
  const header = ['identifier', 'predicts', ...perfs.map((p) => `${p} tau-b`)];
  const body = [...rows.entries()].map(([label, cs]) => [
    label,
    cs[0]!.direction === 'higher-better' ? 'higher=better' : 'lower=better',
    ...perfs.map((p) => cellText(cs.find((c) => c.perf_metric === p))),
  ]);
  const na = new Map<string, string>();
  for (const c of cells) if (c.na_reason !== null && !na.has(rowLabel(c))) na.set(rowLabel(c), c.na_reason);
  const n = settings.runs.length;
  const atText = at === 'mean' ? 'mean over captures' : at === 'final' ? 'last capture' : `capture nearest step ${at}`;
  return {
    header,
    rows: body,
    note:
      `Ranking Similarity over ${n} multi-task runs (identifier value: ${atText}): Kendall tau-b, +1 = orders the runs as the test results do; ` +
      `p: one-sided permutation p-value (${cells.some((c) => c.p_method === 'monte-carlo') ? 'Monte Carlo' : `exact over the ${n}! orderings`}), * p < ${SIGNIFICANCE}, not corrected for the number of cells; blank: not compared.\n` +
      `[task]: the identifier of that task (against its own task's results); [mean of tasks] / [all pairs]: averaged, against the whole-run results (Delta m).` +
      (na.size > 0 ? `\nn/a: ${[...na.entries()].map(([l, r]) => `${l}: ${r}`).join('; ')}` : ''),
  };
}

