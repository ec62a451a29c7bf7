import { describe, expect, it } from 'vitest';
import { diagnose, findingsExitCode } from '../../src/index.js';
import { syntheticRun } from '../../../../test/support/syntheticRun.js';

const spikes = (rows: ReturnType<typeof syntheticRun>, options = {}) => diagnose(rows, options).filter((f) => f.kind === 'conflict_spike');

describe('conflict spike', () => {
  it('flags a jump of grad_conflict_frac as info, naming the pairs that turned negative', () => {
    const rows = syntheticRun({
      edit: (s, k) => {
        if (k === 6) {
          s.cos['seg|depth'] = -0.2;
          s.cos['seg|normal'] = -0.1;
          s.cos['depth|normal'] = -0.1;
        }
      },
    });
    const found = spikes(rows);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ severity: 'info', steps: { from: 600, to: 600 }, tasks: ['seg', 'depth', 'normal'], chart: 'fd-trajectory' });
    expect(found[0]!.evidence.filter((e) => e.metric === 'grad_conflict_frac').map((e) => e.step)).toEqual([300, 400, 500, 600]);
    expect(found[0]!.message).toContain('seg/depth');
    // one capture of conflict is not a lasting conflict, and info alone does not fail a gate
    expect(diagnose(rows).map((f) => f.kind)).toEqual(['conflict_spike']);
    expect(findingsExitCode(diagnose(rows))).toBe(0);
  });

  it('does not flag a rise smaller than conflictSpikeJump', () => {
    const rows = syntheticRun({ edit: (s, k) => void (k === 6 && (s.cos['seg|depth'] = -0.2)) });
    expect(spikes(rows)).toEqual([]);
    expect(spikes(rows, { conflictSpikeJump: 0.3 })).toHaveLength(1);
  });

  it('does not flag a run that always has the same conflicts', () => {
    const rows = syntheticRun({ edit: (s) => Object.keys(s.cos).forEach((p) => (s.cos[p] = -0.2)) });
    expect(rows.filter((r) => r.metric === 'grad_conflict_frac').every((r) => r.value === 1)).toBe(true);
    expect(spikes(rows, { conflictSpikeJump: 0.1 })).toEqual([]);
  });
});
