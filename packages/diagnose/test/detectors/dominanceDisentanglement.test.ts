import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/index.js';
import { syntheticRun } from '../../../../test/support/syntheticRun.js';

const dominance = (rows: ReturnType<typeof syntheticRun>, options = {}) =>
  diagnose(rows, options).filter((f) => f.kind === 'dominance_disentanglement');

// seg's gradient grows 1x -> 9x the others' over the run while FD climbs with it
const takeover = (s: { norms: Record<string, number>; fd: number }, k: number) => {
  s.norms.seg = 0.01 * (1 + 0.8 * k);
  s.fd = 0.25 + 0.04 * k;
};

describe('dominance-driven disentanglement', () => {
  it('flags FD rising together with one task\'s share', () => {
    const found = dominance(syntheticRun({ edit: takeover }));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ severity: 'warning', tasks: ['seg'], steps: { from: 0, to: 1000 }, chart: 'fd-trajectory' });
    const r = found[0]!.evidence.find((e) => e.metric === 'pearson_r(fd,grad_norm_share)')!;
    expect(r.value).toBeGreaterThan(0.8);
    expect(found[0]!.message).toMatch(/seg owns the shared features/);
  });

  it('leaves FD rising with balanced shares alone', () => {
    expect(dominance(syntheticRun({ edit: (s, k) => void (s.fd = 0.25 + 0.04 * k) }))).toEqual([]);
  });

  it('leaves a task whose share rises while FD falls alone', () => {
    const rows = syntheticRun({ edit: (s, k) => void ((s.norms.seg = 0.01 * (1 + 0.8 * k)), (s.fd = 0.65 - 0.04 * k)) });
    expect(dominance(rows)).toEqual([]);
  });

  it('leaves out captures where a task is dead (its death alone raises FD and the others\' shares)', () => {
    const rows = syntheticRun({ edit: (s, k) => void (k >= 3 && ((s.norms.depth = 0), (s.fd = 0.3 + 0.05 * k), (s.norms.seg = 0.03))) });
    expect(diagnose(rows).map((f) => f.kind)).toEqual(['dead_task']);
  });

  it('respects the rise thresholds', () => {
    expect(dominance(syntheticRun({ edit: takeover }), { dominanceFdRise: 0.5 })).toEqual([]);
    expect(dominance(syntheticRun({ edit: takeover }), { dominanceShareRise: 0.9 })).toEqual([]);
  });
});
