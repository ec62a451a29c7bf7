import { describe, expect, it } from 'vitest';
import { acrossSeeds } from '../../src/rank/acrossSeeds.js';
import { MEAN_OF_TASKS } from '../../src/rank/identifierVariants.js';
import type { PerfMetric } from '../../src/rank/perf.js';
import type { RankCell } from '../../src/rank/rankCell.js';
import { rankingTable } from '../../src/rank/rankingTable.js';
import { SeededRandom } from '../../src/random/seededRandom.js';
import type { TidyRow } from '../../src/table/types.js';

function cell(identifier: string, perf: string, tau: number | null, p: number | null = null, na: string | null = null): RankCell {
  return {
    identifier,
    task: null,
    task_b: null,
    at: 'mean',
    perf_metric: perf,
    perf_direction: 'higher-better',
    direction: 'higher-better',
    n_runs: 5,
    tau_b: na === null ? tau : null,
    rho: na === null && tau !== null ? tau / 2 : null,
    p_value: na === null ? p : null,
    p_method: na === null && p !== null ? 'exact' : null,
    ci_low: null,
    ci_high: null,
    na_reason: na,
  };
}

describe('acrossSeeds', () => {
  const tables = [
    { seed: 1, cells: [cell('fd', 'acc', 0.6, 0.04), cell('grad_cos_mean', 'acc', 0.2, 0.3), cell('fd', 'err', -0.2, 0.7), cell('grad_cos_mean', 'err', 0.4, 0.2)] },
    { seed: 2, cells: [cell('fd', 'acc', 0.2, 0.3), cell('grad_cos_mean', 'acc', 0.2, 0.3), cell('fd', 'err', null, null, 'the identifier is the same for every run (1)'), cell('grad_cos_mean', 'err', 0.0, 0.5)] },
    { seed: 3, cells: [cell('fd', 'acc', 1, 0.008), cell('grad_cos_mean', 'acc', -0.4, 0.9), cell('fd', 'err', 0.6, 0.04), cell('grad_cos_mean', 'err', 0.8, 0.01)] },
  ];
  const s = acrossSeeds(tables);
  const get = (id: string, perf: string) => s.cells.find((c) => c.identifier === id && c.perf_metric === perf)!;

  it('gives mean, sample sd, min and max of tau-b, rho and p over the seeds', () => {
    expect(s.seeds).toEqual([1, 2, 3]);
    const fd = get('fd', 'acc');
    expect(fd.n_seeds).toBe(3);
    expect(fd.n_computed).toBe(3);
    expect(fd.tau_b!.mean).toBeCloseTo(0.6, 12);
    // sample sd of 0.6, 0.2, 1: deviations 0, -0.4, 0.4 -> sqrt(0.32 / 2) = 0.4
    expect(fd.tau_b!.sd).toBeCloseTo(0.4, 12);
    expect([fd.tau_b!.min, fd.tau_b!.max]).toEqual([0.2, 1]);
    expect(fd.rho!.mean).toBeCloseTo(0.3, 12);
    expect(fd.p_value!.max).toBe(0.3);
    expect(fd.tau_b_by_seed).toEqual([0.6, 0.2, 1]);
    expect(fd.n_runs).toEqual([5, 5, 5]);
  });

  it('counts the seeds with p < alpha (strictly below)', () => {
    expect(get('fd', 'acc').p_below).toBe(2);
    expect(get('grad_cos_mean', 'acc').p_below).toBe(0);
    expect(acrossSeeds(tables, 0.3).cells.find((c) => c.identifier === 'fd' && c.perf_metric === 'acc')!.p_below).toBe(2);
    expect(acrossSeeds(tables, 0.31).cells.find((c) => c.identifier === 'fd' && c.perf_metric === 'acc')!.p_below).toBe(3);
  });

  it('leaves a seed where the cell is n/a out of its statistics, and says so in n_computed', () => {
    const c = get('fd', 'err');
    expect(c.n_computed).toBe(2);
    expect(c.tau_b!.mean).toBeCloseTo(0.2, 12);
    expect(c.tau_b_by_seed).toEqual([-0.2, null, 0.6]);
    expect(c.na_reason).toBeNull();
  });

  it('counts how often each identifier ranks first in its column, tied bests each counted', () => {
    // acc: seed 1 fd, seed 2 tie (both 0.2), seed 3 fd
    expect(get('fd', 'acc').ranked_first).toBe(3);
    expect(get('grad_cos_mean', 'acc').ranked_first).toBe(1);
    // err: seed 1 grad (0.4 > -0.2), seed 2 grad (fd n/a), seed 3 grad (0.8 > 0.6)
    expect(get('fd', 'err').ranked_first).toBe(0);
    expect(get('grad_cos_mean', 'err').ranked_first).toBe(3);
    expect(s.columns).toEqual([
      { perf_metric: 'acc', at: 'mean', first: [{ identifier: 'fd', task: null, task_b: null, seeds: 3 }, { identifier: 'grad_cos_mean', task: null, task_b: null, seeds: 1 }] },
      { perf_metric: 'err', at: 'mean', first: [{ identifier: 'grad_cos_mean', task: null, task_b: null, seeds: 3 }] },
    ]);
  });

  it('has no sd with one seed', () => {
    const one = acrossSeeds([tables[0]!]);
    expect(one.cells[0]!.tau_b).toEqual({ mean: 0.6, sd: null, min: 0.6, max: 0.6 });
  });

  it('refuses a table that lists a cell twice', () => {
    expect(() => acrossSeeds([{ seed: 4, cells: [cell('fd', 'acc', 0.2), cell('fd', 'acc', 0.4)] }])).toThrow(/seed 4: the table lists cell fd/);
  });

  it('keeps cells constant by construction n/a in every seed, with the rule as the reason (rel_rate over tasks)', () => {
    const runs = ['r0', 'r1', 'r2', 'r3', 'r4'];
    const perf: PerfMetric[] = [{ metric: 'delta', direction: 'higher-better', values: new Map(runs.map((r, i) => [r, [-2, 1, 0, -1, 3][i]!])) }];
    const seedTables = [11, 12, 13].map((seed) => {
      const rng = new SeededRandom(seed);
      const rows: TidyRow[] = [];
      for (const run of runs) {
        const a = 0.5 + rng.next();
        const b = 0.5 + rng.next();
        // each task's loss over the mean of the two: the mean over the tasks is 1 up to rounding
        rows.push({ run, step: 0, metric: 'rel_rate', task: 'x', task_b: '', value: a / ((a + b) / 2) });
        rows.push({ run, step: 0, metric: 'rel_rate', task: 'y', task_b: '', value: b / ((a + b) / 2) });
        rows.push({ run, step: 0, metric: 'fd', task: '', task_b: '', value: rng.next() });
      }
      return { seed, cells: rankingTable(rows, perf, { at: ['mean'], bootstrap: { resamples: 50 } }).cells };
    });
    const t = acrossSeeds(seedTables);
    const rel = t.cells.find((c) => c.identifier === 'rel_rate' && c.task === MEAN_OF_TASKS)!;
    expect(rel.n_computed).toBe(0);
    expect(rel.tau_b).toBeNull();
    expect(rel.ranked_first).toBe(0);
    expect(rel.tau_b_by_seed).toEqual([null, null, null]);
    expect(rel.na_reason).toMatch(/rel_rate averaged over the tasks is 1 for every run by construction/);
    const fd = t.cells.find((c) => c.identifier === 'fd')!;
    expect(fd.n_computed).toBe(3);
    expect(fd.ranked_first).toBe(3);
    expect(fd.tau_b_by_seed).toEqual(seedTables.map((st) => st.cells.find((c) => c.identifier === 'fd')!.tau_b));
  });
});
