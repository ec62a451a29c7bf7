import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/index.js';
import { syntheticRun } from '../../../../test/support/syntheticRun.js';

const conflicts = (rows: ReturnType<typeof syntheticRun>, options = {}) => diagnose(rows, options).filter((f) => f.kind === 'gradient_conflict');

describe('gradient conflict', () => {
  it('flags a pair whose cosine stays negative over consecutive captures', () => {
    const rows = syntheticRun({ edit: (s, k) => void (k >= 3 && k <= 6 && (s.cos['seg|normal'] = -0.3 - 0.05 * k)) });
    const found = conflicts(rows);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ severity: 'warning', tasks: ['seg', 'normal'], steps: { from: 300, to: 600 }, chart: 'pairwise' });
    expect(found[0]!.evidence.map((e) => e.step)).toEqual([300, 600]);
    expect(found[0]!.evidence[1]).toEqual({ metric: 'grad_cos', task: 'seg', task_b: 'normal', step: 600, value: expect.closeTo(-0.6, 12) });
    expect(found[0]!.message).toContain('-0.6');
  });

  it('splits separate episodes and ignores one shorter than conflictMinCaptures', () => {
    const neg = new Set([1, 2, 3, 5, 6, 8, 9, 10]);
    const rows = syntheticRun({ edit: (s, k) => void (neg.has(k) && (s.cos['seg|depth'] = -0.4)) });
    expect(conflicts(rows).map((f) => f.steps)).toEqual([
      { from: 100, to: 300 },
      { from: 800, to: 1000 },
    ]);
    expect(conflicts(rows, { conflictMinCaptures: 2 })).toHaveLength(3);
  });

  it('treats cosines just below zero as noise unless conflictCos says otherwise', () => {
    const rows = syntheticRun({ edit: (s) => void (s.cos['depth|normal'] = -0.02) });
    expect(conflicts(rows)).toEqual([]);
    expect(conflicts(rows, { conflictCos: 0 })).toMatchObject([{ tasks: ['depth', 'normal'], steps: { from: 0, to: 1000 } }]);
  });

  it('checks param_cos too, and says which level conflicts', () => {
    const rows = syntheticRun({ param: true, edit: (s, k) => void (k >= 5 && (s.cos['seg|depth'] = -0.5)) }).filter((r) => r.metric !== 'grad_cos');
    const found = conflicts(rows);
    expect(found).toHaveLength(1);
    expect(found[0]!.evidence[0]!.metric).toBe('param_cos');
    expect(found[0]!.message).toContain('shared-parameter gradients');
  });
});
