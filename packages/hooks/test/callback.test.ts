import * as tf from '@tensorflow/tfjs';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { listCaptures, openCapture, readCapture } from '@mtl-fd/capture';
import { fdCallback, RUN_FORMAT, type RunManifest } from '@mtl-fd/hooks';
import { useWasm } from './helpers/backends.js';
import { convData, convNet } from './helpers/models.js';
import { tempDir } from './helpers/tmp.js';

let root: string;
beforeAll(async () => {
  await useWasm();
  root = await tempDir();
});

describe('fdCallback with model.fit', () => {
  it('writes run.json, a step-0 capture and one per epoch, all readable', async () => {
    const model = convNet();
    const data = convData(16, 1);
    const probe = convData(6, 100);
    const runDir = join(root, 'fit-epochs');
    const history = await model.fit(data.xs, data.ys, {
      epochs: 3,
      batchSize: 8,
      shuffle: false,
      verbose: 0,
      callbacks: [fdCallback({ runDir, sharedLayer: 'shared', probe, every: { epochs: 1 }, tasks: { seg: 'seg', cls: 'class', reg: 'depth' } })],
    });
    expect(history.epoch).toEqual([0, 1, 2]);

    const manifest = JSON.parse(await readFile(join(runDir, 'run.json'), 'utf8')) as RunManifest;
    expect(manifest.format).toBe(RUN_FORMAT);
    expect(manifest.layout).toBe('NHWC');
    expect(manifest.sharedLayer).toMatchObject({ name: 'shared', className: 'Conv2D', outputShape: [null, 4, 4, 6] });
    expect(manifest.tasks).toEqual([
      { task: 'seg', output: 'seg', loss: 'meanSquaredError' },
      { task: 'class', output: 'cls', loss: 'categoricalCrossentropy' },
      { task: 'depth', output: 'reg', loss: 'meanAbsoluteError' },
    ]);
    expect(manifest.options).toMatchObject({ every: { epochs: 1 }, paramGram: false, checkpoints: false });
    expect(manifest.backend.name).toBe('wasm');
    expect(manifest.versions['@mtl-fd/hooks']).toBe('0.1.0');

    const files = await listCaptures(runDir);
    expect(files.map((f) => basename(f))).toEqual([0, 2, 4, 6].map((s) => `step-${String(s).padStart(8, '0')}.safetensors`));
    const steps: number[] = [];
    const epochs: (number | undefined)[] = [];
    for (const file of files) {
      const reader = await openCapture(file);
      try {
        const info = reader.info;
        steps.push(info.meta.step);
        epochs.push(info.meta.epoch);
        expect(info.meta.tasks).toEqual(['seg', 'class', 'depth']);
        expect(info.meta.layout).toBe('NHWC');
        expect(info.meta.run).toBe('fit-epochs');
        expect(info.meta.producer).toMatch(/^@mtl-fd\/hooks 0\.1\.0 \(tfjs 4\.22\.0, wasm\)$/);
        expect(info.shape).toEqual([6, 4, 4, 6]);
        expect(Object.keys(info.losses).sort()).toEqual(['class', 'depth', 'seg']);
      } finally {
        await reader.close();
      }
    }
    expect(steps).toEqual([0, 2, 4, 6]);
    expect(epochs).toEqual([0, 1, 2, 3]);
    // the model trained: the probe loss of the last capture is not the first one's
    const first = await readCapture(files[0] as string);
    const last = await readCapture(files[3] as string);
    expect(last.info.losses.seg).not.toBe(first.info.losses.seg);
    tf.dispose([data.xs, ...Object.values(data.ys), probe.xs, ...Object.values(probe.ys)]);
    model.dispose();
  });

  it('captures every n batches across fit calls, steps counting batches', async () => {
    const model = convNet();
    const data = convData(16, 2);
    const probe = convData(4, 200);
    const runDir = join(root, 'fit-batches');
    const cb = fdCallback({ runDir, sharedLayer: 'shared', probe, every: { batches: 3 } });
    await model.fit(data.xs, data.ys, { epochs: 2, batchSize: 8, verbose: 0, callbacks: [cb] });
    await model.fit(data.xs, data.ys, { epochs: 1, batchSize: 8, verbose: 0, callbacks: [cb] });
    const files = await listCaptures(runDir);
    expect(files.map((f) => Number(/step-(\d+)/.exec(f)?.[1]))).toEqual([0, 3, 6]);
    expect(cb.step).toBe(6);
    expect(cb.epochs).toBe(3);
    tf.dispose([data.xs, ...Object.values(data.ys), probe.xs, ...Object.values(probe.ys)]);
    model.dispose();
  });
});
