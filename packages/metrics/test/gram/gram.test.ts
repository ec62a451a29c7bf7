import { describe, expect, it } from 'vitest';
import { GramAccumulator, gramOf } from '../../src/gram/accumulate.js';
import { conditionNumber } from '../../src/gram/cond.js';
import { gramIdentifiers } from '../../src/gram/identifiers.js';
import { WORKED } from '../fd/worked.js';
import { rng, sparseValues } from '../fd/random.js';
import '../../../../test/support/tolerance.js';

describe('gradient identifiers (docs/metrics.md §5 and §9)', () => {
  it('match the worked example', () => {
    const K = gramOf(WORKED.g.map((g) => Float64Array.from(g)));
    const id = gramIdentifiers(K, 3);
    expect(id.norm).toBeRelClose([0.374166, 0.509902, 0.538516], 0, 5e-7);
    expect(id.cos[0]![1]).toBeRelClose(0.419314, 0, 5e-7);
    expect(id.cos[0]![2]).toBeRelClose(-0.198517, 0, 5e-7);
    expect(id.cos[1]![2]).toBe(0);
    expect(id.cos_mean).toBeRelClose(0.073599, 0, 5e-7);
    expect(id.conflict_frac).toBeRelClose(1 / 3, 1e-15);
    expect(id.gms[0]![1]).toBeRelClose(0.953939, 0, 5e-7);
    expect(id.cond).toBeRelClose(1.838922, 0, 5e-7);
    const sum = id.norm.reduce((a, b) => a + b, 0);
    expect(id.norm_share).toBeRelClose(id.norm.map((v) => v / sum), 1e-15);
  });

  it('accumulates K in float64 over chunks exactly like one product', () => {
    const rand = rng(8);
    const n = 10_001; // not a multiple of the tile or the unroll
    const g = [0, 1, 2, 3].map(() => Float32Array.from(sparseValues(rand, n, 0.1)));
    const acc = new GramAccumulator(4);
    for (let i = 0; i < n; i += 3000) acc.add(g.map((x) => x.subarray(i, Math.min(n, i + 3000))));
    const K = acc.matrix();
    for (let a = 0; a < 4; a++) {
      for (let b = 0; b < 4; b++) {
        let s = 0;
        for (let i = 0; i < n; i++) s += g[a]![i]! * g[b]![i]!;
        expect(K[a * 4 + b]).toBeRelClose(s, 1e-12);
      }
    }
  });

  it('gives null-able NaN for a zero gradient and leaves it out of cos_mean and conflict_frac', () => {
    const K = [4, 0, -2, 0, 0, 0, -2, 0, 9];
    const id = gramIdentifiers(K, 3);
    expect(id.norm).toEqual([2, 0, 3]);
    expect(id.cos[0]![1]).toBeNaN();
    expect(id.cos[1]![1]).toBeNaN();
    expect(id.cos[0]![2]).toBeRelClose(-1 / 3, 1e-15);
    expect(id.cos_mean).toBeRelClose(-1 / 3, 1e-15);
    expect(id.conflict_frac).toBe(1);
    expect(id.gms[0]![1]).toBe(0);
    expect(id.gms[1]![1]).toBeNaN();
    expect(id.cond).toBe(Infinity);
  });

  it('cond: +Infinity for singular K (also through rounding), NaN for a non-finite K, exact for diagonal K', () => {
    expect(conditionNumber([4, 0, 0, 1], 2)).toBeRelClose(2, 1e-15);
    expect(conditionNumber([1, 1, 1, 1], 2)).toBe(Infinity);
    // rank 1 from float data: rounding leaves lambda_min ~ 1e-17, not 0
    const v = [0.1, 0.7, 0.3];
    const K = v.flatMap((a) => v.map((b) => a * b));
    expect(conditionNumber(K, 3)).toBe(Infinity);
    expect(conditionNumber([0, 0, 0, 0], 2)).toBe(Infinity);
    expect(conditionNumber([NaN, 0, 0, 1], 2)).toBeNaN();
    // against the closed form for 2 x 2
    const [a, b, d] = [3, 1.2, 2];
    const disc = Math.sqrt(((a - d) / 2) ** 2 + b * b);
    const l1 = (a + d) / 2 + disc;
    const l2 = (a + d) / 2 - disc;
    expect(conditionNumber([a, b, b, d], 2)).toBeRelClose(Math.sqrt(l1 / l2), 1e-12);
  });
});

describe('gradient identifiers of a Gram matrix with a non-finite entry (hostile param_gram)', () => {
  // Before: Inf on the diagonal gave cos = K/(Inf * n) = 0 (and norm_share 0 for the other
  // tasks); Inf off the diagonal was clamped to cos = 1. Both are made-up numbers.
  const K = [Infinity, 1, 0.5, 1, 4, 1, 0.5, 1, 9];
  it('gives NaN (null in the table) for every value that depends on the bad entry', () => {
    const id = gramIdentifiers(K, 3);
    expect(id.norm[0]).toBeNaN();
    expect(id.norm.slice(1)).toEqual([2, 3]);
    expect(id.norm_share.every(Number.isNaN)).toBe(true);
    expect(id.cos[0]![1]).toBeNaN();
    expect(id.cos[0]![2]).toBeNaN();
    expect(id.cos[1]![2]).toBeCloseTo(1 / 6, 15);
    expect(id.gms[0]![1]).toBeNaN();
    expect(id.gms[1]![2]).toBeCloseTo(12 / 13, 15);
    expect(id.cos_mean).toBeNaN();
    expect(id.conflict_frac).toBeNaN();
    expect(id.cond).toBeNaN();
  });

  it('does not clamp an infinite or NaN off-diagonal entry to a cosine of +-1', () => {
    for (const bad of [Infinity, -Infinity, NaN]) {
      const id = gramIdentifiers([1, bad, bad, 4], 2);
      expect(id.cos[0]![1]).toBeNaN();
      expect(id.cos_mean).toBeNaN();
      expect(id.conflict_frac).toBeNaN();
      expect(id.norm).toEqual([1, 2]);
      expect(id.gms[0]![1]).toBeCloseTo(0.8, 15);
    }
  });
});
