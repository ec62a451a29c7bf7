import { describe, expect, it } from 'vitest';
import { RunSeries } from '../src/runSeries.js';
import type { TidyRow } from '@mtl-fd/metrics';

const row = (run: string, step: number, metric: string, value: number | null, task = '', task_b = ''): TidyRow => ({ run, step, metric, task, task_b, value });

describe('RunSeries', () => {
  const rows = [
    row('r', 20, 'grad_norm', 1, 'b'),
    row('r', 0, 'grad_norm', 2, 'a'),
    row('r', 0, 'grad_norm', 3, 'b'),
    row('r', 0, 'grad_cos', 0.5, 'a', 'b'),
    row('r', 10, 'grad_cos', null, 'a', 'b'),
    row('other', 5, 'fd', 0.1),
  ];

  it('groups runs, sorts steps and takes the task order from the pair rows', () => {
    const runs = RunSeries.byRun(rows);
    expect(runs.map((r) => r.run)).toEqual(['r', 'other']);
    expect(runs[0]!.steps).toEqual([0, 10, 20]);
    expect(runs[0]!.tasks).toEqual(['a', 'b']);
    const three = [row('r', 0, 'fd_pair', 1, 'z', 'm'), row('r', 0, 'fd_pair', 1, 'z', 'a'), row('r', 0, 'fd_pair', 1, 'm', 'a'), row('r', 0, 'loss', 1, 'q')];
    expect(new RunSeries('r', three).tasks).toEqual(['q', 'z', 'm', 'a']);
    expect(new RunSeries('r', [...three].reverse()).tasks).toEqual(['q', 'z', 'm', 'a']);
  });

  it('tells a missing cell (undefined) from a null one, and looks pairs up both ways', () => {
    const r = RunSeries.byRun(rows)[0]!;
    expect(r.value('grad_cos', 0, 'a', 'b')).toBe(0.5);
    expect(r.value('grad_cos', 0, 'b', 'a')).toBe(0.5);
    expect(r.value('grad_cos', 10, 'a', 'b')).toBeNull();
    expect(r.value('grad_cos', 20, 'a', 'b')).toBeUndefined();
    expect(r.number('grad_cos', 10, 'a', 'b')).toBeUndefined();
    expect(r.stepsOf('grad_norm', 'b')).toEqual([0, 20]);
    expect(r.stepsOf('grad_cos', 'b', 'a')).toEqual([0, 10]);
    expect(r.pairs('grad_cos')).toEqual([['a', 'b']]);
    expect(new RunSeries('r', [row('r', 0, 'grad_cos', 1, 'b', 'a'), row('r', 0, 'loss', 1, 'a')]).pairs('grad_cos')).toEqual([['b', 'a']]);
    expect(r.has('fd')).toBe(false);
  });
});
