import { describe, expect, it } from 'vitest';
import { findStreaks, trailingStreak } from '../src/streaks.js';

describe('streaks', () => {
  const steps = [0, 10, 20, 30, 40, 50];
  it('finds maximal runs of adjacent captures at least minLength long', () => {
    const on = new Set([0, 10, 30, 40, 50]);
    expect(findStreaks(steps, (s) => on.has(s), 1)).toEqual([{ steps: [0, 10] }, { steps: [30, 40, 50] }]);
    expect(findStreaks(steps, (s) => on.has(s), 3)).toEqual([{ steps: [30, 40, 50] }]);
    expect(findStreaks(steps, () => false, 1)).toEqual([]);
  });
  it('finds the run that lasts to the last capture', () => {
    expect(trailingStreak(steps, (s) => s >= 30)).toEqual({ steps: [30, 40, 50] });
    expect(trailingStreak(steps, (s) => s !== 50)).toBeUndefined();
    expect(trailingStreak([], () => true)).toBeUndefined();
  });
});
