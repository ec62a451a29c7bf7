import * as tf from '@tensorflow/tfjs';
import { HEIGHT, WIDTH, type TaskName } from './data.js';

/** Name of the layer whose output every head reads: the shared representation z. */
export const SHARED_LAYER = 'shared';

export interface TaskSpec {
  name: TaskName;
  kind: 'classification' | 'regression';
  /** the loss each output is compiled with */
  loss: 'categoricalCrossentropy' | 'meanSquaredError';
  /** output units */
  units: number;
}

export const TASK_SPECS: Record<TaskName, TaskSpec> = {
  left: { name: 'left', kind: 'classification', loss: 'categoricalCrossentropy', units: 10 },
  right: { name: 'right', kind: 'classification', loss: 'categoricalCrossentropy', units: 10 },
  sum: { name: 'sum', kind: 'regression', loss: 'meanSquaredError', units: 1 },
};

export interface ModelSizes {
  /** channels of the two conv layers */
  conv1: number;
  conv2: number;
  /** hidden units of each head */
  hidden: number;
}

export const DEFAULT_SIZES: ModelSizes = { conv1: 16, conv2: 32, hidden: 64 };

/**
 * Seeds for every initialiser, drawn once per experiment so that every run
 * (every MTL method and every single-task baseline) starts from the same backbone
 * and, task by task, the same head.
 */
export interface InitSeeds {
  conv1: number;
  conv2: number;
  heads: Record<TaskName, [number, number]>;
}

export function drawInitSeeds(next: () => number): InitSeeds {
  return {
    conv1: next(),
    conv2: next(),
    heads: { left: [next(), next()], right: [next(), next()], sum: [next(), next()] },
  };
}

/**
 * A LeNet-style shared backbone (conv 5x5, pool, conv 5x5, pool: z is
 * [B, 4, 6, conv2], NHWC) and one head per task (flatten, dense+relu, dense).
 * The heads' output layers are named after their tasks. With `sharedHead`, task
 * `sharedHead.task` has no head of its own: its output is `sharedHead.of`'s.
 */
export function buildModel(
  tasks: readonly TaskName[],
  seeds: InitSeeds,
  sizes: ModelSizes = DEFAULT_SIZES,
  sharedHead?: { task: TaskName; of: TaskName },
): tf.LayersModel {
  const glorot = (seed: number) => tf.initializers.glorotUniform({ seed });
  const input = tf.input({ shape: [HEIGHT, WIDTH, 1], name: 'image' });
  let h = tf.layers
    .conv2d({ filters: sizes.conv1, kernelSize: 5, activation: 'relu', kernelInitializer: glorot(seeds.conv1), name: 'conv1' })
    .apply(input) as tf.SymbolicTensor;
  h = tf.layers.maxPooling2d({ poolSize: 2, name: 'pool1' }).apply(h) as tf.SymbolicTensor;
  h = tf.layers
    .conv2d({ filters: sizes.conv2, kernelSize: 5, activation: 'relu', kernelInitializer: glorot(seeds.conv2), name: 'conv2' })
    .apply(h) as tf.SymbolicTensor;
  const z = tf.layers.maxPooling2d({ poolSize: 2, name: SHARED_LAYER }).apply(h) as tf.SymbolicTensor;
  const head = (t: TaskName): tf.SymbolicTensor => {
    const spec = TASK_SPECS[t];
    const [s1, s2] = seeds.heads[t];
    let o = tf.layers.flatten({ name: `${t}_flatten` }).apply(z) as tf.SymbolicTensor;
    o = tf.layers.dense({ units: sizes.hidden, activation: 'relu', kernelInitializer: glorot(s1), name: `${t}_hidden` }).apply(o) as tf.SymbolicTensor;
    return tf.layers
      .dense({ units: spec.units, activation: spec.kind === 'classification' ? 'softmax' : 'linear', kernelInitializer: glorot(s2), name: t })
      .apply(o) as tf.SymbolicTensor;
  };
  const own = new Map(tasks.filter((t) => t !== sharedHead?.task).map((t) => [t, head(t)]));
  const outputs = tasks.map((t) => {
    const out = own.get(t);
    if (out) return out;
    const of = own.get(sharedHead!.of);
    if (!of) throw new Error(`sharedHead: task ${sharedHead!.of} is not among ${tasks.join(', ')}`);
    // the other task's head under this task's output name (a linear identity layer)
    return tf.layers.activation({ activation: 'linear', name: t }).apply(of) as tf.SymbolicTensor;
  });
  return tf.model({ inputs: input, outputs, name: tasks.length > 1 ? 'multimnist_mtl' : `multimnist_stl_${tasks[0]}` });
}

/** The loss of one task on a batch (mean reduction), as the model is compiled with it. */
export function taskLoss(task: TaskName, yTrue: tf.Tensor, yPred: tf.Tensor): tf.Scalar {
  const spec = TASK_SPECS[task];
  return spec.loss === 'categoricalCrossentropy'
    ? (tf.metrics.categoricalCrossentropy(yTrue, yPred).mean() as tf.Scalar)
    : (tf.losses.meanSquaredError(yTrue, yPred) as tf.Scalar);
}
