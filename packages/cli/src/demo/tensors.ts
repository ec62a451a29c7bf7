import * as tf from '@tensorflow/tfjs';
import { buildMultiMnist, sumTarget, TASKS, type MultiMnist, type TaskName } from './data.js';
import { SeededRandom } from '@mtl-fd/metrics';

/** The demo's data as tensors, built once and shared by every run. */
export interface DemoTensors {
  train: MultiMnist;
  test: MultiMnist;
  trainX: tf.Tensor4D;
  trainY: Record<TaskName, tf.Tensor2D>;
  testX: tf.Tensor4D;
  testY: Record<TaskName, tf.Tensor2D>;
  /** the fixed probe batch every capture uses: the first `probeSize` training examples */
  probeX: tf.Tensor4D;
  probeY: Record<TaskName, tf.Tensor2D>;
}

function targets(d: MultiMnist): Record<TaskName, tf.Tensor2D> {
  return tf.tidy(() => {
    const sum = new Float32Array(d.count);
    for (let i = 0; i < d.count; i++) sum[i] = sumTarget(d.left[i]!, d.right[i]!);
    return {
      left: tf.oneHot(tf.tensor1d(d.left, 'int32'), 10).toFloat() as tf.Tensor2D,
      right: tf.oneHot(tf.tensor1d(d.right, 'int32'), 10).toFloat() as tf.Tensor2D,
      sum: tf.tensor2d(sum, [d.count, 1]),
    };
  });
}

export function makeTensors(trainSize: number, testSize: number, probeSize: number, seed: number): DemoTensors {
  const train = buildMultiMnist('train', trainSize, seed);
  const test = buildMultiMnist('test', testSize, seed);
  const trainX = tf.tensor4d(train.x, [train.count, train.height, train.width, 1]);
  const testX = tf.tensor4d(test.x, [test.count, test.height, test.width, 1]);
  const trainY = targets(train);
  const testY = targets(test);
  const p = Math.min(probeSize, train.count);
  const probeX = tf.slice(trainX, [0, 0, 0, 0], [p, -1, -1, -1]);
  const probeY = Object.fromEntries(TASKS.map((t) => [t, tf.slice(trainY[t], [0, 0], [p, -1])])) as Record<TaskName, tf.Tensor2D>;
  return { train, test, trainX, trainY, testX, testY, probeX, probeY };
}

export function disposeTensors(d: DemoTensors): void {
  tf.dispose([d.trainX, d.testX, d.probeX, ...Object.values(d.trainY), ...Object.values(d.testY), ...Object.values(d.probeY)]);
}

/** The order of the training examples in epoch `epoch`: the same for every run of an experiment. */
export function epochOrder(seed: number, epoch: number, n: number): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  new SeededRandom(seed * 7919 + epoch * 104729 + 17).shuffle(order);
  return order;
}

/** The batches of one epoch, as index arrays (the last one may be short). */
export function epochBatches(seed: number, epoch: number, n: number, batchSize: number): Int32Array[] {
  const order = epochOrder(seed, epoch, n);
  const out: Int32Array[] = [];
  for (let s = 0; s < n; s += batchSize) out.push(order.subarray(s, Math.min(n, s + batchSize)));
  return out;
}

/** Gathers one batch of inputs and the targets of the given tasks. */
export function gatherBatch(d: DemoTensors, idx: Int32Array, tasks: readonly TaskName[]): { xs: tf.Tensor4D; ys: Record<string, tf.Tensor2D> } {
  return tf.tidy(() => {
    const i = tf.tensor1d(idx, 'int32');
    const xs = tf.gather(d.trainX, i) as tf.Tensor4D;
    const ys: Record<string, tf.Tensor2D> = {};
    for (const t of tasks) ys[t] = tf.gather(d.trainY[t], i) as tf.Tensor2D;
    return { xs, ys };
  });
}

/** The probe batch restricted to some tasks. */
export function probeBatch(d: DemoTensors, tasks: readonly TaskName[]): { xs: tf.Tensor4D; ys: Record<string, tf.Tensor2D> } {
  const ys: Record<string, tf.Tensor2D> = {};
  for (const t of tasks) ys[t] = d.probeY[t];
  return { xs: d.probeX, ys };
}
