import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useWasm } from '../helpers/backends.js';
import { init, rand } from '../helpers/models.js';
import { relErr } from '../helpers/random.js';

beforeAll(async () => {
  await useWasm();
});

/** Every kind of layer whose gradient the kernel fixes touch, in one small 2-task net. */
function net(): tf.LayersModel {
  const x = tf.input({ shape: [10, 10, 3] });
  let h = tf.layers.conv2d({ filters: 6, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', kernelInitializer: init(1) }).apply(x) as tf.SymbolicTensor;
  h = tf.layers.batchNormalization({}).apply(h) as tf.SymbolicTensor;
  h = tf.layers.separableConv2d({ filters: 8, kernelSize: 3, padding: 'same', depthMultiplier: 2, activation: 'relu', depthwiseInitializer: init(2), pointwiseInitializer: init(3) }).apply(h) as tf.SymbolicTensor;
  h = tf.layers.maxPooling2d({ poolSize: 2, padding: 'same' }).apply(h) as tf.SymbolicTensor;
  const z = tf.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'valid', activation: 'elu', kernelInitializer: init(4), name: 'shared' }).apply(h) as tf.SymbolicTensor;
  const flat = tf.layers.flatten().apply(z) as tf.SymbolicTensor;
  const a = tf.layers.dense({ units: 4, activation: 'softmax', name: 'a', kernelInitializer: init(5) }).apply(flat) as tf.SymbolicTensor;
  const avg = tf.layers.globalAveragePooling2d({}).apply(tf.layers.averagePooling2d({ poolSize: 1 }).apply(z) as tf.SymbolicTensor) as tf.SymbolicTensor;
  const b = tf.layers.dense({ units: 2, name: 'b', kernelInitializer: init(6) }).apply(avg) as tf.SymbolicTensor;
  const model = tf.model({ inputs: x, outputs: [a, b] });
  model.compile({ optimizer: tf.train.sgd(0.1), loss: { a: 'categoricalCrossentropy', b: 'meanSquaredError' } });
  return model;
}

async function trainOn(backend: string): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const model = net();
  const xs = rand([6, 10, 10, 3], 1);
  const ys = { a: tf.oneHot(tf.tensor1d([0, 1, 2, 3, 1, 2], 'int32'), 4).toFloat(), b: rand([6, 2], 2) };
  await model.fit(xs, ys, { epochs: 3, batchSize: 3, shuffle: false, verbose: 0 });
  const weights = model.getWeights().map((w) => Float32Array.from(w.dataSync()));
  tf.dispose([xs, ys.a, ys.b]);
  model.dispose();
  return weights;
}

describe('training on wasm with the kernel fixes', () => {
  it('gives the weights cpu gives after 6 SGD steps of a conv net (conv s2, separable, batch norm, pools, dense)', async () => {
    const cpu = await trainOn('cpu');
    const wasm = await trainOn('wasm');
    expect(wasm.length).toBe(cpu.length);
    wasm.forEach((w, i) => expect(relErr(w, cpu[i] as Float32Array), `weight ${i}`).toBeLessThan(1e-4));
  });
});
