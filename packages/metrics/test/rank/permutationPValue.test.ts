import { describe, expect, it } from 'vitest';
import { exactKendallPValue } from '../../src/rank/exactPermutation.js';
import { kendallPValue } from '../../src/rank/kendallPValue.js';
import { monteCarloKendallPValue } from '../../src/rank/monteCarloPermutation.js';
import { SeededRandom } from '../../src/random/seededRandom.js';
import { allOrderings, pValueByEnumeration } from './bruteForce.js';

describe('exact permutation p-value of tau-b', () => {
  it('is the share of orderings at least as concordant, counted by hand for n = 3', () => {
    // orderings of [1,2,3] against [1,2,3]: tau-b 1, 1/3, 1/3, -1/3, -1/3, -1
    expect(exactKendallPValue([1, 2, 3], [1, 2, 3])).toEqual({ p_value: 1 / 6, orderings: 6 });
    expect(exactKendallPValue([2, 1, 3], [1, 2, 3]).p_value).toBeCloseTo(3 / 6, 15);
    expect(exactKendallPValue([3, 2, 1], [1, 2, 3]).p_value).toBe(1);
  });

  it('agrees with plain enumeration of every ordering, ties on either side kept', () => {
    const cases: [number[], number[]][] = [
      [[1, 2], [1, 2]],
      [[1, 2, 3, 4, 5], [2, 1, 4, 3, 5]],
      [[1, 1, 2, 3], [1, 2, 3, 4]],
      [[1, 2, 3, 4, 5, 6], [3, 3, 1, 2, 6, 5]],
      [[0.5, 0.5, 0.5, 2, 2, 7], [1, 2, 2, 3, 4, 4]],
      [[4, 1, 3, 3, 2, 5, 0], [1, 1, 2, 3, 5, 8, 13]],
    ];
    const rng = new SeededRandom(11);
    for (let k = 0; k < 6; k++) {
      const n = 4 + (k % 4);
      // small integers: plenty of ties
      cases.push([Array.from({ length: n }, () => rng.int(4)), Array.from({ length: n }, () => rng.int(4))]);
    }
    for (const [x, y] of cases) {
      if (x.every((v) => v === x[0]) || y.every((v) => v === y[0])) continue;
      const got = exactKendallPValue(x, y);
      expect(got.orderings).toBe(allOrderings(x.length).length);
      expect(got.p_value, `${x} vs ${y}`).toBeCloseTo(pValueByEnumeration(x, y), 14);
    }
  });

  it('visits all 9! orderings in well under a second', () => {
    const x = [3, 1, 4, 1, 5, 9, 2, 6, 5];
    const y = [2, 7, 1, 8, 2, 8, 1, 8, 2];
    const t0 = performance.now();
    const got = exactKendallPValue(x, y);
    const ms = performance.now() - t0;
    expect(got.orderings).toBe(362_880);
    expect(ms).toBeLessThan(1000);
  });
});

describe('Monte Carlo permutation p-value of tau-b', () => {
  it('agrees with the exact value within 0.01 at n = 8 when forced', () => {
    const cases: [number[], number[]][] = [
      [[1, 2, 3, 4, 5, 6, 7, 8], [2, 1, 4, 3, 6, 5, 8, 7]],
      [[1, 1, 2, 2, 3, 4, 5, 6], [3, 1, 2, 5, 4, 4, 8, 7]],
      [[8, 7, 6, 5, 4, 3, 2, 1], [1, 2, 3, 5, 4, 6, 7, 8]],
    ];
    for (const [x, y] of cases) {
      const exact = kendallPValue(x, y, { method: 'exact' })!;
      const mc = kendallPValue(x, y, { method: 'monte-carlo', seed: 5 })!;
      expect(exact.method).toBe('exact');
      expect(mc).toMatchObject({ method: 'monte-carlo', orderings: 100_000 });
      expect(Math.abs(mc.p_value - exact.p_value), `${x}`).toBeLessThan(0.01);
    }
  });

  it('is the same for the same seed, differs for another, and is never 0', () => {
    const x = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
    const y = [...x];
    const a = monteCarloKendallPValue(x, [5, 2, 8, 1, 9, 3, 11, 4, 7, 10, 6], 1, 2000);
    expect(a.p_value).toBeGreaterThan(0.05);
    expect(monteCarloKendallPValue(x, [5, 2, 8, 1, 9, 3, 11, 4, 7, 10, 6], 1, 2000)).toEqual(a);
    expect(monteCarloKendallPValue(x, [5, 2, 8, 1, 9, 3, 11, 4, 7, 10, 6], 2, 2000).p_value).not.toBe(a.p_value);
    // perfect agreement among 11! orderings: only the observed one counts, so (0 + 1) / (m + 1)
    expect(monteCarloKendallPValue(x, y, 3, 999).p_value).toBe(1 / 1000);
  });
});

describe('Monte Carlo null shared between cells', () => {
  it('gives the p-value it gives alone, drawing once per test metric and tie pattern', () => {
    const y = [5, 2, 8, 1, 9, 3, 11, 4, 7, 10, 6];
    const xs = [
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
      [0.3, 0.1, 0.9, 0.2, 0.5, 0.4, 0.8, 0.7, 0.6, 1.1, 1.0],
      [1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    ];
    const cache = new Map<string, Int32Array>();
    for (const x of xs) expect(monteCarloKendallPValue(x, y, 7, 3000, cache)).toEqual(monteCarloKendallPValue(x, y, 7, 3000));
    expect(cache.size).toBe(2);
  });
});

describe('kendallPValue', () => {
  it('is exact up to 9 runs and Monte Carlo above, by default', () => {
    const x9 = [1, 2, 3, 4, 5, 6, 7, 8, 9];
    expect(kendallPValue(x9, [2, 1, 3, 4, 5, 6, 7, 9, 8])!.method).toBe('exact');
    const x10 = [...x9, 10];
    const p = kendallPValue(x10, [2, 1, 3, 4, 5, 6, 7, 9, 8, 10], { orderings: 1000 })!;
    expect(p).toMatchObject({ method: 'monte-carlo', orderings: 1000 });
  });

  it('is null where tau-b is undefined', () => {
    expect(kendallPValue([1], [1])).toBeNull();
    expect(kendallPValue([2, 2, 2], [1, 2, 3])).toBeNull();
    expect(kendallPValue([1, 2, 3], [5, 5, 5])).toBeNull();
  });
});
