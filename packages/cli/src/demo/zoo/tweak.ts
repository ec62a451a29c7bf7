import * as tf from '@tensorflow/tfjs';
import { SeededRandom } from '@mtl-fd/metrics';
import type { TaskName } from '../data.js';
import { SHARED_LAYER } from '../model.js';
import type { DemoTensors } from '../tensors.js';

/**
 * What a pathology run of the zoo changes in an otherwise ordinary equal-weighting
 * run (plain data: it crosses worker boundaries with its RunSpec). Each change is
 * something that goes wrong in real training, done to the real model and data.
 */
export interface RunTweak {
  /** fixed loss weights instead of 1 (a task missing here keeps 1) */
  weights?: Partial<Record<TaskName, number>>;
  /** the training and probe targets of a classification task replaced (the test set keeps the true ones) */
  target?: { task: TaskName; from: TargetSource };
  /** `task`'s output is `of`'s output: one head serves both tasks (built so) */
  sharedHead?: { task: TaskName; of: TaskName };
  /** from epoch `fromEpoch` (0-based) on, `task`'s head weights are overwritten with `of`'s before every batch */
  tieHead?: { task: TaskName; of: TaskName; fromEpoch: number };
  /**
   * at the start of epoch `epoch` (0-based), the hidden ReLU layer of `task`'s head is
   * pushed below zero: each unit's bias lowered by its largest pre-activation over
   * the training set, then by `margin` more, so that no unit fires on any training
   * example at that moment
   */
  killHead?: { task: TaskName; epoch: number; margin: number };
  /** the captures' storage dtype */
  captureDtype?: 'F16' | 'BF16';
  /**
   * the probe batch: this many training examples (at most all of them) instead of
   * the demo's. A loss is a mean over the batch, so a larger probe gives smaller
   * per-element gradients: 512 examples bring the demo's to the 1e-5..1e-4 of real runs
   */
  probeSize?: number;
}

/**
 * `shuffled`: the task's own labels in a random order over the examples (noise it
 * cannot learn); `left`: the left digit; `nine-minus-left`: 9 minus the left digit;
 * `not-left`: "any digit but the left one", the soft target 1/9 on each other class.
 */
export type TargetSource = 'shuffled' | 'left' | 'nine-minus-left' | 'not-left';

/** The labels `source` gives a split (`not-left` is not a label): `own` are the task's true labels. */
function relabel(source: Exclude<TargetSource, 'not-left'>, own: Int32Array, left: Int32Array, seed: number): Int32Array {
  if (source === 'left') return left.slice();
  if (source === 'nine-minus-left') return left.map((d) => 9 - d);
  const out = own.slice();
  new SeededRandom(seed * 613 + 11).shuffle(out);
  return out;
}

/**
 * The data a tweaked run trains on: `data` with the training and probe targets of
 * `tweak.target` replaced, and the probe batch of `tweak.probeSize`. `dispose` frees
 * what it made (never `data`'s tensors).
 */
export function tweakedData(data: DemoTensors, tweak: RunTweak | undefined, seed: number): { data: DemoTensors; dispose(): void } {
  const made: tf.Tensor[] = [];
  let out = data;
  if (tweak?.target) {
    const y = targetTensor(data, tweak.target, seed);
    made.push(y);
    out = { ...out, trainY: { ...out.trainY, [tweak.target.task]: y } };
  }
  const probe = Math.min(tweak?.probeSize ?? out.probeX.shape[0], out.train.count);
  if (tweak?.target || probe !== out.probeX.shape[0]) {
    const probeX = tf.slice(out.trainX, [0, 0, 0, 0], [probe, -1, -1, -1]);
    const probeY = Object.fromEntries(Object.entries(out.trainY).map(([t, y]) => [t, tf.slice(y, [0, 0], [probe, -1])])) as DemoTensors['probeY'];
    made.push(probeX);
    for (const y of Object.values(probeY)) made.push(y);
    out = { ...out, probeX, probeY };
  }
  return { data: out, dispose: () => tf.dispose(made) };
}

/** The training targets of a replaced task, as the model's output reads them. */
function targetTensor(data: DemoTensors, target: NonNullable<RunTweak['target']>, seed: number): tf.Tensor2D {
  if (target.task === 'sum') throw new Error('a zoo target override needs a classification task (left or right)');
  const own = target.task === 'left' ? data.train.left : data.train.right;
  const from = target.from;
  return tf.tidy(() => {
    if (from === 'not-left') return tf.div(tf.sub(1, tf.oneHot(tf.tensor1d(data.train.left, 'int32'), 10).toFloat()), 9) as tf.Tensor2D;
    return tf.oneHot(tf.tensor1d(relabel(from, own, data.train.left, seed), 'int32'), 10).toFloat() as tf.Tensor2D;
  });
}

/** The layers of a task's head that carry weights (model.ts names them so). */
const headLayers = (task: TaskName) => [`${task}_hidden`, task];

/** Copies `of`'s head weights into `task`'s head. */
function tie(model: tf.LayersModel, task: TaskName, of: TaskName): void {
  const from = headLayers(of);
  headLayers(task).forEach((name, i) => model.getLayer(name).setWeights(model.getLayer(from[i]!).getWeights()));
}

/** Lowers each hidden unit's bias of `task`'s head by its largest pre-activation over `xs`, and by `margin`. */
function kill(model: tf.LayersModel, task: TaskName, margin: number, xs: tf.Tensor4D): void {
  const layer = model.getLayer(`${task}_hidden`);
  const [kernel, bias] = layer.getWeights() as [tf.Tensor2D, tf.Tensor1D];
  const lowered = tf.tidy(() => {
    const backbone = tf.model({ inputs: model.inputs, outputs: model.getLayer(SHARED_LAYER).output as tf.SymbolicTensor });
    const z = backbone.predict(xs) as tf.Tensor;
    const pre = tf.add(tf.matMul(tf.reshape(z, [z.shape[0]!, -1]), kernel), bias);
    return tf.sub(tf.sub(bias, tf.max(pre, 0)), margin);
  });
  layer.setWeights([kernel, lowered]);
  lowered.dispose();
}

/** The callbacks of model.fit that apply a tweak's head changes (none for no tweak). */
export function tweakCallbacks(model: tf.LayersModel, tweak: RunTweak | undefined, data: DemoTensors): tf.CustomCallbackArgs | null {
  const { tieHead, killHead } = tweak ?? {};
  if (!tieHead && !killHead) return null;
  let epoch = 0;
  return {
    onEpochBegin: async (e) => {
      epoch = e;
      if (killHead && e === killHead.epoch) kill(model, killHead.task, killHead.margin, data.trainX);
    },
    onBatchBegin: async () => {
      if (tieHead && epoch >= tieHead.fromEpoch) tie(model, tieHead.task, tieHead.of);
    },
  };
}
