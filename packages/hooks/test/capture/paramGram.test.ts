import * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCapture } from '@mtl-fd/capture';
import { createProbe } from '@mtl-fd/hooks';
import { useWasm } from '../helpers/backends.js';
import { convData, convNet } from '../helpers/models.js';
import { relErr } from '../helpers/random.js';
import { tempDir } from '../helpers/tmp.js';

let root: string;
beforeAll(async () => {
  await useWasm();
  root = await tempDir();
});

describe('param_gram', () => {
  it('equals the Gram matrix of per-task gradients w.r.t. the backbone weights, taken directly', async () => {
    const model = convNet();
    const probe = convData(5, 9);
    const p = createProbe(model, { runDir: join(root, 'gram'), sharedLayer: 'shared', probe, paramGram: true, onError: 'throw' });
    const cap = await readCapture((await p.capture(0)) as string);
    expect(cap.paramGram).toBeDefined();

    // reference: full forward pass per task, gradients w.r.t. conv1 and shared weights
    const backboneVars = ['conv1', 'shared'].flatMap((n) => model.getLayer(n).trainableWeights.map((w) => w.read() as tf.Variable));
    const flat = model.outputNames.map((name, i) =>
      tf.tidy(() => {
        const { grads } = tf.variableGrads(() => {
          const outs = model.apply(probe.xs, { training: false }) as tf.Tensor[];
          return tf.mean(model.lossFunctions[i]!(probe.ys[name]!, outs[i]!)) as tf.Scalar;
        }, backboneVars);
        return tf.concat(backboneVars.map((v) => tf.reshape(grads[v.name]!, [-1])));
      }),
    );
    const t = flat.length;
    const expected = new Float64Array(t * t);
    const data = flat.map((f) => f.dataSync());
    for (let a = 0; a < t; a++) for (let b = 0; b < t; b++) {
      let s = 0;
      for (let i = 0; i < data[a]!.length; i++) s += data[a]![i]! * data[b]![i]!;
      expected[a * t + b] = s;
    }
    expect(relErr(cap.paramGram as Float64Array, expected)).toBeLessThan(1e-4);
    tf.dispose(flat);
    tf.dispose([probe.xs, ...Object.values(probe.ys)]);
    model.dispose();
  });
});
