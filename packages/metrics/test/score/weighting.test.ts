import { describe, expect, it } from 'vitest';
import { scoreCapture } from '../../src/score/scoreCapture.js';
import { taskWeights } from '../../src/score/weighting.js';
import type { TidyRow } from '../../src/table/types.js';
import '../../../../test/support/tolerance.js';
import { memorySource, type MemoryCapture } from './memorySource.js';

const value = (rows: readonly TidyRow[], metric: string, task = '', task_b = '') =>
  rows.find((r) => r.metric === metric && r.task === task && r.task_b === task_b)?.value;

const gradsA = [1, 0.5, -1, 2, 0, 1];
const gradsB = [0.2, 1, 1, -0.5, 1, 0.3];
const base: MemoryCapture = {
  layout: 'NC',
  shape: [2, 3],
  tasks: ['a', 'b'],
  features: [1, 2, 3, 4, 5, 6],
  grads: [gradsA, gradsB],
  paramGram: [4, 1, 1, 2],
  losses: { a: 0.5, b: 0.25 },
};

describe('the weighted view', () => {
  it('scores w_t * g_t and w_a w_b K: the same rows as a capture holding the scaled gradients', async () => {
    const weighted = await scoreCapture(memorySource({ ...base, weights: { a: 10, b: 0.5 } }), { weighted: true });
    const scaled = await scoreCapture(
      memorySource({ ...base, grads: [gradsA.map((g) => g * 10), gradsB.map((g) => g * 0.5)], paramGram: [400, 5, 5, 0.5] }),
    );
    expect(weighted.rows.map((r) => r.metric)).toEqual(scaled.rows.map((r) => r.metric));
    weighted.rows.forEach((r, i) => expect(r.value).toBeRelClose(scaled.rows[i]!.value!, 1e-12));
    expect(weighted.options.weighted).toBe(true);
  });

  it('moves the gradient share to the weighted-up task, and leaves the losses as measured', async () => {
    const src = { ...base, weights: { a: 10, b: 1 } };
    const plain = await scoreCapture(memorySource(src));
    const weighted = await scoreCapture(memorySource(src), { weighted: true });
    expect(value(weighted.rows, 'grad_norm_share', 'b')!).toBeLessThan(value(plain.rows, 'grad_norm_share', 'b')! / 5);
    expect(value(weighted.rows, 'loss', 'a')).toBe(0.5);
  });

  it('ignores the weights by default, and reads a capture without weights as all ones', async () => {
    const plain = await scoreCapture(memorySource(base));
    expect((await scoreCapture(memorySource({ ...base, weights: { a: 10, b: 1 } }))).rows).toEqual(plain.rows);
    expect((await scoreCapture(memorySource(base), { weighted: true })).rows).toEqual(plain.rows);
    expect(taskWeights(memorySource(base).info)).toEqual([1, 1]);
  });
});
