import { describe, expect, it } from 'vitest';
import { bootstrapTauB } from '../../src/rank/bootstrapInterval.js';
import { kendallTauB } from '../../src/rank/kendall.js';

const x = [1, 2, 3, 4, 5, 6];
const y = [2, 1, 4, 3, 6, 5];

describe('bootstrap interval of tau-b', () => {
  it('is the same for the same seed and moves with another', () => {
    const a = bootstrapTauB(x, y, { seed: 4, resamples: 500 });
    expect(bootstrapTauB(x, y, { seed: 4, resamples: 500 })).toEqual(a);
    const b = bootstrapTauB(x, y, { seed: 5, resamples: 500 });
    expect(b).not.toEqual(a);
  });

  it('brackets the observed tau-b and widens with the level', () => {
    const tau = kendallTauB(x, y);
    const i80 = bootstrapTauB(x, y, { seed: 1, level: 0.8 })!;
    const i99 = bootstrapTauB(x, y, { seed: 1, level: 0.99 })!;
    expect(i80.low).toBeLessThanOrEqual(tau);
    expect(i80.high).toBeGreaterThanOrEqual(tau);
    expect(i99.low).toBeLessThanOrEqual(i80.low);
    expect(i99.high).toBeGreaterThanOrEqual(i80.high);
    expect(i80.high - i80.low).toBeGreaterThan(0);
    expect(i80.resamples).toBe(2000);
    expect(i80.used).toBeGreaterThan(1900);
  });

  it('collapses to [1, 1] when every resample agrees perfectly', () => {
    expect(bootstrapTauB(x, x, { seed: 2 })).toMatchObject({ low: 1, high: 1 });
  });

  it('gives no interval below the minimum number of runs', () => {
    expect(bootstrapTauB([1, 2, 3, 4], [1, 3, 2, 4])).toBeNull();
    expect(bootstrapTauB([1, 2, 3, 4], [1, 3, 2, 4], { minRuns: 4 })).not.toBeNull();
  });
});
