import * as tf from '@tensorflow/tfjs';
import { fdCallback, selectBackend } from '@mtl-fd/hooks';

/** Trains a two-task conv net with model.fit, capturing into `runDir` every epoch. */
export async function fitExample(runDir: string): Promise<tf.History> {
  // tfjs-node-gpu or tfjs-node when installed, else wasm with the kernels it lacks
  await selectBackend();

  // a shared conv backbone ending in the layer 'shared', and two heads
  const image = tf.input({ shape: [12, 12, 1], name: 'image' });
  let h = tf.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(image) as tf.SymbolicTensor;
  h = tf.layers.maxPooling2d({ poolSize: 2 }).apply(h) as tf.SymbolicTensor;
  const shared = tf.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same', activation: 'relu', name: 'shared' }).apply(h) as tf.SymbolicTensor;
  const pooled = tf.layers.globalAveragePooling2d({}).apply(shared) as tf.SymbolicTensor;
  const digit = tf.layers.dense({ units: 4, activation: 'softmax', name: 'digit' }).apply(pooled) as tf.SymbolicTensor;
  const brightness = tf.layers.dense({ units: 1, name: 'brightness' }).apply(pooled) as tf.SymbolicTensor;
  const model = tf.model({ inputs: image, outputs: [digit, brightness] });
  model.compile({ optimizer: tf.train.adam(0.01), loss: { digit: 'categoricalCrossentropy', brightness: 'meanSquaredError' } });

  // synthetic data: a class from the image's quadrant sums, and its mean brightness
  const makeData = (n: number, seed: number) =>
    tf.tidy(() => {
      const xs = tf.randomUniform([n, 12, 12, 1], 0, 1, 'float32', seed);
      const quadrants = tf.stack([xs.slice([0, 0, 0], [n, 6, 6]), xs.slice([0, 0, 6], [n, 6, 6]), xs.slice([0, 6, 0], [n, 6, 6]), xs.slice([0, 6, 6], [n, 6, 6])], 1);
      const digit = tf.oneHot(tf.argMax(tf.sum(quadrants, [2, 3, 4]), 1), 4).toFloat();
      return { xs, ys: { digit, brightness: tf.mean(xs, [1, 2]) } };
    });
  const train = makeData(64, 1);
  // the probe: a fixed batch, not trained on, keyed by output name as fit takes targets
  const probe = makeData(16, 2);

  const history = await model.fit(train.xs, train.ys, {
    epochs: 3,
    batchSize: 16,
    verbose: 0,
    callbacks: [
      fdCallback({
        runDir, // run.json, captures/step-XXXXXXXX.safetensors
        sharedLayer: 'shared', // the layer whose output feeds every head
        probe,
        every: { epochs: 1 }, // and a capture at step 0, before the first batch
        tasks: { digit: 'class', brightness: 'brightness' }, // output name -> task name
      }),
    ],
  });

  tf.dispose([train.xs, ...Object.values(train.ys), probe.xs, ...Object.values(probe.ys)]);
  model.dispose();
  return history;
}
