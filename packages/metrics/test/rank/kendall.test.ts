import { describe, expect, it } from 'vitest';
import { kendallTauB } from '../../src/rank/kendall.js';
import { rng } from '../fd/random.js';
import '../../../../test/support/tolerance.js';

/** Brute force over all pairs, straight from the definition of tau-b. */
function bruteTauB(x: number[], y: number[]): number {
  let c = 0;
  let d = 0;
  let tx = 0;
  let ty = 0;
  const n = x.length;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const sx = Math.sign(x[i]! - x[j]!);
      const sy = Math.sign(y[i]! - y[j]!);
      if (sx === 0 && sy === 0) continue;
      if (sx === 0) tx++;
      else if (sy === 0) ty++;
      else if (sx === sy) c++;
      else d++;
    }
  }
  return (c - d) / Math.sqrt((c + d + tx) * (c + d + ty));
}

describe("Kendall's tau-b", () => {
  it('gives 0.6 on the worked check', () => {
    expect(kendallTauB([1, 2, 3, 4, 5], [2, 1, 4, 3, 5])).toBeRelClose(0.6, 1e-15);
  });

  it('matches brute force on random data with many ties', () => {
    const rand = rng(12);
    for (let rep = 0; rep < 300; rep++) {
      const n = 2 + Math.floor(rand() * 30);
      const levels = 1 + Math.floor(rand() * 6);
      const x = Array.from({ length: n }, () => Math.floor(rand() * levels));
      const y = Array.from({ length: n }, () => (rand() < 0.5 ? Math.floor(rand() * levels) : rand()));
      const brute = bruteTauB(x, y);
      const got = kendallTauB(x, y);
      if (Number.isNaN(brute)) expect(got).toBeNaN();
      else expect(got).toBeRelClose(brute, 1e-12, 1e-15);
    }
  });

  it('is +1 / -1 for same / reversed order, NaN for a constant side or fewer than 2 values', () => {
    expect(kendallTauB([1, 2, 3], [10, 20, 30])).toBe(1);
    expect(kendallTauB([1, 2, 3], [3, 2, 1])).toBe(-1);
    expect(kendallTauB([1, 1, 1], [1, 2, 3])).toBeNaN();
    expect(kendallTauB([1], [1])).toBeNaN();
    expect(() => kendallTauB([1, 2], [1])).toThrow(RangeError);
  });
});
