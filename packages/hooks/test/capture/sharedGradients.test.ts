import * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { readCapture } from '@mtl-fd/capture';
import { applyHead, createProbe, splitAtSharedLayer } from '@mtl-fd/hooks';
import { useWasm } from '../helpers/backends.js';
import { init, linearHeads, rand } from '../helpers/models.js';
import { relErr } from '../helpers/random.js';
import { tempDir } from '../helpers/tmp.js';

let root: string;
beforeAll(async () => {
  await useWasm();
  root = await tempDir();
});

/**
 * dL/dz for a linear head `y = z W + b` with MSE over M rows of `out` values:
 * `2 / (M * out) * (z W + b - y) W^T`, in float64.
 */
function linearMseGrad(z: ArrayLike<number>, w: ArrayLike<number>, b: ArrayLike<number>, y: ArrayLike<number>, k: number, out: number): Float64Array {
  const rows = z.length / k;
  const g = new Float64Array(z.length);
  for (let r = 0; r < rows; r++) {
    for (let o = 0; o < out; o++) {
      let pred = b[o] as number;
      for (let i = 0; i < k; i++) pred += (z[r * k + i] as number) * (w[i * out + o] as number);
      const e = (2 / (rows * out)) * (pred - (y[r * out + o] as number));
      for (let i = 0; i < k; i++) g[r * k + i] = (g[r * k + i] as number) + e * (w[i * out + o] as number);
    }
  }
  return g;
}

async function captureOnce(model: tf.LayersModel, name: string, xs: tf.Tensor, ys: Record<string, tf.Tensor>) {
  const probe = createProbe(model, { runDir: join(root, name), sharedLayer: 'shared', probe: { xs, ys }, onError: 'throw' });
  const file = await probe.capture(0);
  return readCapture(file as string);
}

