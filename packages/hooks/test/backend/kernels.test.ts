import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { WASM_KERNEL_FIXES } from '@mtl-fd/hooks';
import { backendBuffers, runOn, useWasm } from '../helpers/backends.js';
import { relErr, size, uniform } from '../helpers/random.js';

// Every replacement kernel (and the shipped gradient kernels training relies on) is
// checked against the cpu backend: values to 1e-5 relative, no leaked tensors and no
// leaked backend buffers on wasm.

const TOL = 1e-5;

beforeAll(async () => {
  await useWasm();
});

function t(shape: number[], seed: number): tf.Tensor {
  return tf.tensor(uniform(size(shape), seed), shape);
}

/** Compares `f` on wasm against cpu, and checks wasm leaks nothing. */
async function sameAsCpu(f: () => tf.Tensor | tf.Tensor[], tol = TOL): Promise<void> {
  const ref = await runOn('cpu', f);
  await tf.setBackend('wasm');
  const tensors = tf.memory().numTensors;
  const buffers = backendBuffers();
  const got = await runOn('wasm', f);
  expect(tf.memory().numTensors).toBe(tensors);
  expect(backendBuffers()).toBe(buffers);
  expect(got.length).toBe(ref.length);
  got.forEach((g, i) => expect(relErr(g, ref[i] as Float32Array), `output ${i}`).toBeLessThan(tol));
}

/** The value and the gradients of sum(f(inputs) * r) w.r.t. every input. */
function withGrads(shapes: number[][], f: (...xs: tf.Tensor[]) => tf.Tensor): () => tf.Tensor[] {
  return () => {
    const xs = shapes.map((s, i) => t(s, 11 + i));
    const y = f(...xs);
    const r = t(y.shape, 99);
    const g = tf.grads((...a: tf.Tensor[]) => tf.sum(tf.mul(f(...a), r)))(xs);
    return [y, ...g];
  };
}

