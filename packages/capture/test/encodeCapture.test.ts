import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CaptureError, writeCapture } from '../src/index.js';
import { IN_MEMORY_CAPTURE, encodeCapture } from '../src/encodeCapture.js';
import type { CaptureData, DType } from '../src/types.js';
import { sampleCapture } from './sampleCaptures.js';
import { useTempDir } from './tempDir.js';

const dir = useTempDir();

function headerOf(bytes: Uint8Array): { length: number; json: Record<string, { dtype: string; shape: number[]; data_offsets: number[] }> } {
  const length = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  return { length, json: JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + length))) };
}

describe('encodeCapture', () => {
  it('lays out features, grad.<task> in tasks order, loss.<task>, then param_gram, after a padded header', () => {
    const data = sampleCapture({ tasks: ['seg', 'depth', 'normal'], extras: true });
    data.losses = { normal: 1, seg: 2 }; // key order must not matter
    const bytes = encodeCapture(data);
    const { length, json } = headerOf(bytes);
    expect(length % 8).toBe(0);
    const { __metadata__, ...tensors } = json;
    expect(__metadata__).toEqual({
      format: 'mtl-fd/capture@1',
      step: '1200',
      tasks: '["seg","depth","normal"]',
      layout: 'NC',
      epoch: '3',
      run: 'baseline run',
      producer: 'vitest',
    });
    const order = Object.entries(tensors).sort((a, b) => a[1].data_offsets[0]! - b[1].data_offsets[0]!);
    expect(order.map(([name]) => name)).toEqual(['features', 'grad.seg', 'grad.depth', 'grad.normal', 'loss.seg', 'loss.normal', 'param_gram']);
    expect(tensors['loss.seg']).toEqual({ dtype: 'F64', shape: [], data_offsets: [240, 248] });
    expect(tensors['param_gram']).toEqual({ dtype: 'F64', shape: [3, 3], data_offsets: [256, 328] });
    expect(bytes.byteLength).toBe(8 + length + 328);
  });

  it.each<DType>(['F32', 'F16', 'BF16', 'F64'])('produces the same bytes as writeCapture (%s)', async (dtype) => {
    const data = sampleCapture({ layout: 'NCL', dtype, extras: true });
    const file = join(dir(), `same-${dtype}.safetensors`);
    await writeCapture(file, data);
    expect(encodeCapture(data)).toEqual(new Uint8Array(await readFile(file)));
  });

  it('accepts plain arrays as well as typed arrays', () => {
    const data = sampleCapture();
    const plain: CaptureData = {
      ...data,
      features: Array.from(data.features),
      grads: Object.fromEntries(Object.entries(data.grads).map(([t, g]) => [t, Array.from(g)])),
    };
    expect(encodeCapture(plain)).toEqual(encodeCapture(data));
  });

  const base = () => sampleCapture({ tasks: ['a', 'b'], shape: [2, 3] });
  const cases: [string, (d: CaptureData) => void, RegExp][] = [
    ['a missing gradient', (d) => delete d.grads.b, /grads has no gradient for task "b"/],
    ['an extra gradient', (d) => void (d.grads.c = d.grads.a!), /grads has "c", which is not in meta.tasks/],
    ['a short gradient', (d) => void (d.grads.b = [1, 2]), /gradient of task "b" holds 2 values but the features hold 6/],
    ['features that disagree with the shape', (d) => void (d.shape = [3, 3]), /features hold 2 rows but shape says 3/],
    ['a ragged feature length', (d) => void (d.features = [1, 2, 3, 4]), /features hold 4 values, not a positive whole number of rows of 3/],
    ['a fractional shape', (d) => void (d.shape = [2, 1.5]), /shape \[2,1.5\] is not a non-empty array of positive integers/],
    ['an unknown dtype', (d) => void (d.dtype = 'F8' as DType), /dtype "F8" is not one of F32, F16, BF16, F64/],
    ['a layout of the wrong rank', (d) => void (d.meta.layout = 'NCHW'), /layout NCHW needs features of rank 4/],
    ['a negative step', (d) => void (d.meta.step = -1), /metadata step "-1" is not a non-negative decimal integer/],
    ['a bad task name', (d) => void (d.meta.tasks = ['a', 'b c']), /metadata tasks holds "b c", not a task name/],
    ['a repeated task', (d) => void (d.meta.tasks = ['a', 'a']), /metadata tasks lists "a" twice/],
    ['a loss for no task', (d) => void (d.losses = { z: 1 }), /losses has "z", which is not in meta.tasks/],
    ['a param_gram of the wrong size', (d) => void (d.paramGram = [1, 2, 3]), /paramGram has 3 values; 2 tasks need 4/],
  ];
  it.each(cases)('refuses %s with a CaptureError', (_what, spoil, problem) => {
    const data = base();
    spoil(data);
    let err: unknown;
    try {
      encodeCapture(data);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CaptureError);
    expect((err as CaptureError).file).toBe(IN_MEMORY_CAPTURE);
    expect((err as CaptureError).problem).toMatch(problem);
  });
});
