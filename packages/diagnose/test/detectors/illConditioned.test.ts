import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/index.js';
import { syntheticRun } from '../../../../test/support/syntheticRun.js';

const ill = (rows: ReturnType<typeof syntheticRun>, options = {}) => diagnose(rows, options).filter((f) => f.kind === 'ill_conditioned');

describe('ill-conditioned task gradients', () => {
  it('flags grad_cond above condMax over consecutive captures', () => {
    // depth and normal nearly collinear from capture 6 (a valid Gram: seg sees both alike): cond ~450
    const collinear = (s: { cos: Record<string, number> }, k: number) => {
      if (k < 6) return;
      s.cos['depth|normal'] = 0.99999;
      s.cos['seg|normal'] = s.cos['seg|depth']!;
    };
    const rows = syntheticRun({ edit: collinear });
    const found = ill(rows);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ severity: 'warning', tasks: [], steps: { from: 600, to: 1000 }, chart: 'pairwise' });
    expect(found[0]!.evidence.every((e) => e.metric === 'grad_cond' && (e.value as number) > 100)).toBe(true);
  });

  it('reads a null cond as infinite when no task is dead', () => {
    const rows = syntheticRun({ edit: (s, k) => void (k >= 7 && (s.cond = null)) });
    const found = ill(rows);
    expect(found).toMatchObject([{ steps: { from: 700, to: 1000 } }]);
    expect(found[0]!.evidence).toContainEqual({ metric: 'grad_cond', step: 700, value: null });
    expect(found[0]!.message).toContain('infinite');
  });

  it('respects condMax and illConditionedMinCaptures', () => {
    const rows = syntheticRun({ edit: (s, k) => void (k >= 8 && (s.cond = 500)) });
    expect(ill(rows)).toHaveLength(1);
    expect(ill(rows, { condMax: 1000 })).toEqual([]);
    expect(ill(rows, { illConditionedMinCaptures: 4 })).toEqual([]);
  });

  it('checks param_cond separately', () => {
    const rows = syntheticRun({ param: true, edit: (s, k) => void (k >= 8 && (s.cond = 500)) });
    expect(ill(rows).map((f) => f.evidence[0]!.metric)).toEqual(['grad_cond', 'param_cond']);
  });
});