describe('wasm kernel fixes', () => {
  it('lists what it replaces', () => {
    expect(Object.keys(WASM_KERNEL_FIXES)).toEqual(expect.arrayContaining(['Conv2DBackpropFilter', 'BatchMatMul', '_FusedMatMul']));
    expect(tf.getBackend()).toBe('wasm');
  });

  const convCases: [string, number[], number[], number | [number, number], 'same' | 'valid' | number][] = [
    ['3x3 s1 same', [2, 7, 6, 3], [3, 3, 3, 4], 1, 'same'],
    ['3x3 s2 same', [2, 8, 7, 3], [3, 3, 3, 5], 2, 'same'],
    ['3x3 s2 valid, odd size', [3, 9, 9, 2], [3, 3, 2, 4], 2, 'valid'],
    ['5x5 s3 valid, rows left unread', [2, 12, 11, 2], [5, 5, 2, 3], 3, 'valid'],
    ['2x4 s(2,1) same', [1, 6, 9, 4], [2, 4, 4, 3], [2, 1], 'same'],
    ['1x1 s2', [2, 5, 5, 3], [1, 1, 3, 6], 2, 'valid'],
    ['3x3 s1 pad 1', [2, 6, 6, 2], [3, 3, 2, 2], 1, 1],
  ];
  for (const [name, xs, ws, stride, pad] of convCases) {
    it(`conv2d gradients: ${name}`, async () => {
      await sameAsCpu(withGrads([xs, ws], (x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, stride, pad)));
    });
  }

  it('fused conv2d (bias + relu) gradients', async () => {
    await sameAsCpu(withGrads([[2, 7, 7, 3], [3, 3, 3, 4], [4]], (x, w, b) =>
      tf.fused.conv2d({ x: x as tf.Tensor4D, filter: w as tf.Tensor4D, strides: 2, pad: 'same', bias: b, activation: 'relu' })));
  });

  const dwCases: [string, number[], number[], number, 'same' | 'valid'][] = [
    ['mult 1 s1 same', [2, 7, 7, 3], [3, 3, 3, 1], 1, 'same'],
    ['mult 2 s2 same', [2, 8, 9, 3], [3, 3, 3, 2], 2, 'same'],
    ['mult 3 s2 valid', [1, 9, 7, 2], [3, 3, 2, 3], 2, 'valid'],
  ];
  for (const [name, xs, ws, stride, pad] of dwCases) {
    it(`depthwise conv2d gradients: ${name}`, async () => {
      await sameAsCpu(withGrads([xs, ws], (x, w) => tf.depthwiseConv2d(x as tf.Tensor4D, w as tf.Tensor4D, stride, pad)));
    });
  }

  it('depthwise backprop kernels with dilation 2 equal dilation 1 with a zero-stuffed filter', async () => {
    // (tfjs never asks for dilated depthwise gradients, and the cpu kernels ignore
    // dilation, so the reference is the same convolution with holes in the filter)
    const run = (kernel: string, inputs: object, attrs: object) => tf.engine().runKernel(kernel, inputs as never, attrs as never) as tf.Tensor;
    const stuff = (w: tf.Tensor) => tf.reshape(tf.pad(tf.reshape(w, [3, 1, 3, 1, 2, 2]), [[0, 0], [0, 1], [0, 0], [0, 1], [0, 0], [0, 0]]), [6, 6, 2, 2]).slice([0, 0], [5, 5]);
    const inputs = () => ({ x: t([2, 9, 8, 2], 1), dy: t([2, 9, 8, 4], 2), w: t([3, 3, 2, 2], 3) });
    const ref = await runOn('cpu', () => {
      const { x, dy, w } = inputs();
      const attrs = { strides: [1, 1], dilations: [1, 1], pad: 'same' };
      const dx = run('DepthwiseConv2dNativeBackpropInput', { dy, filter: stuff(w) }, { ...attrs, inputShape: x.shape });
      const dwFull = run('DepthwiseConv2dNativeBackpropFilter', { x, dy }, { ...attrs, filterShape: [5, 5, 2, 2] });
      return [dx, tf.stridedSlice(dwFull, [0, 0], [5, 5], [2, 2])];
    });
    const got = await runOn('wasm', () => {
      const { x, dy, w } = inputs();
      const attrs = { strides: [1, 1], dilations: [2, 2], pad: 'same' };
      return [
        run('DepthwiseConv2dNativeBackpropInput', { dy, filter: w }, { ...attrs, inputShape: x.shape }),
        run('DepthwiseConv2dNativeBackpropFilter', { x, dy }, { ...attrs, filterShape: w.shape }),
      ];
    });
    got.forEach((g, i) => expect(relErr(g, ref[i] as Float32Array), `output ${i}`).toBeLessThan(TOL));
  });

  for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]] as const) {
    it(`matMul, transposeA=${ta} transposeB=${tb}: batched gradients, broadcast values`, async () => {
      await sameAsCpu(withGrads([ta ? [3, 5, 4] : [3, 4, 5], tb ? [3, 6, 5] : [3, 5, 6]], (a, b) => tf.matMul(a, b, ta, tb)));
      // (tfjs's own matMul gradient does not reduce broadcast batch axes, on any backend)
      await sameAsCpu(() => tf.matMul(t(ta ? [3, 5, 4] : [3, 4, 5], 1), t(tb ? [6, 5] : [5, 6], 2), ta, tb));
    });
  }

  for (const activation of ['linear', 'relu', 'relu6', 'elu', 'sigmoid', 'leakyrelu'] as const) {
    it(`fused matMul, batched with bias, ${activation}`, async () => {
      await sameAsCpu(withGrads([[3, 4, 5], [3, 5, 6], [6]], (a, b, bias) =>
        tf.fused.matMul({ a, b, bias, activation, leakyreluAlpha: 0.3 })));
    });
  }

  it('fused matMul, rank 2 with bias (the shipped fast path) and with transposes', async () => {
    await sameAsCpu(withGrads([[4, 5], [5, 6], [6]], (a, b, bias) => tf.fused.matMul({ a, b, bias, activation: 'relu' })));
    await sameAsCpu(withGrads([[5, 4], [6, 5], [6]], (a, b, bias) => tf.fused.matMul({ a, b, bias, transposeA: true, transposeB: true })));
  });

  it('fused matMul with prelu', async () => {
    await sameAsCpu(withGrads([[2, 4, 5], [2, 5, 6], [6], [6]], (a, b, bias, alpha) =>
      tf.fused.matMul({ a, b, bias, activation: 'prelu', preluActivationWeights: alpha })));
  });

  it('unsortedSegmentSum and the gather gradient', async () => {
    await sameAsCpu(() => {
      const x = t([6, 3, 2], 4);
      const ids = tf.tensor1d([2, 0, 2, 1, 4, 0], 'int32');
      return tf.unsortedSegmentSum(x, ids, 5);
    });
    await sameAsCpu(() => {
      const table = t([7, 4], 5);
      const idx = tf.tensor2d([[1, 3, 3], [6, 0, 1]], [2, 3], 'int32');
      const r = t([2, 3, 4], 6);
      return tf.grad((w: tf.Tensor) => tf.sum(tf.mul(tf.gather(w, idx), r)))(table);
    });
  });

  it('tile: broadcast path (float32, int32) and the shipped fallback (bool, > 6 broadcast axes)', async () => {
    await sameAsCpu(withGrads([[2, 1, 3]], (x) => tf.tile(x, [3, 4, 2])));
    await sameAsCpu(withGrads([[1, 1, 1, 5]], (x) => tf.tile(x, [2, 3, 4, 1])));
    await sameAsCpu(() => tf.tile(tf.tensor2d([[1, -2], [3, 4]], [2, 2], 'int32'), [2, 3]).toFloat());
    await sameAsCpu(() => tf.tile(tf.tensor1d([true, false], 'bool'), [3]).toFloat());
    await sameAsCpu(() => tf.tile(t([2, 2, 2, 2], 8), [2, 2, 2, 2]));
  });

  const shipped: [string, number[][], (...xs: tf.Tensor[]) => tf.Tensor][] = [
    ['maxPool 2x2 s2 valid', [[2, 8, 8, 3]], (x) => tf.maxPool(x as tf.Tensor4D, 2, 2, 'valid')],
    ['maxPool 3x3 s2 same', [[2, 7, 7, 3]], (x) => tf.maxPool(x as tf.Tensor4D, 3, 2, 'same')],
    ['maxPool 2x2 s2 after relu (tied zeros)', [[2, 6, 6, 2]], (x) => tf.maxPool(tf.relu(tf.sub(x, 0.4)) as tf.Tensor4D, 2, 2, 'valid')],
    ['maxPool 2x2 s1 same, all-negative windows', [[1, 5, 5, 2]], (x) => tf.maxPool(tf.sub(tf.abs(x), 2) as tf.Tensor4D, 2, 1, 'same')],
    ['avgPool 2x2 s2 valid', [[2, 8, 8, 3]], (x) => tf.avgPool(x as tf.Tensor4D, 2, 2, 'valid')],
    ['avgPool 3x3 s2 same', [[2, 7, 7, 3]], (x) => tf.avgPool(x as tf.Tensor4D, 3, 2, 'same')],
    ['relu', [[4, 6]], (x) => tf.relu(x)],
    ['relu6', [[4, 6]], (x) => tf.relu6(tf.mul(x, 8))],
    ['batchNorm with batch moments', [[4, 3, 3, 5], [5], [5]], (x, g, b) => {
      const { mean, variance } = tf.moments(x, [0, 1, 2]);
      return tf.batchNorm(x, mean, variance, b, g, 1e-3);
    }],
    ['softmax cross-entropy', [[5, 4]], (x) => tf.losses.softmaxCrossEntropy(tf.oneHot(tf.tensor1d([0, 3, 1, 2, 3], 'int32'), 4), x)],
    ['sigmoid, tanh', [[5, 4]], (x) => tf.sigmoid(tf.tanh(x))],
  ];
  for (const [name, shapes, f] of shipped) {
    it(`shipped gradient training relies on: ${name}`, async () => {
      await sameAsCpu(withGrads(shapes, f));
    });
  }
});
