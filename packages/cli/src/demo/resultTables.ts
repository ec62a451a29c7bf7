import type { At, RankingTable } from '@mtl-fd/metrics';
import type { ReportTable } from '@mtl-fd/plots';
import { rankingResultTable } from '../rank/reportTable.js';
import { TASKS } from './data.js';
import { TEST_METRIC } from './evaluate.js';
import type { RunSummary } from './runSummary.js';
import { num, signed } from './format.js';

export type { ResultTable } from '../rank/reportTable.js';
import type { ResultTable } from '../rank/reportTable.js';

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

/** The tables as sections of the HTML report. */
export function reportTables(t: ResultTables): ReportTable[] {
  const out: ReportTable[] = [{ id: 'results', title: 'Held-out results and Delta m', note: t.results.note, columns: t.results.header, rows: t.results.rows }];
  if (t.ranking) out.push({ id: 'ranking', title: 'Ranking Similarity (tau-b, p-value)', note: t.ranking.note, columns: t.ranking.header, rows: t.ranking.rows });
  return out;
}
