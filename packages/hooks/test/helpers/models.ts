import * as tf from '@tensorflow/tfjs';
import { size, uniform } from './random.js';

/** A tensor of uniform [-1, 1) values from a seed. */
export function rand(shape: number[], seed: number): tf.Tensor {
  return tf.tensor(uniform(size(shape), seed), shape);
}

/** Seeded initializer so models are identical on every backend and run. */
export function init(seed: number): ReturnType<typeof tf.initializers.randomUniform> {
  return tf.initializers.randomUniform({ minval: -0.5, maxval: 0.5, seed });
}

/**
 * x [B, 5] -> dense 'shared' (4, tanh) -> z; heads 'a' (dense 3) and 'b' (dense 2),
 * both linear with MSE: the closed-form case.
 */
export function linearHeads(): tf.LayersModel {
  const x = tf.input({ shape: [5], name: 'x' });
  const z = tf.layers.dense({ units: 4, activation: 'tanh', name: 'shared', kernelInitializer: init(1), biasInitializer: init(2) }).apply(x) as tf.SymbolicTensor;
  const a = tf.layers.dense({ units: 3, name: 'a', kernelInitializer: init(3), biasInitializer: init(4) }).apply(z) as tf.SymbolicTensor;
  const b = tf.layers.dense({ units: 2, name: 'b', kernelInitializer: init(5), biasInitializer: init(6) }).apply(z) as tf.SymbolicTensor;
  const model = tf.model({ inputs: x, outputs: [a, b], name: 'linear_heads' });
  model.compile({ optimizer: tf.train.sgd(0.05), loss: 'meanSquaredError' });
  return model;
}

/**
 * A small conv multi-task net on 8x8x2 images: conv backbone ending in 'shared'
 * (NHWC), a segmentation-like conv head 'seg', and two pooled dense heads.
 */
export function convNet(): tf.LayersModel {
  const x = tf.input({ shape: [8, 8, 2], name: 'image' });
  let h = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init(11), name: 'conv1' }).apply(x) as tf.SymbolicTensor;
  h = tf.layers.maxPooling2d({ poolSize: 2, name: 'pool1' }).apply(h) as tf.SymbolicTensor;
  const z = tf.layers.conv2d({ filters: 6, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init(12), name: 'shared' }).apply(h) as tf.SymbolicTensor;
  // (tfjs fit adds the per-sample losses of all outputs, so every loss must come out [B]: flatten the map)
  const segMap = tf.layers.conv2d({ filters: 1, kernelSize: 1, name: 'seg_map', kernelInitializer: init(13) }).apply(z) as tf.SymbolicTensor;
  const seg = tf.layers.flatten({ name: 'seg' }).apply(segMap) as tf.SymbolicTensor;
  const pooled = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(z) as tf.SymbolicTensor;
  const cls = tf.layers.dense({ units: 3, activation: 'softmax', name: 'cls', kernelInitializer: init(14) }).apply(pooled) as tf.SymbolicTensor;
  const reg = tf.layers.dense({ units: 1, name: 'reg', kernelInitializer: init(15) }).apply(pooled) as tf.SymbolicTensor;
  const model = tf.model({ inputs: x, outputs: [seg, cls, reg], name: 'conv_net' });
  model.compile({ optimizer: tf.train.sgd(0.05), loss: { seg: 'meanSquaredError', cls: 'categoricalCrossentropy', reg: 'meanAbsoluteError' } });
  return model;
}

/** Inputs and targets for `convNet`. */
export function convData(n: number, seed: number): { xs: tf.Tensor; ys: Record<string, tf.Tensor> } {
  return tf.tidy(() => ({
    xs: rand([n, 8, 8, 2], seed),
    ys: {
      seg: rand([n, 16], seed + 1),
      cls: tf.oneHot(tf.tensor1d(Array.from({ length: n }, (_, i) => (i * 7 + seed) % 3), 'int32'), 3).toFloat(),
      reg: rand([n, 1], seed + 2),
    },
  }));
}
