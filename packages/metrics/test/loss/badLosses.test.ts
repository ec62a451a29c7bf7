import { describe, expect, it } from 'vitest';
import { badLossWarnings } from '../../src/loss/badLosses.js';
import { lossIdentifiers } from '../../src/loss/identifiers.js';
import { runLevelRows } from '../../src/score/runLevelRows.js';

describe('losses that are NaN, zero or negative', () => {
  it('keep loss_share in [0, 1]: null at a capture with a negative or non-finite loss', () => {
    // Before: [-1, 2] gave shares -1 and 2 (the sum is 1), outside [0, 1] with no warning.
    const li = lossIdentifiers([
      [1, 2],
      [-1, 2],
      [0, 2],
      [NaN, 2],
      [0, 0],
    ]);
    expect(li.loss_share[0]).toEqual([1 / 3, 2 / 3]);
    expect(li.loss_share[1]).toEqual([NaN, NaN]);
    expect(li.loss_share[2]).toEqual([0, 1]);
    expect(li.loss_share[3]).toEqual([NaN, NaN]);
    expect(li.loss_share[4]).toEqual([NaN, NaN]);
    for (const row of li.loss_share) for (const v of row) expect(Number.isNaN(v) || (v >= 0 && v <= 1)).toBe(true);
  });

  it('warn once per run and task, naming each kind with its count and first step', () => {
    const w = badLossWarnings('r', [
      { task: 'seg', step: 0, value: 1 },
      { task: 'seg', step: 100, value: null },
      { task: 'seg', step: 200, value: -0.5 },
      { task: 'seg', step: 300, value: -2 },
      { task: 'depth', step: 0, value: 0 },
      { task: 'depth', step: 100, value: 1 },
    ]);
    expect(w).toEqual([
      "run 'r': task 'seg' has a probe loss that is NaN or infinite at 1 capture (step 100) and negative at 2 captures (first at step 200); the loss identifiers assume finite, positive losses (loss_share is null at a capture with a negative or non-finite loss, and loss_ratio, rel_rate and dwa there are not training rates)",
      "run 'r': task 'depth' has a probe loss that is zero at 1 capture (step 0); the loss identifiers assume finite, positive losses (loss_share is null at a capture with a negative or non-finite loss, and loss_ratio, rel_rate and dwa there are not training rates)",
    ]);
    expect(badLossWarnings('r', [{ task: 'seg', step: 0, value: 0.1 }])).toEqual([]);
  });

  it('come with the run-level rows of a sweep, once per task however many captures', () => {
    const capture = (step: number, seg: number) => ({ file: `c${step}`, run: 'r', step, tasks: ['seg', 'depth'], losses: { seg, depth: 1 } });
    const { rows, warnings } = runLevelRows([capture(0, 1), capture(1, -1), capture(2, -3), capture(3, NaN)]);
    expect(warnings.filter((w) => w.includes("task 'seg'"))).toHaveLength(1);
    expect(warnings.some((w) => w.includes("task 'depth'"))).toBe(false);
    for (const r of rows.filter((r) => r.metric === 'loss_share')) {
      expect(r.value === null || (r.value >= 0 && r.value <= 1)).toBe(true);
    }
  });
});
