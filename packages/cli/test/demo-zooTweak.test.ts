import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SeededRandom } from '@mtl-fd/metrics';
import { buildModel, drawInitSeeds, SHARED_LAYER } from '../src/demo/model.js';
import { disposeTensors, makeTensors, type DemoTensors } from '../src/demo/tensors.js';
import { tweakCallbacks, tweakedData } from '../src/demo/zoo/tweak.js';

const SIZES = { conv1: 4, conv2: 8, hidden: 16 };
const seeds = () => {
  const rng = new SeededRandom(7);
  return drawInitSeeds(() => rng.seed());
};
let data: DemoTensors;
beforeAll(async () => {
  await tf.setBackend('cpu');
  data = makeTensors(40, 8, 4, 1);
});
afterAll(() => disposeTensors(data));

const values = (t: tf.Tensor) => Array.from(t.dataSync());

describe('zoo tweaks', () => {
  it('sharedHead: one head serves two tasks under their own output names', () => {
    const model = buildModel(['left', 'right', 'sum'], seeds(), SIZES, { task: 'right', of: 'left' });
    expect(model.outputNames).toEqual(['left', 'right', 'sum']);
    expect(model.layers.some((l) => l.name === 'right_hidden')).toBe(false);
    const [left, right] = model.predict(data.probeX) as tf.Tensor[];
    expect(values(right!)).toEqual(values(left!));
    tf.dispose(model.predict(data.probeX) as tf.Tensor[]);
    tf.dispose([left!, right!]);
    model.dispose();
  });

  it('tweakedData replaces the targets and the probe, leaves the data as it was, and frees what it made', () => {
    const before = tf.memory().numTensors;
    const trueRight = values(data.trainY.right);
    const notLeft = tweakedData(data, { target: { task: 'right', from: 'not-left' } }, 1);
    const y = notLeft.data.trainY.right.arraySync();
    y.forEach((row, i) => {
      expect(row[data.train.left[i]!]).toBe(0);
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    });
    expect(values(notLeft.data.probeY.right)).toEqual(values(notLeft.data.trainY.right).slice(0, 4 * 10));
    notLeft.dispose();
    const shuffled = tweakedData(data, { target: { task: 'right', from: 'shuffled' } }, 1);
    const labels = tf.tidy(() => Array.from(shuffled.data.trainY.right.argMax(1).dataSync()));
    expect([...labels].sort()).toEqual(Array.from(data.train.right).sort());
    expect(labels).not.toEqual(Array.from(data.train.right));
    shuffled.dispose();
    const nine = tweakedData(data, { target: { task: 'right', from: 'nine-minus-left' }, probeSize: 16 }, 1);
    expect(nine.data.probeX.shape[0]).toBe(16);
    expect(tf.tidy(() => Array.from(nine.data.probeY.right.argMax(1).dataSync()))).toEqual(Array.from(data.train.left.slice(0, 16), (d) => 9 - d));
    nine.dispose();
    expect(tweakedData(data, undefined, 1).data).toBe(data);
    expect(values(data.trainY.right)).toEqual(trueRight);
    expect(tf.memory().numTensors - before).toBe(0);
  });

  it('killHead leaves no hidden unit of the head firing on any training example; tieHead copies one head into another', async () => {
    const model = buildModel(['left', 'right', 'sum'], seeds(), SIZES);
    const cb = tweakCallbacks(model, { killHead: { task: 'sum', epoch: 1, margin: 0.5 }, tieHead: { task: 'right', of: 'left', fromEpoch: 1 } }, data)!;
    const firing = () =>
      tf.tidy(() => {
        const backbone = tf.model({ inputs: model.inputs, outputs: model.getLayer(SHARED_LAYER).output as tf.SymbolicTensor });
        const z = backbone.predict(data.trainX) as tf.Tensor;
        const [k, b] = model.getLayer('sum_hidden').getWeights();
        return tf.sum(tf.cast(tf.greater(tf.add(tf.matMul(tf.reshape(z, [z.shape[0]!, -1]), k!), b!), 0), 'float32')).dataSync()[0]!;
      });
    const weightsOf = (name: string) => model.getLayer(name).getWeights().map(values);
    await cb.onEpochBegin!(0);
    await cb.onBatchBegin!(0);
    expect(firing()).toBeGreaterThan(0);
    expect(weightsOf('right_hidden')).not.toEqual(weightsOf('left_hidden'));
    const before = tf.memory().numTensors;
    await cb.onEpochBegin!(1);
    await cb.onBatchBegin!(0);
    expect(firing()).toBe(0);
    expect(weightsOf('right_hidden')).toEqual(weightsOf('left_hidden'));
    expect(weightsOf('right')).toEqual(weightsOf('left'));
    expect(tf.memory().numTensors, 'no tensor leaked by kill and tie').toBeLessThanOrEqual(before);
    model.dispose();
  });
});
