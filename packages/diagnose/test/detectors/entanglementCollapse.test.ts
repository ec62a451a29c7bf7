import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/index.js';
import { syntheticRun } from '../../../../test/support/syntheticRun.js';

const collapse = (rows: ReturnType<typeof syntheticRun>, options = {}) => diagnose(rows, options).filter((f) => f.kind === 'entanglement_collapse');

describe('entanglement collapse', () => {
  it('flags FD falling towards 0 from its peak and staying there', () => {
    const fd = [0.3, 0.35, 0.4, 0.38, 0.3, 0.2, 0.12, 0.06, 0.03, 0.02, 0.02];
    const found = collapse(syntheticRun({ edit: (s, k) => void (s.fd = fd[k]!) }));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ severity: 'warning', tasks: [], steps: { from: 200, to: 1000 }, chart: 'fd-trajectory' });
    expect(found[0]!.evidence).toEqual([
      { metric: 'fd', step: 200, value: 0.4 },
      { metric: 'fd', step: 700, value: 0.06 },
      { metric: 'fd', step: 1000, value: 0.02 },
    ]);
  });

  it('does not flag FD that was always low, or that recovers', () => {
    expect(collapse(syntheticRun({ edit: (s) => void (s.fd = 0.02) }))).toEqual([]);
    const dip = [0.4, 0.4, 0.05, 0.04, 0.3, 0.35, 0.38, 0.4, 0.41, 0.4, 0.4];
    expect(collapse(syntheticRun({ edit: (s, k) => void (s.fd = dip[k]!) }))).toEqual([]);
  });

  it('needs collapseMinCaptures low captures at the end', () => {
    const fd = [0.4, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4, 0.02];
    expect(collapse(syntheticRun({ edit: (s, k) => void (s.fd = fd[k]!) }))).toEqual([]);
    expect(collapse(syntheticRun({ edit: (s, k) => void (s.fd = fd[k]!) }), { collapseMinCaptures: 1 })).toHaveLength(1);
  });
});
