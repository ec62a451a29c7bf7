import { describe, expect, it } from 'vitest';
import { dwaWeights, lossIdentifiers } from '../../src/loss/identifiers.js';
import '../../../../test/support/tolerance.js';

describe('loss identifiers (docs/metrics.md §6)', () => {
  const L = [
    [2, 1],
    [1, 0.8],
    [0.5, 0.6],
    [0.4, 0.3],
  ];
  const li = lossIdentifiers(L);

  it('loss_ratio, rel_rate and loss_share follow their formulas', () => {
    expect(li.loss_ratio).toBeRelClose([[1, 1], [0.5, 0.8], [0.25, 0.6], [0.2, 0.3]], 1e-15);
    expect(li.rel_rate[1]).toBeRelClose([0.5 / 0.65, 0.8 / 0.65], 1e-15);
    expect(li.rel_rate[0]).toBeRelClose([1, 1], 1e-15);
    expect(li.loss_share[2]).toBeRelClose([0.5 / 1.1, 0.6 / 1.1], 1e-15);
  });

  it('dwa starts at k = 2 and uses the two previous captures at temperature 2', () => {
    expect(li.dwa[0]).toEqual([NaN, NaN]);
    expect(li.dwa[1]).toEqual([NaN, NaN]);
    const w = [1 / 2, 0.8 / 1];
    const e = w.map((x) => Math.exp(x / 2));
    expect(li.dwa[2]).toBeRelClose(e.map((x) => (2 * x) / (e[0]! + e[1]!)), 1e-15);
    const w3 = [0.5 / 1, 0.6 / 0.8];
    const e3 = w3.map((x) => Math.exp(x / 2));
    expect(li.dwa[3]).toBeRelClose(e3.map((x) => (2 * x) / (e3[0]! + e3[1]!)), 1e-15);
    const sum = li.dwa[3]!.reduce((a, b) => a + b, 0);
    expect(sum).toBeRelClose(2, 1e-15);
  });

  it('is NaN where a loss is missing or the reference is zero, and stable for huge ratios', () => {
    const bad = lossIdentifiers([
      [0, 1],
      [1, NaN],
      [1, 1],
    ]);
    expect(bad.loss_ratio[1]![0]).toBeNaN();
    expect(bad.loss_ratio[1]![1]).toBeNaN();
    expect(bad.rel_rate[2]).toEqual([NaN, NaN]);
    expect(bad.loss_share[1]).toEqual([NaN, NaN]);
    expect(dwaWeights([1e6, 1], [1e-6, 1])).toBeRelClose([2, 0], 1e-12, 1e-300);
  });
});
