// Item 8 (param_gram) of the hostile-input issue: a capture whose param_gram holds an
// infinity. Before: param_cos with the task came out 0 (K / (Inf * n)) and the other tasks'
// param_norm_share 0, numbers that look measured. After: null, with the param_cond warning.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureFileName, writeCapture } from '@mtl-fd/capture';
import { fromJSON, type TidyRow } from '@mtl-fd/metrics';
import { runCli } from '../../src/cli.js';
import { bufferIO, values } from '../scoreHelpers.js';

let root: string;
beforeAll(async () => void (root = await mkdtemp(join(tmpdir(), 'mtl-fd-hostile-gram-'))));
afterAll(async () => rm(root, { recursive: true, force: true }));

async function captureWithGram(name: string, paramGram: number[]): Promise<string> {
  const dir = join(root, name, 'captures');
  await mkdir(dir, { recursive: true });
  const tasks = ['seg', 'depth', 'normal'];
  const file = join(dir, captureFileName(0));
  await writeCapture(file, {
    meta: { step: 0, tasks, layout: 'NC' },
    shape: [4, 6],
    features: values(24, 1),
    grads: Object.fromEntries(tasks.map((t, i) => [t, values(24, 2 + i)])),
    paramGram,
  });
  return file;
}

const value = (rows: TidyRow[], metric: string, task = '', task_b = '') =>
  rows.find((r) => r.metric === metric && r.task === task && r.task_b === task_b)?.value;

describe('score on a param_gram holding Infinity', () => {
  it('writes null, not 0, for the cosines, shares and means that depend on it', async () => {
    const file = await captureWithGram('inf-diagonal', [Infinity, 1, 0.5, 1, 4, 1, 0.5, 1, 9]);
    const io = bufferIO(root);
    expect(await runCli(['score', file, '--format', 'json', '--no-cache'], io)).toBe(0);
    const rows = fromJSON(io.out).rows;
    expect(value(rows, 'param_cos', 'seg', 'depth')).toBeNull();
    expect(value(rows, 'param_cos', 'seg', 'normal')).toBeNull();
    expect(value(rows, 'param_cos', 'depth', 'normal')).toBeCloseTo(1 / 6, 12);
    expect(value(rows, 'param_norm_share', 'depth')).toBeNull();
    expect(value(rows, 'param_norm', 'seg')).toBeNull();
    expect(value(rows, 'param_cos_mean')).toBeNull();
    expect(value(rows, 'param_conflict_frac')).toBeNull();
    expect(io.err).toMatch(/param_cond is undefined \(the Gram matrix holds a non-finite value\)/);
  });

  it('does not clamp an infinite off-diagonal entry to a cosine of 1', async () => {
    const file = await captureWithGram('inf-off-diagonal', [1, Infinity, 0, Infinity, 4, 0, 0, 0, 9]);
    const io = bufferIO(root);
    expect(await runCli(['score', file, '--format', 'json', '--no-cache'], io)).toBe(0);
    const rows = fromJSON(io.out).rows;
    expect(value(rows, 'param_cos', 'seg', 'depth')).toBeNull();
    expect(value(rows, 'param_cos', 'seg', 'normal')).toBe(0);
    expect(value(rows, 'param_cos_mean')).toBeNull();
  });
});