describe('gradients w.r.t. the shared representation', () => {
  const cases: [string, () => tf.LayersModel, number[], string][] = [
    ['NC: dense heads', linearHeads, [6, 5], 'NC'],
    ['NLC: dense heads on sequences', () => {
      const x = tf.input({ shape: [4, 3] });
      const z = tf.layers.dense({ units: 5, activation: 'tanh', name: 'shared', kernelInitializer: init(1) }).apply(x) as tf.SymbolicTensor;
      const a = tf.layers.dense({ units: 3, name: 'a', kernelInitializer: init(2), biasInitializer: init(3) }).apply(z) as tf.SymbolicTensor;
      const b = tf.layers.dense({ units: 2, name: 'b', kernelInitializer: init(4), biasInitializer: init(5) }).apply(z) as tf.SymbolicTensor;
      const m = tf.model({ inputs: x, outputs: [a, b] });
      m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
      return m;
    }, [5, 4, 3], 'NLC'],
    ['NHWC: 1x1 conv heads', () => {
      const x = tf.input({ shape: [5, 5, 2] });
      const z = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'tanh', name: 'shared', kernelInitializer: init(1) }).apply(x) as tf.SymbolicTensor;
      const a = tf.layers.conv2d({ filters: 3, kernelSize: 1, name: 'a', kernelInitializer: init(2), biasInitializer: init(3) }).apply(z) as tf.SymbolicTensor;
      const b = tf.layers.conv2d({ filters: 2, kernelSize: 1, name: 'b', kernelInitializer: init(4), biasInitializer: init(5) }).apply(z) as tf.SymbolicTensor;
      const m = tf.model({ inputs: x, outputs: [a, b] });
      m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
      return m;
    }, [3, 5, 5, 2], 'NHWC'],
  ];

  for (const [name, build, xShape, layout] of cases) {
    it(`match the closed form of a linear head with MSE to 1e-5 (${name})`, async () => {
      const model = build();
      const xs = rand(xShape, 7);
      const zShape = (model.getLayer('shared').outputShape as number[]).slice(1);
      const rows = xShape[0] as number;
      const outA = model.getLayer('a').outputShape as number[];
      const outB = model.getLayer('b').outputShape as number[];
      const ys = { a: rand([rows, ...outA.slice(1)], 8), b: rand([rows, ...outB.slice(1)], 9) };
      const cap = await captureOnce(model, `closed-${layout}`, xs, ys);
      expect(cap.meta.layout).toBe(layout);
      expect(cap.shape).toEqual([rows, ...zShape]);
      const k = zShape[zShape.length - 1] as number;
      for (const head of ['a', 'b']) {
        const [w, b] = model.getLayer(head).getWeights().map((t) => t.dataSync());
        const out = (b as Float32Array).length;
        const expected = linearMseGrad(cap.features, w as Float32Array, b as Float32Array, ys[head as 'a' | 'b'].dataSync(), k, out);
        expect(relErr(cap.grads[head] as Float32Array, expected)).toBeLessThan(1e-5);
        // and the stored loss is that MSE
        const pred = model.getLayer(head).apply(tf.tensor(cap.features, cap.shape)) as tf.Tensor;
        const mse = tf.mean(tf.square(tf.sub(pred, ys[head as 'a' | 'b']))).dataSync()[0] as number;
        expect(cap.losses[head]).toBeCloseTo(mse, 6);
      }
      tf.dispose([xs, ...Object.values(ys)]);
      model.dispose();
    });
  }

  /**
   * x -> stem -> 'shared' (z) -> three heads: one branches in two and merges them
   * again (add), one concatenates its trunk with a second branch straight from z and
   * carries dropout and batch norm, and a third shares that trunk.
   */
  function branchingModel(): tf.LayersModel {
    const d = (units: number, activation: 'tanh' | 'sigmoid' | 'elu' | 'softmax' | 'linear', name: string, seed: number) =>
      tf.layers.dense({ units, activation, name, kernelInitializer: init(seed), biasInitializer: init(seed + 50) });
    const x = tf.input({ shape: [6] });
    const stem = d(8, 'tanh', 'stem', 1).apply(x) as tf.SymbolicTensor;
    const z = d(5, 'tanh', 'shared', 2).apply(stem) as tf.SymbolicTensor;
    const h1 = d(6, 'tanh', 'h1', 3).apply(z) as tf.SymbolicTensor;
    const p = d(4, 'sigmoid', 'h1p', 4).apply(h1) as tf.SymbolicTensor;
    const q = d(4, 'tanh', 'h1q', 5).apply(h1) as tf.SymbolicTensor;
    const merged = tf.layers.add({ name: 'h1add' }).apply([p, q]) as tf.SymbolicTensor;
    const out1 = d(3, 'softmax', 'out1', 6).apply(d(4, 'tanh', 'h1b', 7).apply(merged) as tf.SymbolicTensor) as tf.SymbolicTensor;
    let t2 = d(4, 'elu', 'h2', 8).apply(z) as tf.SymbolicTensor;
    t2 = tf.layers.dropout({ rate: 0.5, name: 'h2drop' }).apply(t2) as tf.SymbolicTensor;
    t2 = tf.layers.batchNormalization({ name: 'h2bn', movingMeanInitializer: init(9), movingVarianceInitializer: 'ones' }).apply(t2) as tf.SymbolicTensor;
    const side = d(2, 'tanh', 'h2side', 10).apply(z) as tf.SymbolicTensor;
    const cat = tf.layers.concatenate({ name: 'h2cat' }).apply([t2, side]) as tf.SymbolicTensor;
    const out2 = d(2, 'linear', 'out2', 11).apply(cat) as tf.SymbolicTensor;
    const out3 = d(1, 'sigmoid', 'out3', 12).apply(t2) as tf.SymbolicTensor;
    const m = tf.model({ inputs: x, outputs: [out1, out2, out3] });
    m.compile({ optimizer: 'sgd', loss: { out1: 'categoricalCrossentropy', out2: 'meanSquaredError', out3: 'binaryCrossentropy' } });
    return m;
  }

  it('match central finite differences for a deep, branching, merging head', async () => {
    const model = branchingModel();
    const b = 5;
    const xs = rand([b, 6], 21);
    const ys = {
      out1: tf.oneHot(tf.tensor1d([0, 2, 1, 1, 0], 'int32'), 3).toFloat(),
      out2: rand([b, 2], 22),
      out3: tf.tensor2d([[1], [0], [1], [1], [0]]),
    };
    const bnBefore = model.getLayer('h2bn').getWeights().map((w) => Array.from(w.dataSync()));
    const cap = await captureOnce(model, 'branching', xs, ys);
    // inference mode: batch norm's moving statistics are untouched
    expect(model.getLayer('h2bn').getWeights().map((w) => Array.from(w.dataSync()))).toEqual(bnBefore);

    const graph = splitAtSharedLayer(model, 'shared');
    const losses = model.lossFunctions;
    const z0 = tf.tensor(cap.features, cap.shape);
    const eps = 1e-2;
    model.outputNames.forEach((name, i) => {
      const loss = (zz: tf.Tensor) =>
        tf.tidy(() => tf.mean((losses[i] as (a: tf.Tensor, b: tf.Tensor) => tf.Tensor)(ys[name as keyof typeof ys], applyHead(graph, zz, model.outputs[i] as tf.SymbolicTensor))).dataSync()[0] as number);
      expect(cap.losses[name]).toBeCloseTo(loss(z0), 5);
      const g = cap.grads[name] as Float32Array;
      for (let dir = 0; dir < 4; dir++) {
        const v = rand(cap.shape, 300 + dir);
        const vd = v.dataSync();
        let analytic = 0;
        for (let j = 0; j < g.length; j++) analytic += (g[j] as number) * (vd[j] as number);
        const plus = tf.tidy(() => tf.add(z0, tf.mul(v, eps)));
        const minus = tf.tidy(() => tf.sub(z0, tf.mul(v, eps)));
        const fd = (loss(plus) - loss(minus)) / (2 * eps);
        tf.dispose([v, plus, minus]);
        expect(Math.abs(fd - analytic), `${name}, direction ${dir}: fd ${fd} vs ${analytic}`).toBeLessThan(2e-3 * Math.max(Math.abs(analytic), 1e-2));
      }
    });
    z0.dispose();
    tf.dispose([xs, ...Object.values(ys)]);
    model.dispose();
  });

  it('run the backbone once per capture, not once per task', async () => {
    const model = branchingModel();
    const xs = rand([3, 6], 31);
    const ys = { out1: tf.oneHot(tf.tensor1d([0, 2, 1], 'int32'), 3).toFloat(), out2: rand([3, 2], 32), out3: tf.tensor2d([[1], [0], [1]]) };
    const probe = createProbe(model, { runDir: join(root, 'once'), sharedLayer: 'shared', probe: { xs, ys }, onError: 'throw' });
    const stem = vi.spyOn(model.getLayer('stem'), 'call');
    const head = vi.spyOn(model.getLayer('h2'), 'call');
    await probe.capture(0);
    expect(stem).toHaveBeenCalledTimes(1);
    // out2 and out3 both need the h2 trunk; out1 does not
    expect(head).toHaveBeenCalledTimes(2);
    stem.mockRestore();
    head.mockRestore();
    tf.dispose([xs, ...Object.values(ys)]);
    model.dispose();
  });
});
