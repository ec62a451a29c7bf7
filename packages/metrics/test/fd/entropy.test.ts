import { describe, expect, it } from 'vitest';
import { pairEntropy, unitEntropy } from '../../src/fd/entropy.js';
import { pairIndex, taskPairs } from '../../src/fd/pairs.js';
import { unitGeometry } from '../../src/fd/geometry.js';
import '../../../../test/support/tolerance.js';

describe('unit entropies', () => {
  it('are 0 for a one-task unit and 1 for an even one, at tau = 0', () => {
    expect(unitEntropy([0, 3, 0], 3, 0)).toBe(0);
    expect(unitEntropy([2, 2, 2, 2], 4, 0)).toBeRelClose(1, 1e-15);
    expect(pairEntropy(5, 0, 0)).toBe(0);
    expect(pairEntropy(1e-8, 1e-8, 0)).toBeRelClose(1, 1e-15);
    expect(pairEntropy(1, 3, 0)).toBeRelClose(-(0.25 * Math.log2(0.25) + 0.75 * Math.log2(0.75)), 1e-15);
  });

  it('stay finite and in [0, 1] at extreme temperatures', () => {
    for (const tau of [1e-300, 1e-12, 1e-3, 1e3, 1e300]) {
      for (const R of [[1, 0, 0], [1, 2, 3], [1e-300, 1, 0]]) {
        const h = unitEntropy(R, 3, tau);
        expect(h).toBeGreaterThanOrEqual(0);
        expect(h).toBeLessThanOrEqual(1);
      }
      const h2 = pairEntropy(1, 2, tau);
      expect(Number.isFinite(h2)).toBe(true);
    }
    // sharp limit: the softmax puts everything on the largest q
    expect(unitEntropy([1, 2, 3], 3, 1e-6)).toBe(0);
    // flat limit: uniform
    expect(unitEntropy([1, 0, 0], 3, 1e12)).toBeRelClose(1, 1e-9);
    expect(pairEntropy(1, 0, 1e12)).toBeRelClose(1, 1e-9);
  });

  it('softmax of q / tau over two tasks matches the direct formula', () => {
    const tau = 0.3;
    const q = 0.2;
    const ea = Math.exp(q / tau);
    const eb = Math.exp((1 - q) / tau);
    const p = ea / (ea + eb);
    expect(pairEntropy(1, 4, tau)).toBeRelClose(-(p * Math.log2(p) + (1 - p) * Math.log2(1 - p)), 1e-14);
  });
});

describe('pairs and geometry', () => {
  it('enumerates pairs a < b in row-major order and indexes them back', () => {
    const p = taskPairs(4);
    expect(Array.from(p.a)).toEqual([0, 0, 0, 1, 1, 2]);
    expect(Array.from(p.b)).toEqual([1, 2, 3, 2, 3, 3]);
    for (let k = 0; k < p.count; k++) expect(pairIndex(4, p.a[k]!, p.b[k]!)).toBe(k);
  });

  it('splits rows into channels and positions per layout', () => {
    expect(unitGeometry('NC', [5, 7])).toEqual({ rowSize: 7, channels: 7, positions: 1, channelsLast: true });
    expect(unitGeometry('NHWC', [2, 3, 4, 5])).toEqual({ rowSize: 60, channels: 5, positions: 12, channelsLast: true });
    expect(unitGeometry('NLC', [2, 3, 5])).toEqual({ rowSize: 15, channels: 5, positions: 3, channelsLast: true });
    expect(unitGeometry('NCHW', [2, 5, 3, 4])).toEqual({ rowSize: 60, channels: 5, positions: 12, channelsLast: false });
    expect(unitGeometry('NCL', [2, 5, 3])).toEqual({ rowSize: 15, channels: 5, positions: 3, channelsLast: false });
    expect(() => unitGeometry('NHWC', [2, 3])).toThrow(/rank-4/);
  });
});
