import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCapture, writeCapture } from '../src/index.js';
import { encodeCapture } from '../src/encodeCapture.js';
import type { DType } from '../src/types.js';
import { sampleCapture } from './sampleCaptures.js';
import { useTempDir } from './tempDir.js';

const dir = useTempDir();

describe('readCapture', () => {
  it('returns the whole capture with gradients keyed by task, plus the reader info', async () => {
    const data = sampleCapture({ layout: 'NCHW', dtype: 'BF16', extras: true });
    const file = join(dir(), 'whole.safetensors');
    await writeCapture(file, data);
    const capture = await readCapture(file);
    expect(capture.info.file).toBe(file);
    expect(capture.meta).toEqual(capture.info.meta);
    expect(capture.shape).toEqual(data.shape);
    expect(capture.dtype).toBe('BF16');
    expect(Object.keys(capture.grads)).toEqual(data.meta.tasks);
    expect(Array.from(capture.features)).toEqual(Array.from(data.features));
    for (const task of data.meta.tasks) expect(Array.from(capture.grads[task]!)).toEqual(Array.from(data.grads[task]!));
    expect(capture.losses).toEqual(data.losses);
    expect(Array.from(capture.paramGram!)).toEqual(Array.from(data.paramGram!));
  });

  it('reads the weights the method applied, one per task, and writes them back', async () => {
    const data = { ...sampleCapture({ extras: true }), weights: { seg: 10, depth: 0.25, normal: 1 } };
    const file = join(dir(), 'weights.safetensors');
    await writeCapture(file, data);
    const capture = await readCapture(file);
    expect(capture.weights).toEqual({ seg: 10, depth: 0.25, normal: 1 });
    expect(capture.info.weights).toEqual({ seg: 10, depth: 0.25, normal: 1 });
    expect(encodeCapture(capture)).toEqual(new Uint8Array(await readFile(file)));
  });

  it('has no weights when the capture carries none', async () => {
    const file = join(dir(), 'no-weights.safetensors');
    await writeCapture(file, sampleCapture({ extras: true }));
    expect((await readCapture(file)).weights).toBeUndefined();
  });

  it('refuses to write weights for some tasks only', async () => {
    const data = { ...sampleCapture(), weights: { seg: 1 } };
    await expect(writeCapture(join(dir(), 'partial.safetensors'), data)).rejects.toThrow(/weights\.depth is missing or not a number/);
  });

  it.each<DType>(['F32', 'F16', 'BF16', 'F64'])('re-encodes what it read to the identical bytes (%s)', async (dtype) => {
    const file = join(dir(), `identical-${dtype}.safetensors`);
    await writeCapture(file, sampleCapture({ layout: 'NHWC', dtype, extras: true }));
    expect(encodeCapture(await readCapture(file))).toEqual(new Uint8Array(await readFile(file)));
  });

  it('keeps task names such as __proto__ and constructor as plain keys', async () => {
    const tasks = ['__proto__', 'constructor', 'toString'];
    const data = sampleCapture({ tasks, extras: true });
    const file = join(dir(), 'proto.safetensors');
    await writeCapture(file, data);
    const capture = await readCapture(file);
    expect(Object.keys(capture.grads)).toEqual(tasks);
    expect(Object.keys(capture.losses)).toEqual(tasks);
    expect(Object.getPrototypeOf(capture.grads)).toBe(Object.prototype);
    expect(Array.from(capture.grads['__proto__']!)).toEqual(Array.from(data.grads['__proto__']!));
    expect(capture.losses['constructor']).toBe(0.2);
  });
});
