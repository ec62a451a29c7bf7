import * as tf from '@tensorflow/tfjs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError, readCapture } from '@mtl-fd/capture';
import { loadModelFile, readProbeFile, writeSafetensors } from '@mtl-fd/hooks';
import { captureCheckpoints } from '../src/commands/scoreModel.js';
import type { CliIO } from '../src/io.js';

const fixture = fileURLToPath(new URL('../../../fixtures/checkpoint/', import.meta.url));
const run = join(fixture, 'run');
const probe = join(fixture, 'probe.safetensors');
let out: string;
let stderr: string[];

function io(cwd = fixture): CliIO {
  return { stdout: () => undefined, stderr: (t) => stderr.push(t), isTTY: false, cwd };
}

beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'mtl-fd-score-model-'));
});
afterAll(async () => {
  await rm(out, { recursive: true, force: true });
});

describe('captureCheckpoints (mtl-fd score --model)', () => {
  it('captures every checkpoint of a run directory, in step order, with the probe file', async () => {
    stderr = [];
    const runDir = join(out, 'all');
    const files = await captureCheckpoints({ model: run, sharedLayer: 'shared', probe, runDir }, io());
    expect(files.map((f) => basename(f))).toEqual(['step-00000000.safetensors', 'step-00000004.safetensors']);
    expect(files.every((f) => f.startsWith(join(runDir, 'captures')))).toBe(true);
    expect(stderr[0]).toMatch(/^mtl-fd: TensorFlow\.js backend '(wasm|tensorflow|cpu)'/);
    expect(stderr.slice(-2)).toEqual(files.map((f, i) => `mtl-fd: captured checkpoint step ${[0, 4][i]}: ${f}\n`));

    const caps = await Promise.all(files.map((f) => readCapture(f)));
    expect(caps.map((c) => c.meta.step)).toEqual([0, 4]);
    for (const c of caps) {
      expect(c.meta.tasks).toEqual(['depth', 'segmentation']);
      expect(c.meta.layout).toBe('NC');
      expect(c.shape).toEqual([8, 4]);
    }
    // the stored losses are the checkpoint's own compiled losses on the probe batch
    const model = await loadModelFile(join(run, 'checkpoints', 'step-00000004', 'model.json'));
    const p = await readProbeFile(probe);
    const xs = tf.tensor(p.inputs.get('')!.values, p.inputs.get('')!.shape);
    const [depth, seg] = model.predict(xs) as tf.Tensor[];
    const mse = tf.losses.meanSquaredError(tf.tensor(p.targets.get('depth')!.values, [8, 1]), depth!).dataSync()[0]!;
    const cce = tf.mean(tf.metrics.categoricalCrossentropy(tf.tensor(p.targets.get('seg')!.values, [8, 3]), seg!)).dataSync()[0]!;
    expect(caps[1]!.losses.depth).toBeCloseTo(mse, 5);
    expect(caps[1]!.losses.segmentation).toBeCloseTo(cce, 5);
    expect(caps[0]!.losses.depth).not.toBeCloseTo(mse, 5);
    model.dispose();
  });

  it('takes one model.json or one checkpoint directory, relative to the cwd', async () => {
    stderr = [];
    const one = await captureCheckpoints({ model: 'run/checkpoints/step-00000004/model.json', sharedLayer: 'shared', probe: 'probe.safetensors', runDir: relative(fixture, join(out, 'one')) }, io());
    expect(one).toEqual([join(out, 'one', 'captures', 'step-00000004.safetensors')]);
    const dir = await captureCheckpoints({ model: join(run, 'checkpoints', 'step-00000000'), sharedLayer: 'shared', probe, runDir: join(out, 'dir'), paramGram: true }, io());
    expect(dir).toEqual([join(out, 'dir', 'captures', 'step-00000000.safetensors')]);
    expect((await readCapture(dir[0]!)).paramGram).toHaveLength(4);
  });

  it('fails with one clear UserError for a missing model, an unknown layer or a probe that does not fit', async () => {
    stderr = [];
    const base = { sharedLayer: 'shared', probe, runDir: join(out, 'bad') };
    await expect(captureCheckpoints({ ...base, model: join(fixture, 'nowhere') }, io())).rejects.toThrow(/--model .*nowhere: no such file or directory/);
    await expect(captureCheckpoints({ ...base, model: out }, io())).rejects.toThrow(/no model\.json there, nor checkpoints\/step-XXXXXXXX\/model\.json/);
    await expect(captureCheckpoints({ ...base, model: run, sharedLayer: 'neck' }, io())).rejects.toThrow(
      /step-00000000\/model\.json: shared layer 'neck' is not a layer of model 'fixture_net' \(its layers: features_in, trunk, shared, depth, seg\)/,
    );
    await expect(captureCheckpoints({ ...base, model: run, probe: join(out, 'none.safetensors') }, io())).rejects.toThrow(/none\.safetensors: cannot read \(no such file\)/);

    // a probe of the wrong width, and one with a target the model does not have
    const wide = join(out, 'wide.safetensors');
    await writeSafetensors(wide, new Map([['x', { shape: [2, 7], values: new Float32Array(14) }], ['y.depth', { shape: [2, 1], values: new Float32Array(2) }], ['y.seg', { shape: [2, 3], values: new Float32Array(6) }]]));
    await expect(captureCheckpoints({ ...base, model: run, probe: wide }, io())).rejects.toThrow(/wide\.safetensors: input 'features_in' has shape \[2,7\] but the model takes \[B,6\]/);
    const extra = join(out, 'extra.safetensors');
    await writeSafetensors(extra, new Map([['x', { shape: [2, 6], values: new Float32Array(12) }], ['y.depth', { shape: [2, 1], values: new Float32Array(2) }], ['y.edges', { shape: [2, 1], values: new Float32Array(2) }]]));
    await expect(captureCheckpoints({ ...base, model: run, probe: extra }, io())).rejects.toThrow(/y\.edges is no model output \(outputs: depth, seg\)/);
    const junk = join(out, 'junk.safetensors');
    await writeFile(junk, 'not safetensors');
    await expect(captureCheckpoints({ ...base, model: run, probe: junk }, io())).rejects.toBeInstanceOf(UserError);
  });
});
