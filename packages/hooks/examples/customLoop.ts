import * as tf from '@tensorflow/tfjs';
import { createProbe, selectBackend } from '@mtl-fd/hooks';

/** A custom training loop (no compile, no fit) capturing into `runDir` every 5 steps. */
export async function customLoopExample(runDir: string): Promise<string[]> {
  await selectBackend();

  // x -> trunk -> 'shared' -> two heads, one of them two layers deep
  const x = tf.input({ shape: [10] });
  const trunk = tf.layers.dense({ units: 16, activation: 'relu' }).apply(x) as tf.SymbolicTensor;
  const shared = tf.layers.dense({ units: 8, activation: 'tanh', name: 'shared' }).apply(trunk) as tf.SymbolicTensor;
  const hidden = tf.layers.dense({ units: 8, activation: 'relu' }).apply(shared) as tf.SymbolicTensor;
  const score = tf.layers.dense({ units: 1, name: 'score' }).apply(hidden) as tf.SymbolicTensor;
  const flag = tf.layers.dense({ units: 1, activation: 'sigmoid', name: 'flag' }).apply(shared) as tf.SymbolicTensor;
  const model = tf.model({ inputs: x, outputs: [score, flag] });

  const xs = tf.randomNormal([128, 10], 0, 1, 'float32', 3);
  const ys = tf.tidy(() => ({ score: tf.sum(xs, 1, true), flag: tf.cast(tf.greater(xs.slice([0, 0], [128, 1]), 0), 'float32') }));
  const probeBatch = { xs: xs.slice([0, 0], [32, 10]), ys: { score: ys.score.slice([0, 0], [32, 1]), flag: ys.flag.slice([0, 0], [32, 1]) } };

  // no compile: each task's loss is given (a tfjs loss name or a (yTrue, yPred) function)
  const probe = createProbe(model, {
    runDir,
    sharedLayer: 'shared',
    probe: probeBatch,
    losses: { score: 'meanSquaredError', flag: (yTrue, yPred) => tf.metrics.binaryCrossentropy(yTrue, yPred) },
  });

  const optimizer = tf.train.adam(0.01);
  for (let step = 0; step <= 20; step++) {
    if (step % 5 === 0) await probe.capture(step); // resolves to the file, or undefined after a warning
    optimizer.minimize(() => {
      const [s, f] = model.apply(xs) as tf.Tensor[];
      const scoreLoss = tf.losses.meanSquaredError(ys.score, s);
      const flagLoss = tf.mean(tf.metrics.binaryCrossentropy(ys.flag, f));
      return tf.add(scoreLoss, flagLoss) as tf.Scalar;
    });
  }
  await probe.close(); // releases the run directory's lock

  tf.dispose([xs, ys.score, ys.flag, probeBatch.xs, probeBatch.ys.score, probeBatch.ys.flag]);
  optimizer.dispose();
  model.dispose();
  return [...probe.written];
}
