import { describe, expect, it } from 'vitest';
import { UserError } from '@mtl-fd/capture';
import { fromPerfCSV, type PerfMetric } from '../../src/rank/perf.js';
import { perfMetricTask } from '../../src/rank/perfTask.js';
import { rankingTable } from '../../src/rank/rankingTable.js';
import { SeededRandom } from '../../src/random/seededRandom.js';
import type { TidyRow } from '../../src/table/types.js';
import { pValueByEnumeration, tauBByPairs } from './bruteForce.js';

const RUNS = ['r0', 'r1', 'r2', 'r3', 'r4'];
const STEPS = [0, 10];
const rng = new SeededRandom(21);
const draw = () => RUNS.map(() => STEPS.map(() => Math.round(rng.next() * 8) / 8)); // eighths: ties happen

// identifier values [run][step]
const fd = draw();
const fdA = draw();
const fdB = draw();
const gms = draw();
const lossA = draw();
const lossB = draw();
// rel_rate as defined: each task's value over the mean of the tasks (its mean over tasks is 1 +- rounding)
const relA = lossA.map((s, r) => s.map((v, k) => v / ((v + lossB[r]![k]!) / 2)));
const relB = lossB.map((s, r) => s.map((v, k) => v / ((lossA[r]![k]! + v) / 2)));

function rowsOf(): TidyRow[] {
  const rows: TidyRow[] = [];
  const put = (metric: string, task: string, taskB: string, v: number[][]) =>
    RUNS.forEach((run, r) => STEPS.forEach((step, k) => rows.push({ run, step, metric, task, task_b: taskB, value: v[r]![k]! })));
  put('fd', '', '', fd);
  put('fd_task', 'a', '', fdA);
  put('fd_task', 'b', '', fdB);
  put('grad_norm', 'a', '', draw()); // declares no direction: not in the table
  put('grad_gms', 'a', 'b', gms);
  put('grad_conflict_frac', '', '', RUNS.map(() => [0.25, 0.25]));
  put('rel_rate', 'a', '', relA);
  put('rel_rate', 'b', '', relB);
  return rows;
}

const perf: PerfMetric[] = [
  { metric: 'a_acc', direction: 'higher-better', values: new Map(RUNS.map((r, i) => [r, [0.5, 0.7, 0.6, 0.7, 0.9][i]!])) },
  { metric: 'b_err', direction: 'lower-better', values: new Map(RUNS.map((r, i) => [r, [3, 1, 2, 5, 4][i]!])) },
  { metric: 'delta', direction: 'higher-better', values: new Map(RUNS.map((r, i) => [r, [-2, 1, 0, -1, 3][i]!])) },
];

const at = (v: number[], when: 'final' | 'mean') => (when === 'final' ? v[v.length - 1]! : v.reduce((a, b) => a + b, 0) / v.length);
const perRun = (v: number[][], when: 'final' | 'mean') => v.map((s) => at(s, when));
const meanOf = (a: number[], b: number[]) => a.map((v, i) => (v + b[i]!) / 2);

