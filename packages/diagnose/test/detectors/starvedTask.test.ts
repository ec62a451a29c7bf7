import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/index.js';
import { syntheticRun } from '../../../../test/support/syntheticRun.js';

const starved = (rows: ReturnType<typeof syntheticRun>, options = {}) => diagnose(rows, options).filter((f) => f.kind === 'starved_task');

describe('starved / dominated task', () => {
  it('flags the tasks a 10x-weighted task starves, naming the dominant one', () => {
    const rows = syntheticRun({ edit: (s, k) => void (k >= 2 && (s.norms.seg = 0.15)) });
    const found = starved(rows);
    expect(found.map((f) => [f.tasks, f.steps, f.severity, f.chart])).toEqual([
      [['depth', 'seg'], { from: 200, to: 1000 }, 'warning', 'ownership'],
      [['normal', 'seg'], { from: 200, to: 1000 }, 'warning', 'ownership'],
    ]);
    expect(found[0]!.evidence.every((e) => e.metric === 'grad_norm_share')).toBe(true);
    expect(found[0]!.message).toMatch(/seg dominates/);
  });

  it('leaves a 3x imbalance alone', () => {
    expect(starved(syntheticRun({ edit: (s) => void (s.norms.seg = 0.03) }))).toEqual([]);
  });

  it('tells a x10 weighting from a healthy spread of shares by the ratio of the two tasks (starvedShareRatio)', () => {
    // the zoo's figures: x10 gives the light tasks ~0.10-0.17 against ~0.78; healthy runs go as low as 0.19 against 0.54
    const spread = (norms: Record<string, number>) => syntheticRun({ edit: (s) => void Object.assign(s.norms, norms) });
    const x10 = starved(spread({ seg: 0.78, depth: 0.1, normal: 0.12 }));
    expect(x10.map((f) => f.tasks)).toEqual([
      ['depth', 'seg'],
      ['normal', 'seg'],
    ]);
    expect(starved(spread({ seg: 0.54, depth: 0.19, normal: 0.27 }))).toEqual([]);
    // the same healthy spread is starved once the ratio is not asked for
    expect(starved(spread({ seg: 0.54, depth: 0.17, normal: 0.29 }), { starvedShareRatio: 1 }).map((f) => f.tasks)).toEqual([['depth', 'seg']]);
    expect(starved(spread({ seg: 0.54, depth: 0.17, normal: 0.29 }))).toEqual([]);
  });

  it('needs starvedMinCaptures consecutive captures', () => {
    const rows = syntheticRun({ edit: (s, k) => void (k >= 4 && k <= 5 && (s.norms.seg = 0.15)) });
    expect(starved(rows)).toEqual([]);
    expect(starved(rows, { starvedMinCaptures: 2 })).toHaveLength(2);
  });

  it('uses param_norm_share when the table has no feature-level share', () => {
    const rows = syntheticRun({ param: true, edit: (s) => void (s.norms.depth = 0.2) }).filter((r) => !r.metric.startsWith('grad_'));
    expect(starved(rows).map((f) => f.tasks)).toEqual([
      ['normal', 'depth'],
      ['seg', 'depth'],
    ]);
    expect(starved(rows)[0]!.evidence[0]!.metric).toBe('param_norm_share');
  });
});
