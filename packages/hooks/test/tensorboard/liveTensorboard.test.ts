// The tensorboard option of fdCallback: scalars appear in <logdir>/<run>/ for every
// capture (scored in a worker thread, the BUILT sweep worker), run.json gets finishedAt,
// and an unwritable log directory warns without stopping training.
import * as tf from '@tensorflow/tfjs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { listCaptures } from '@mtl-fd/capture';
import { fdCallback, type RunManifest } from '@mtl-fd/hooks';
import { scoreSweep } from '@mtl-fd/sweep';
import { readEventDir } from '../../../../test/support/tfEventReader.js';
import { useWasm } from '../helpers/backends.js';
import { convData, convNet } from '../helpers/models.js';
import { tempDir } from '../helpers/tmp.js';

let root: string;
beforeAll(async () => {
  await useWasm();
  root = await tempDir();
});

const tasks = { seg: 'seg', cls: 'class', reg: 'depth' };

describe('fdCallback tensorboard', () => {
  it('writes every capture\'s non-null scores as scalars, and finishedAt when training ends', async () => {
    const model = convNet();
    const data = convData(16, 1);
    const runDir = join(root, 'live');
    const logdir = join(root, 'logs');
    const probe = convData(6, 100);
    const before = tf.memory().numTensors;
    await model.fit(data.xs, data.ys, {
      epochs: 3,
      batchSize: 8,
      verbose: 0,
      shuffle: false,
      callbacks: [fdCallback({ runDir, sharedLayer: 'shared', probe, tasks, tensorboard: logdir })],
    });
    expect(tf.memory().numTensors).toBe(before);
    const manifest = JSON.parse(await readFile(join(runDir, 'run.json'), 'utf8')) as RunManifest;
    expect(Date.parse(manifest.finishedAt!)).toBeGreaterThanOrEqual(Date.parse(manifest.createdAt));

    const expected = await scoreSweep([runDir], {}, { workers: 0 });
    expect(expected.stats.cached).toBe((await listCaptures(runDir)).length); // the live scoring filled the cache
    const got = new Map<string, number>();
    for (const { events } of readEventDir(join(logdir, 'live'))) for (const e of events) for (const s of e.scalars) got.set(`${s.tag}@${e.step}`, s.value);
    const nonNull = expected.rows.filter((r) => r.value !== null);
    expect(got.size).toBe(nonNull.length);
    for (const r of nonNull) {
      const tag = ['mtl-fd', r.metric, ...(r.task ? [r.task_b ? `${r.task},${r.task_b}` : r.task] : [])].join('/');
      expect(got.get(`${tag}@${r.step}`)).toBe(Math.fround(r.value!));
    }
    data.xs.dispose();
  }, 60_000);

  it('warns (once) when the log directory cannot be written, and training goes on', async () => {
    const model = convNet();
    const data = convData(16, 1);
    const blocker = join(root, 'not-a-dir');
    await writeFile(blocker, 'a file');
    const warnings: string[] = [];
    const runDir = join(root, 'blocked');
    const history = await model.fit(data.xs, data.ys, {
      epochs: 3,
      batchSize: 8,
      verbose: 0,
      callbacks: [fdCallback({ runDir, sharedLayer: 'shared', probe: convData(6, 100), tasks, tensorboard: blocker, log: (m) => warnings.push(m) })],
    });
    expect(history.epoch).toEqual([0, 1, 2]);
    expect(await listCaptures(runDir)).toHaveLength(4);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/TensorBoard scalars/);
  }, 60_000);
});
