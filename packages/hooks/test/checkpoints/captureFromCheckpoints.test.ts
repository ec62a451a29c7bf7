import * as tf from '@tensorflow/tfjs';
import { cp, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { listCaptures, readCapture } from '@mtl-fd/capture';
import { captureFromCheckpoints, findCheckpoints, saveModelDir, writeProbeFile } from '@mtl-fd/hooks';
import { useWasm } from '../helpers/backends.js';
import { rand } from '../helpers/models.js';
import { tempDir } from '../helpers/tmp.js';

const fixture = fileURLToPath(new URL('../../../../fixtures/checkpoint/', import.meta.url));
let root: string;
beforeAll(async () => {
  await useWasm();
  root = await tempDir();
});

describe('captureFromCheckpoints', () => {
  it('finds checkpoints from a run, its checkpoints/ dir, a step dir or a model.json', async () => {
    const run = join(fixture, 'run');
    const steps = (s: Awaited<ReturnType<typeof findCheckpoints>>) => s.checkpoints.map((c) => c.step);
    expect(steps(await findCheckpoints(run))).toEqual([0, 4]);
    expect((await findCheckpoints(run)).runDir).toBe(run);
    expect(await findCheckpoints(join(run, 'checkpoints'))).toMatchObject({ runDir: run });
    expect(steps(await findCheckpoints(join(run, 'checkpoints')))).toEqual([0, 4]);
    expect(await findCheckpoints(join(run, 'checkpoints', 'step-00000004'))).toEqual({ runDir: run, checkpoints: [{ step: 4, modelJson: join(run, 'checkpoints', 'step-00000004', 'model.json') }] });
    expect(await findCheckpoints(join(run, 'checkpoints', 'step-00000000', 'model.json'))).toMatchObject({ runDir: run, checkpoints: [{ step: 0 }] });
  });

  it('writes into the run by default and keeps its run.json', async () => {
    const run = join(root, 'run');
    await cp(join(fixture, 'run'), run, { recursive: true });
    await writeFile(join(run, 'run.json'), '{"format":"mtl-fd/run@1","run":"from training"}\n');
    const files = await captureFromCheckpoints({ model: run, sharedLayer: 'shared', probe: join(fixture, 'probe.safetensors') });
    expect(files).toEqual(await listCaptures(run));
    expect(await readFile(join(run, 'run.json'), 'utf8')).toBe('{"format":"mtl-fd/run@1","run":"from training"}\n');
    expect((await readCapture(files[0] as string)).meta.run).toBe('run');
  });

  it('takes the losses of an uncompiled checkpoint from the probe file', async () => {
    const x = tf.input({ shape: [3] });
    const z = tf.layers.dense({ units: 2, name: 'shared' }).apply(x) as tf.SymbolicTensor;
    const model = tf.model({ inputs: x, outputs: [tf.layers.dense({ units: 1, name: 'p' }).apply(z) as tf.SymbolicTensor, tf.layers.dense({ units: 1, name: 'q' }).apply(z) as tf.SymbolicTensor] });
    const dir = join(root, 'plain', 'model');
    await saveModelDir(model, dir);
    const probe = join(root, 'plain', 'probe.safetensors');
    const batch = { xs: rand([4, 3], 1), ys: { p: rand([4, 1], 2), q: rand([4, 1], 3) } };
    await writeProbeFile(probe, model, batch);
    await expect(captureFromCheckpoints({ model: dir, sharedLayer: 'shared', probe, runDir: join(root, 'plain', 'out') })).rejects.toThrow(/model\.json: no loss for task 'p'/);
    await writeProbeFile(probe, model, batch, { losses: { p: 'meanSquaredError', q: 'meanAbsoluteError' } });
    const [file] = await captureFromCheckpoints({ model: dir, sharedLayer: 'shared', probe, runDir: join(root, 'plain', 'out') });
    const cap = await readCapture(file as string);
    const [pp] = model.predict(batch.xs) as tf.Tensor[];
    expect(cap.losses.p).toBeCloseTo(tf.losses.meanSquaredError(batch.ys.p, pp!).dataSync()[0]!, 5);
    expect(await readdir(join(root, 'plain', 'out'))).toEqual(['captures', 'run.json']);
    tf.dispose([batch.xs, batch.ys.p, batch.ys.q]);
    model.dispose();
  });
});
