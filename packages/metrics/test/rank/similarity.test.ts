import { describe, expect, it } from 'vitest';
import type { TidyRow } from '../../src/table/types.js';
import { identifierSeries, parseAt, valueAt } from '../../src/rank/at.js';
import { declaredDirection, orient, parseDirection } from '../../src/rank/directions.js';
import { rankingSimilarity } from '../../src/rank/similarity.js';
import '../../../../test/support/tolerance.js';

describe('Ranking Similarity (docs/metrics.md §7)', () => {
  it('declares the spec directions and none for other metrics', () => {
    for (const m of ['fd', 'fd_mass', 'fd_task', 'grad_cos_mean', 'grad_gms', 'grad_norm_share']) expect(declaredDirection(m)).toBe('higher-better');
    for (const m of ['grad_conflict_frac', 'grad_cond', 'loss_ratio', 'rel_rate']) expect(declaredDirection(m)).toBe('lower-better');
    expect(declaredDirection('grad_norm')).toBeUndefined();
    expect(declaredDirection('constructor')).toBeUndefined();
  });

  it('accepts both direction spellings', () => {
    expect(parseDirection('higher')).toBe('higher-better');
    expect(parseDirection('Lower-is-better')).toBe('lower-better');
    expect(parseDirection('higher-better')).toBe('higher-better');
    expect(() => parseDirection('up')).toThrow(/higher or lower/);
  });

  it('orients both sides so that larger = better, keeping the sign of the result meaningful', () => {
    const x = [1, 2, 3, 4, 5];
    const y = [2, 1, 4, 3, 5];
    const same = rankingSimilarity(x, y, { identifier: 'higher-better', performance: 'higher-better' });
    expect(same).toEqual({ n_runs: 5, tau_b: expect.any(Number), rho: expect.any(Number) });
    expect(same.tau_b).toBeRelClose(0.6, 1e-15);
    expect(same.rho).toBeRelClose(0.8, 1e-15);
    // a lower-is-better test metric (error) ordered like x is the opposite prediction
    const err = rankingSimilarity(x, y, { identifier: 'higher-better', performance: 'lower-better' });
    expect(err.tau_b).toBeRelClose(-0.6, 1e-15);
    // both flipped: agreement again
    const both = rankingSimilarity(x, y, { identifier: 'lower-better', performance: 'lower-better' });
    expect(both.tau_b).toBeRelClose(0.6, 1e-15);
    expect(orient([1, -2], 'lower-better')).toEqual([-1, 2]);
  });

  it('leaves out runs with a missing value and says how many remain', () => {
    const r = rankingSimilarity([1, null, 3, 4], [1, 2, NaN, 4], { identifier: 'higher-better', performance: 'higher-better' });
    expect(r.n_runs).toBe(2);
    expect(r.tau_b).toBe(1);
  });

  it('takes a run value at final, mean, or the nearest step', () => {
    const rows: TidyRow[] = [
      { run: 'a', step: 200, metric: 'fd', task: '', task_b: '', value: 0.3 },
      { run: 'a', step: 0, metric: 'fd', task: '', task_b: '', value: 0.1 },
      { run: 'a', step: 100, metric: 'fd', task: '', task_b: '', value: null },
      { run: 'a', step: 100, metric: 'fd_task', task: 'x', task_b: '', value: 9 },
    ];
    const s = identifierSeries(rows, { metric: 'fd' }).get('a')!;
    expect(s.map((p) => p.step)).toEqual([0, 100, 200]);
    expect(valueAt(s, 'final')).toBe(0.3);
    expect(valueAt(s, 'mean')).toBeRelClose(0.2, 1e-15);
    expect(valueAt(s, 120)).toBeNull();
    expect(valueAt(s, 150)).toBeNull(); // tie between 100 and 200: the earlier
    expect(valueAt(s, 151)).toBe(0.3);
    expect(identifierSeries(rows, { metric: 'fd_task', task: 'x' }).get('a')).toEqual([{ step: 100, value: 9 }]);
    expect(parseAt('final')).toBe('final');
    expect(parseAt('1200')).toBe(1200);
    expect(parseAt('-3')).toBeUndefined();
  });
});
