import { describe, expect, it } from 'vitest';
import { cleanRow, formatValue, nearestStep, runsOf, stepsOf, tasksOf } from '../src/data.js';

const row = (over: Record<string, unknown>) => ({ run: 'r', step: 0, metric: 'fd', task: '', task_b: '', value: 0.5, ...over }) as never;

describe('table helpers', () => {
  it('cleans non-finite values to null', () => {
    expect(cleanRow(row({ value: Number.NaN })).value).toBeNull();
    expect(cleanRow(row({ value: -Infinity })).value).toBeNull();
    expect(cleanRow(row({ value: 0.25 })).value).toBe(0.25);
  });
  it('lists runs and tasks in order of first appearance, steps ascending', () => {
    const rows = [row({ run: 'b', task: 'y', step: 5 }), row({ run: 'a', task: 'x', task_b: 'y', step: 1 }), row({ run: 'b', step: 3 })];
    expect(runsOf(rows)).toEqual(['b', 'a']);
    expect(tasksOf(rows)).toEqual(['y', 'x']);
    expect(stepsOf(rows)).toEqual([1, 3, 5]);
  });
  it('finds the nearest step, the earlier on a tie', () => {
    expect(nearestStep([0, 100, 200], 149)).toBe(100);
    expect(nearestStep([0, 100, 200], 150)).toBe(100);
    expect(nearestStep([0, 100, 200], 1e9)).toBe(200);
  });
  it('formats values for cells and tables', () => {
    expect(formatValue(null)).toBe('n/a');
    expect(formatValue(0.123456)).toBe('0.123');
    expect(formatValue(-0.5)).toBe('\u22120.5');
    expect(formatValue(2e-6)).toBe('2.00e-6');
    expect(formatValue(0)).toBe('0');
    expect(formatValue(123456)).toBe('1.23e+5');
  });
});
