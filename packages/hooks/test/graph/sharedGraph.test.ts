import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '@mtl-fd/capture';
import { layoutOfRank, splitAtSharedLayer } from '@mtl-fd/hooks';
import { useWasm } from '../helpers/backends.js';
import { linearHeads } from '../helpers/models.js';

beforeAll(async () => {
  await useWasm();
});

const dense = (units: number, name: string) => tf.layers.dense({ units, name });

function expectUserError(f: () => unknown, message: RegExp): void {
  let caught: unknown;
  try {
    f();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(UserError);
  expect((caught as Error).message).toMatch(message);
}

describe('splitAtSharedLayer', () => {
  it('splits a model into a weight-sharing backbone and heads', () => {
    const model = linearHeads();
    const graph = splitAtSharedLayer(model, 'shared');
    expect(graph.layout).toBe('NC');
    expect([...graph.outputs.keys()]).toEqual(['a', 'b']);
    expect(graph.backbone.outputs[0]?.shape).toEqual([null, 4]);
    // the backbone is the same layers: same weights
    expect(graph.backbone.trainableWeights.map((w) => w.read())).toEqual(model.getLayer('shared').trainableWeights.map((w) => w.read()));
    model.dispose();
  });

  it('names the layers when the shared layer does not exist', () => {
    const model = linearHeads();
    expectUserError(() => splitAtSharedLayer(model, 'trunk'), /shared layer 'trunk' is not a layer of model 'linear_heads' \(its layers: x, shared, a, b\)/);
    model.dispose();
  });

  it('refuses a head with a skip connection around the shared layer', () => {
    const x = tf.input({ shape: [4] });
    const stem = dense(3, 'stem').apply(x) as tf.SymbolicTensor;
    const z = dense(3, 'shared').apply(stem) as tf.SymbolicTensor;
    const skip = tf.layers.add({ name: 'skip_add' }).apply([z, stem]) as tf.SymbolicTensor;
    const a = dense(1, 'a').apply(skip) as tf.SymbolicTensor;
    const b = dense(1, 'b').apply(z) as tf.SymbolicTensor;
    const model = tf.model({ inputs: x, outputs: [a, b] });
    expectUserError(() => splitAtSharedLayer(model, 'shared'), /output 'a' reads layer 'stem' through 'skip_add', and 'stem' is not downstream of shared layer 'shared'/);
    model.dispose();
  });

  it('refuses an output that does not depend on the shared layer', () => {
    const x = tf.input({ shape: [4] });
    const z = dense(3, 'shared').apply(x) as tf.SymbolicTensor;
    const a = dense(1, 'a').apply(z) as tf.SymbolicTensor;
    const b = dense(1, 'b').apply(x) as tf.SymbolicTensor;
    const model = tf.model({ inputs: x, outputs: [a, b] });
    expectUserError(() => splitAtSharedLayer(model, 'shared'), /output 'b' does not depend on shared layer 'shared'/);
    model.dispose();
  });

  it('refuses a shared layer called twice', () => {
    const x1 = tf.input({ shape: [4] });
    const x2 = tf.input({ shape: [4] });
    const shared = dense(3, 'shared');
    const a = dense(1, 'a').apply(shared.apply(x1)) as tf.SymbolicTensor;
    const b = dense(1, 'b').apply(shared.apply(x2)) as tf.SymbolicTensor;
    const model = tf.model({ inputs: [x1, x2], outputs: [a, b] });
    expectUserError(() => splitAtSharedLayer(model, 'shared'), /is called 2 times/);
    model.dispose();
  });

  it('refuses a single-output model', () => {
    const x = tf.input({ shape: [4] });
    const model = tf.model({ inputs: x, outputs: dense(1, 'a').apply(dense(3, 'shared').apply(x)) as tf.SymbolicTensor });
    expectUserError(() => splitAtSharedLayer(model, 'shared'), /has 1 output: a multi-task capture needs one output per task/);
    model.dispose();
  });

  it('reads the layout from the rank (tfjs is channels-last)', () => {
    expect([2, 3, 4].map((r) => layoutOfRank(r, 'z'))).toEqual(['NC', 'NLC', 'NHWC']);
    expectUserError(() => layoutOfRank(5, 'the output of shared layer c3'), /the output of shared layer c3 has rank 5/);
  });

  it('records a channels-first shared layer as NCHW, also through a layer without a data format after it', () => {
    const input = tf.input({ shape: [3, 6, 6] });
    const conv = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', dataFormat: 'channelsFirst', name: 'conv' }).apply(input) as tf.SymbolicTensor;
    const act = tf.layers.activation({ activation: 'relu', name: 'act' }).apply(conv) as tf.SymbolicTensor;
    const flat = tf.layers.flatten().apply(act) as tf.SymbolicTensor;
    const a = tf.layers.dense({ units: 1, name: 'a' }).apply(flat) as tf.SymbolicTensor;
    const b = tf.layers.dense({ units: 1, name: 'b' }).apply(flat) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: [a, b] });
    expect(splitAtSharedLayer(model, 'conv').layout).toBe('NCHW');
    expect(splitAtSharedLayer(model, 'act').layout).toBe('NCHW');
    expect(layoutOfRank(3, 'z', 'channelsFirst')).toBe('NCL');
    model.dispose();
  });
});
