import type { At, RankCell, RankingTable } from '@mtl-fd/metrics';
import type { ReportTable } from '@mtl-fd/plots';
import { rowLabel, SIGNIFICANCE } from '../rank/tableText.js';
import { TASKS } from './data.js';
import { TEST_METRIC } from './evaluate.js';
import type { RunSummary } from './runSummary.js';
import { num, signed } from './format.js';

/** One table of the demo's results: the same header and rows go to stdout and to the report. */
export interface ResultTable {
  header: string[];
  rows: string[][];
  /** what the table shows (may hold line breaks; no trailing one) */
  note: string;
}

export interface ResultTables {
  /** per run: held-out test metrics, Delta m, identifiers at the last capture, time */
  results: ResultTable;
  /** Ranking Similarity of each identifier against each test-time column; absent without a ranking */
  ranking?: ResultTable;
}

/** What the tables are built from: the runs (with delta_m and final set), the ranking cells and two options. */
export interface ResultTablesInput {
  runs: readonly RunSummary[];
  ranking: RankingTable | null;
  testSize: number;
  at: At;
}

/** The held-out results + Delta m table and the Ranking Similarity table of a demo. */
export function resultTables({ runs, ranking, testSize, at }: ResultTablesInput): ResultTables {
  const tasks = [...TASKS];
  const header = [
    'run',
    'method',
    ...tasks.map((t) => TEST_METRIC[t].label),
    'Delta m maninis %',
    'Delta m navon %',
    'fd',
    ...tasks.map((t) => `fd_task ${t}`),
    'grad_cos_mean',
    'time',
  ];
  const rows = runs.map((run) => {
    const test = (t: string) => {
      const x = run.test.find((y) => y.task === t);
      return x ? num(x.value, TEST_METRIC[x.task].metric === 'acc' ? 3 : 2) : '';
    };
    const f = run.final;
    const fdTask = (t: string) => (f && typeof f.fd_task === 'object' && f.fd_task !== null ? num((f.fd_task as Record<string, number | null>)[t]) : '');
    return [
      run.name,
      run.label,
      ...tasks.map(test),
      run.delta_m ? signed(run.delta_m.maninis) : '',
      run.delta_m ? signed(run.delta_m.navon) : '',
      f ? num(f.fd as number | null) : '',
      ...tasks.map(fdTask),
      f ? num(f.grad_cos_mean as number | null) : '',
      `${run.seconds.toFixed(1)}s`,
    ];
  });
  const results: ResultTable = {
    header,
    rows,
    note:
      `Held-out results (${testSize} MultiMNIST pairs from MNIST test digits). Delta m against the single-task baselines: maninis higher is better, navon lower is better.\n` +
      `fd, fd_task, grad_cos_mean: at each run's last capture (step ${runs.find((x) => x.final)?.final?.step ?? 'n/a'}).`,
  };
  if (ranking === null || ranking.cells.length === 0) return { results };

  return { results, ranking: rankingResultTable(ranking, at) };
}

/** A cell as text: tau-b and its p-value, '*' when p < 0.05; n/a (the reason is in the note); '' when not compared. */
function cellText(c: RankCell | undefined): string {
  if (!c) return '';
  if (c.na_reason !== null || c.tau_b === null) return 'n/a';
  const p = c.p_value === null ? '' : ` p=${c.p_value < 0.001 ? c.p_value.toExponential(0) : c.p_value.toFixed(3)}${c.p_value < SIGNIFICANCE ? '*' : ''}`;
  return `${signed(c.tau_b)}${p}`;
}

/** The ranking table: one row per identifier as read (global, a task, a pair, averaged), one column per test-time result. */
function rankingResultTable(ranking: RankingTable, at: At): ResultTable {
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
      `[task]: the identifier of that task (against its own task's result); [mean of tasks] / [all pairs]: averaged, against Delta m.` +
      (na.size > 0 ? `\nn/a: ${[...na.entries()].map(([l, r]) => `${l}: ${r}`).join('; ')}` : ''),
  };
}

/** The tables as sections of the HTML report. */
export function reportTables(t: ResultTables): ReportTable[] {
  const out: ReportTable[] = [{ id: 'results', title: 'Held-out results and Delta m', note: t.results.note, columns: t.results.header, rows: t.results.rows }];
  if (t.ranking) out.push({ id: 'ranking', title: 'Ranking Similarity (tau-b, p-value)', note: t.ranking.note, columns: t.ranking.header, rows: t.ranking.rows });
  return out;
}
