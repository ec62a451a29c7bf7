import * as tf from '@tensorflow/tfjs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROBE_FORMAT, probeFileBatch, readProbeFile, readSafetensors, writeProbeFile, writeSafetensors } from '@mtl-fd/hooks';
import { useWasm } from '../helpers/backends.js';
import { rand } from '../helpers/models.js';
import { tempDir } from '../helpers/tmp.js';

let root: string;
beforeAll(async () => {
  await useWasm();
  root = await tempDir();
});

function twoInputs(): tf.LayersModel {
  const a = tf.input({ shape: [3], name: 'left' });
  const b = tf.input({ shape: [2], name: 'right' });
  const z = tf.layers.dense({ units: 4, name: 'shared' }).apply(tf.layers.concatenate().apply([a, b])) as tf.SymbolicTensor;
  const c = tf.layers.dense({ units: 3, activation: 'softmax', name: 'cls' }).apply(z) as tf.SymbolicTensor;
  const r = tf.layers.dense({ units: 1, name: 'reg' }).apply(z) as tf.SymbolicTensor;
  return tf.model({ inputs: [a, b], outputs: [c, r] });
}

describe('probe files', () => {
  it('round-trip a multi-input batch with int labels and metadata', async () => {
    const model = twoInputs();
    const file = join(root, 'probe.safetensors');
    const batch = { xs: { left: rand([4, 3], 1), right: rand([4, 2], 2) }, ys: { cls: tf.tensor1d([0, 2, 1, 2], 'int32'), reg: rand([4, 1], 3) } };
    await writeProbeFile(file, model, batch, { tasks: { cls: 'class' }, losses: { cls: 'sparseCategoricalCrossentropy' } });
    const raw = await readSafetensors(file);
    expect([...raw.tensors.keys()]).toEqual(['x.left', 'x.right', 'y.cls', 'y.reg']);
    expect(raw.metadata).toEqual({ format: PROBE_FORMAT, tasks: '{"cls":"class"}', losses: '{"cls":"sparseCategoricalCrossentropy"}' });
    // the header is padded so that the data starts 8-byte aligned
    const bytes = await readFile(file);
    expect(Number(bytes.readBigUInt64LE(0)) % 8).toBe(0);
    expect(bytes.toString('utf8', 8, 8 + Number(bytes.readBigUInt64LE(0)))).toContain('"y.cls":{"dtype":"I32","shape":[4]');

    const probe = await readProbeFile(file);
    expect(probe.tasks).toEqual({ cls: 'class' });
    expect(probe.losses).toEqual({ cls: 'sparseCategoricalCrossentropy' });
    const { xs, ys } = probeFileBatch(model, probe);
    expect(xs.map((t) => t.shape)).toEqual([[4, 3], [4, 2]]);
    expect(Array.from(xs[0]!.dataSync())).toEqual(Array.from(batch.xs.left.dataSync()));
    expect(Array.from(ys.cls!.dataSync())).toEqual([0, 2, 1, 2]);
    tf.dispose([...xs, ...Object.values(ys), ...Object.values(batch.xs), ...Object.values(batch.ys)]);
    model.dispose();
  });

  it('read any dtype as float32 and refuse what is not a probe', async () => {
    const file = join(root, 'odd.safetensors');
    await writeSafetensors(file, new Map([['x', { shape: [2, 2], values: new Float32Array([1, 2, 3, 4]) }], ['y.a', { shape: [2], values: new Int32Array([-3, 7]) }]]));
    const probe = await readProbeFile(file);
    expect(Array.from(probe.targets.get('a')!.values)).toEqual([-3, 7]);

    const bad = async (tensors: [string, number[]][], metadata: Record<string, string> = {}) => {
      const f = join(root, `bad-${Math.random().toString(36).slice(2)}.safetensors`);
      await writeSafetensors(f, new Map(tensors.map(([n, s]) => [n, { shape: s, values: new Float32Array(s.reduce((p, q) => p * q, 1)) }])), metadata);
      return readProbeFile(f);
    };
    await expect(bad([['x', [1, 2]], ['label', [1]]])).rejects.toThrow(/unexpected tensor 'label' \(a probe file holds x or x\.<input>, and y\.<output>\)/);
    await expect(bad([['x', [1, 2]], ['x.a', [1, 2]], ['y.a', [1]]])).rejects.toThrow(/has both x and x\.<input> tensors/);
    await expect(bad([['y.a', [1]]])).rejects.toThrow(/no inputs/);
    await expect(bad([['x', [1, 2]]])).rejects.toThrow(/no targets/);
    await expect(bad([['x', [1, 2]], ['y.a', [1]]], { tasks: '["a"]' })).rejects.toThrow(/metadata 'tasks' must be a JSON object of strings/);
    await expect(bad([['x', [1, 2]], ['y.a', [1]]], { format: 'mtl-fd/capture@1' })).rejects.toThrow(/format is 'mtl-fd\/capture@1', expected 'mtl-fd\/probe@1'/);
  });

  it('check the batch against the model', async () => {
    const model = twoInputs();
    const write = async (tensors: [string, number[]][]) => {
      const f = join(root, `m-${Math.random().toString(36).slice(2)}.safetensors`);
      await writeSafetensors(f, new Map(tensors.map(([n, s]) => [n, { shape: s, values: new Float32Array(s.reduce((p, q) => p * q, 1)) }])));
      return readProbeFile(f);
    };
    const single = await write([['x', [2, 3]], ['y.cls', [2, 3]]]);
    expect(() => probeFileBatch(model, single)).toThrow(/has one input x, but the model has 2 inputs: name them x\.left, x\.right/);
    const missing = await write([['x.left', [2, 3]], ['y.cls', [2, 3]]]);
    expect(() => probeFileBatch(model, missing)).toThrow(/no tensor x\.right for model input 'right'/);
    const unknown = await write([['x.left', [2, 3]], ['x.up', [2, 3]], ['y.cls', [2, 3]]]);
    expect(() => probeFileBatch(model, unknown)).toThrow(/x\.up is no model input \(inputs: left, right\)/);
    const before = tf.memory().numTensors;
    const shape = await write([['x.left', [2, 3]], ['x.right', [2, 5]], ['y.cls', [2, 3]]]);
    expect(() => probeFileBatch(model, shape)).toThrow(/input 'right' has shape \[2,5\] but the model takes \[B,2\]/);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});
