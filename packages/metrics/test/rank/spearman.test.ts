import { describe, expect, it } from 'vitest';
import { averageRanks } from '../../src/rank/ranks.js';
import { spearmanRho } from '../../src/rank/spearman.js';
import { rng } from '../fd/random.js';
import '../../../../test/support/tolerance.js';

/** Average ranks by counting, and Pearson's r written out. */
function bruteRho(x: number[], y: number[]): number {
  const rank = (v: number[]) => v.map((a) => v.filter((b) => b < a).length + (v.filter((b) => b === a).length + 1) / 2);
  const rx = rank(x);
  const ry = rank(y);
  const mx = rx.reduce((s, v) => s + v, 0) / rx.length;
  const my = ry.reduce((s, v) => s + v, 0) / ry.length;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  rx.forEach((_, i) => {
    sxy += (rx[i]! - mx) * (ry[i]! - my);
    sxx += (rx[i]! - mx) ** 2;
    syy += (ry[i]! - my) ** 2;
  });
  return sxy / Math.sqrt(sxx * syy);
}

describe("Spearman's rho", () => {
  it('gives 0.8 on the worked check', () => {
    expect(spearmanRho([1, 2, 3, 4, 5], [2, 1, 4, 3, 5])).toBeRelClose(0.8, 1e-15);
  });

  it('uses average ranks for ties', () => {
    expect(averageRanks([10, 20, 20, 5, 20])).toEqual([2, 4, 4, 1, 4]);
  });

  it('matches brute force on random data with ties', () => {
    const rand = rng(21);
    for (let rep = 0; rep < 300; rep++) {
      const n = 2 + Math.floor(rand() * 25);
      const levels = 1 + Math.floor(rand() * 5);
      const x = Array.from({ length: n }, () => Math.floor(rand() * levels));
      const y = Array.from({ length: n }, () => Math.floor(rand() * (levels + 2)));
      const brute = bruteRho(x, y);
      const got = spearmanRho(x, y);
      if (Number.isNaN(brute)) expect(got).toBeNaN();
      else expect(got).toBeRelClose(brute, 1e-12, 1e-15);
    }
  });

  it('is NaN for a constant side', () => {
    expect(spearmanRho([2, 2, 2], [1, 2, 3])).toBeNaN();
  });
});