/** Plain Spearman rho: Pearson of average ranks, ranks counted pair by pair. */
function rhoByRanks(x: number[], y: number[]): number {
  const ranks = (v: number[]) => v.map((a) => 1 + v.filter((b) => b < a).length + (v.filter((b) => b === a).length - 1) / 2);
  const rx = ranks(x);
  const ry = ranks(y);
  const m = (x.length + 1) / 2;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (rx[i]! - m) * (ry[i]! - m);
    sxx += (rx[i]! - m) ** 2;
    syy += (ry[i]! - m) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

describe('rankingTable', () => {
  const table = rankingTable(rowsOf(), perf, { runs: RUNS, bootstrap: { resamples: 300 } });

  it('has every identifier variant against the metrics it is meant for, at final and mean', () => {
    const key = (c: { identifier: string; task: string | null; task_b: string | null; perf_metric: string }) =>
      `${c.identifier}|${c.task ?? ''}|${c.task_b ?? ''}|${c.perf_metric}`;
    const expected = [
      'fd|||a_acc', 'fd|||b_err', 'fd|||delta',
      'fd_task|a||a_acc', 'fd_task|b||b_err', 'fd_task|mean of tasks||delta',
      'grad_gms|a|b|a_acc', 'grad_gms|a|b|b_err', 'grad_gms|all pairs||delta',
      'grad_conflict_frac|||a_acc', 'grad_conflict_frac|||b_err', 'grad_conflict_frac|||delta',
      'rel_rate|a||a_acc', 'rel_rate|b||b_err', 'rel_rate|mean of tasks||delta',
    ];
    expect([...new Set(table.cells.map(key))]).toEqual(expected);
    for (const when of ['final', 'mean'] as const) expect(table.cells.filter((c) => c.at === when).map(key)).toEqual(expected);
    expect(table.settings.perf_tasks).toEqual({ a_acc: 'a', b_err: 'b', delta: null });
  });

  it('agrees with a brute-force reference over every ordering', () => {
    const source: Record<string, (w: 'final' | 'mean') => number[]> = {
      'fd|': (w) => perRun(fd, w),
      'fd_task|a': (w) => perRun(fdA, w),
      'fd_task|b': (w) => perRun(fdB, w),
      'fd_task|mean of tasks': (w) => meanOf(perRun(fdA, w), perRun(fdB, w)),
      'grad_gms|a': (w) => perRun(gms, w),
      'grad_gms|all pairs': (w) => perRun(gms, w),
      'rel_rate|a': (w) => perRun(relA, w),
      'rel_rate|b': (w) => perRun(relB, w),
    };
    let checked = 0;
    for (const c of table.cells) {
      if (c.na_reason !== null) continue;
      const x0 = source[`${c.identifier}|${c.task ?? ''}`]!(c.at as 'final' | 'mean');
      const x = c.direction === 'lower-better' ? x0.map((v) => -v) : x0;
      const y0 = RUNS.map((r) => perf.find((p) => p.metric === c.perf_metric)!.values.get(r)!);
      const y = c.perf_direction === 'lower-better' ? y0.map((v) => -v) : y0;
      const what = `${c.identifier} ${c.task} ${c.perf_metric} ${c.at}`;
      expect(c.n_runs).toBe(5);
      expect(c.tau_b, what).toBeCloseTo(tauBByPairs(x, y), 12);
      expect(c.rho, what).toBeCloseTo(rhoByRanks(x, y), 12);
      expect(c.p_method).toBe('exact');
      expect(c.p_value, what).toBeCloseTo(pValueByEnumeration(x, y), 12);
      expect(c.ci_low).not.toBeNull();
      expect(c.ci_low!).toBeLessThanOrEqual(c.ci_high!);
      checked++;
    }
    expect(checked).toBe(2 * 11);
  });

  it('marks cells n/a by rule, with the reason, whatever the rounding', () => {
    const na = table.cells.filter((c) => c.na_reason !== null);
    expect(na.map((c) => `${c.identifier}|${c.task ?? ''}`).sort()).toEqual([
      ...Array(6).fill('grad_conflict_frac|'),
      ...Array(2).fill('rel_rate|mean of tasks'),
    ]);
    for (const c of na) expect(c).toMatchObject({ tau_b: null, rho: null, p_value: null, p_method: null, ci_low: null, ci_high: null });
    expect(na.find((c) => c.identifier === 'rel_rate')!.na_reason).toMatch(/rel_rate averaged over the tasks is 1 for every run by construction/);
    expect(na.find((c) => c.identifier === 'grad_conflict_frac')!.na_reason).toBe('the identifier is the same for every run (0.25)');
  });

  it('treats values equal up to rounding as the same, and a constant test result as n/a', () => {
    const rows: TidyRow[] = RUNS.map((run, i) => ({ run, step: 0, metric: 'fd', task: '', task_b: '', value: 1 + (i - 2) * 2e-16 }));
    const t = rankingTable(rows, perf, { runs: RUNS, at: ['final'] });
    expect(t.cells.every((c) => c.na_reason?.startsWith('the identifier is the same for every run'))).toBe(true);
    const flat: PerfMetric = { metric: 'flat', direction: 'higher-better', values: new Map(RUNS.map((r) => [r, 0.5])) };
    const rows2: TidyRow[] = RUNS.map((run, i) => ({ run, step: 0, metric: 'fd', task: '', task_b: '', value: i / 10 }));
    expect(rankingTable(rows2, [flat], { runs: RUNS }).cells[0]!.na_reason).toBe('the test result is the same for every run (0.5)');
    const two = rankingTable(rows2, perf.slice(0, 1), { runs: ['r0'] }).cells[0]!;
    expect(two).toMatchObject({ n_runs: 1, tau_b: null, na_reason: 'only 1 run(s) have both an identifier value and a test result' });
  });

  it('gives an interval only from 5 runs, and the same table for the same seed', () => {
    const four = rankingTable(rowsOf(), perf, { runs: RUNS.slice(0, 4), at: ['mean'] });
    expect(four.cells.filter((c) => c.na_reason === null).every((c) => c.ci_low === null && c.ci_high === null && c.p_value !== null)).toBe(true);
    expect(rankingTable(rowsOf(), perf, { runs: RUNS, bootstrap: { resamples: 300 } })).toEqual(table);
    const other = rankingTable(rowsOf(), perf, { runs: RUNS, bootstrap: { resamples: 300 }, seed: 9 });
    expect(other.cells.map((c) => c.tau_b)).toEqual(table.cells.map((c) => c.tau_b));
    expect(other.cells.map((c) => c.ci_low)).not.toEqual(table.cells.map((c) => c.ci_low));
  });

  it('rejects a test metric of a task no run has', () => {
    const bad = fromPerfCSV('run,metric,value,direction,task\nr0,miou,1,higher,sg\nr1,miou,2,higher,sg\n', 'p.csv');
    expect(() => rankingTable(rowsOf(), bad)).toThrow(UserError);
    expect(() => rankingTable(rowsOf(), bad)).toThrow("test metric 'miou' is of task 'sg', which no run has (the runs' tasks: a, b)");
  });
});

describe('perfMetricTask', () => {
  const pm = (metric: string, task?: string): PerfMetric => ({ metric, direction: 'higher-better', values: new Map(), ...(task === undefined ? {} : { task }) });
  it('reads the task column, else the longest task prefixing the name', () => {
    expect(perfMetricTask(pm('seg_fine_miou'), ['seg', 'seg_fine'])).toBe('seg_fine');
    expect(perfMetricTask(pm('seg_miou'), ['seg', 'seg_fine'])).toBe('seg');
    expect(perfMetricTask(pm('segmiou'), ['seg'])).toBeNull();
    expect(perfMetricTask(pm('miou', 'seg'), ['seg'])).toBe('seg');
    expect(perfMetricTask(pm('seg_miou', ''), ['seg'])).toBeNull();
  });

  it('comes from the optional task column of the CSV, one task per metric', () => {
    const got = fromPerfCSV('run,metric,value,direction,task\nr0,miou,1,higher,seg\nr0,delta,2,higher,\n');
    expect(got.map((p) => [p.metric, p.task])).toEqual([['miou', 'seg'], ['delta', '']]);
    expect(() => fromPerfCSV('run,metric,value,direction,task\nr0,miou,1,higher,seg\nr1,miou,2,higher,depth\n', 'p.csv')).toThrow("p.csv: line 3: metric 'miou' is of task 'seg' above but 'depth' here");
  });
});
