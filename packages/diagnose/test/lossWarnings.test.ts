import { describe, expect, it } from 'vitest';
import type { TidyRow } from '@mtl-fd/metrics';
import { tableLossWarnings } from '../src/lossWarnings.js';

const loss = (run: string, step: number, task: string, value: number | null): TidyRow => ({ run, step, metric: 'loss', task, task_b: '', value });

describe('tableLossWarnings', () => {
  it('warns once per run and task for null, zero or negative loss rows, in step order', () => {
    const rows = [loss('b', 200, 'seg', -1), loss('a', 0, 'seg', 1), loss('b', 100, 'seg', null), loss('b', 0, 'depth', 2), { ...loss('b', 0, 'seg', 5), metric: 'loss_ratio' }];
    const w = tableLossWarnings(rows);
    expect(w).toHaveLength(1);
    expect(w[0]).toMatch(/^run 'b': task 'seg' has a probe loss that is NaN or infinite at 1 capture \(step 100\) and negative at 1 capture \(step 200\);/);
  });

  it('says nothing for finite, positive losses', () => {
    expect(tableLossWarnings([loss('a', 0, 'seg', 0.3), loss('a', 1, 'seg', 0.2)])).toEqual([]);
  });
});
