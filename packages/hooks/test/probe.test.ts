import * as tf from '@tensorflow/tfjs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { UserError, listCaptures, readCapture } from '@mtl-fd/capture';
import { createProbe, fdCallback } from '@mtl-fd/hooks';
import { useWasm } from './helpers/backends.js';
import { convData, convNet, init, linearHeads, rand } from './helpers/models.js';
import { tempDir } from './helpers/tmp.js';

let root: string;
beforeAll(async () => {
  await useWasm();
  root = await tempDir();
});

function uncompiled(): tf.LayersModel {
  const x = tf.input({ shape: [3] });
  const z = tf.layers.dense({ units: 4, activation: 'relu', name: 'trunk', kernelInitializer: init(1) }).apply(x) as tf.SymbolicTensor;
  const a = tf.layers.dense({ units: 2, name: 'a', kernelInitializer: init(2) }).apply(z) as tf.SymbolicTensor;
  const b = tf.layers.dense({ units: 1, activation: 'sigmoid', name: 'b', kernelInitializer: init(3) }).apply(z) as tf.SymbolicTensor;
  return tf.model({ inputs: x, outputs: [a, b] });
}

describe('createProbe in a custom training loop', () => {
  it('captures an uncompiled model with the losses it is given', async () => {
    const model = uncompiled();
    const xs = rand([8, 3], 1);
    const ys = { a: rand([8, 2], 2), b: tf.tensor2d([[1], [0], [1], [0], [1], [1], [0], [0]]) };
    const runDir = join(root, 'custom');
    const probe = createProbe(model, {
      runDir,
      sharedLayer: 'trunk',
      tasks: { a: 'regress', b: 'detect' },
      losses: { regress: (y, p) => tf.mean(tf.abs(tf.sub(y, p)), -1), detect: 'binaryCrossentropy' },
    });
    const maeAt0 = tf.tidy(() => tf.mean(tf.abs(tf.sub(ys.a, (model.apply(xs) as tf.Tensor[])[0] as tf.Tensor))).dataSync()[0] as number);
    const optimizer = tf.train.adam(0.05);
    for (let step = 0; step <= 6; step++) {
      if (step % 3 === 0) await probe.capture(step, { xs, ys: [ys.a, ys.b] });
      optimizer.minimize(() => {
        const [pa, pb] = model.apply(xs) as tf.Tensor[];
        return tf.add(tf.mean(tf.abs(tf.sub(ys.a, pa as tf.Tensor))), tf.metrics.binaryCrossentropy(ys.b, pb as tf.Tensor).mean()) as tf.Scalar;
      });
    }
    expect(probe.failures).toBe(0);
    expect(probe.tasks).toEqual(['regress', 'detect']);
    const files = await listCaptures(runDir);
    expect(files.map((f) => basename(f))).toEqual(['step-00000000.safetensors', 'step-00000003.safetensors', 'step-00000006.safetensors']);
    expect(probe.written).toEqual(files);
    const first = await readCapture(files[0] as string);
    const last = await readCapture(files[2] as string);
    expect(first.meta.tasks).toEqual(['regress', 'detect']);
    expect(first.meta.epoch).toBeUndefined();
    // the loss stored is the one given: mean absolute error of head a
    expect(first.losses.regress).toBeCloseTo(maeAt0, 5);
    expect(last.losses.regress).toBeLessThan(first.losses.regress as number);
    tf.dispose([xs, ys.a, ys.b]);
    optimizer.dispose();
    model.dispose();
  });

  it('stores the weights the method applied: a function of the step, or per call', async () => {
    const model = uncompiled();
    const xs = rand([4, 3], 3);
    const ys = { a: rand([4, 2], 4), b: tf.tensor2d([[1], [0], [1], [0]]) };
    const runDir = join(root, 'weights');
    const probe = createProbe(model, {
      runDir,
      sharedLayer: 'trunk',
      probe: { xs, ys: [ys.a, ys.b] },
      losses: { a: 'meanSquaredError', b: 'binaryCrossentropy' },
      weights: (step) => ({ a: 1 + step, b: 0.5 }),
      onError: 'throw',
    });
    await probe.capture(0);
    await probe.capture(2);
    await probe.capture(4, undefined, { weights: { a: 100, b: 1 } });
    const files = await listCaptures(runDir);
    const weights = await Promise.all(files.map(async (f) => (await readCapture(f)).weights));
    expect(weights).toEqual([{ a: 1, b: 0.5 }, { a: 3, b: 0.5 }, { a: 100, b: 1 }]);
    await expect(probe.capture(6, undefined, { weights: { a: 1 } })).rejects.toThrow(/task 'b' needs a finite number/);
    await probe.close();
    tf.dispose([xs, ys.a, ys.b]);
    model.dispose();
  });

  it('stores the features and gradients in the dtype asked for (F16 rounds them, the losses stay F64)', async () => {
    const model = uncompiled();
    const xs = rand([4, 3], 5);
    const ys = { a: rand([4, 2], 6), b: tf.tensor2d([[1], [0], [1], [0]]) };
    const dirs = { F32: join(root, 'dtype-f32'), F16: join(root, 'dtype-f16') };
    for (const [dtype, runDir] of Object.entries(dirs)) {
      const probe = createProbe(model, {
        runDir,
        sharedLayer: 'trunk',
        probe: { xs, ys: [ys.a, ys.b] },
        losses: { a: 'meanSquaredError', b: 'binaryCrossentropy' },
        dtype: dtype as 'F32' | 'F16',
        onError: 'throw',
      });
      await probe.capture(0);
      await probe.close();
    }
    const [f32] = await listCaptures(dirs.F32);
    const [f16] = await listCaptures(dirs.F16);
    const wide = await readCapture(f32 as string);
    const half = await readCapture(f16 as string);
    expect(wide.dtype).toBe('F32');
    expect(half.dtype).toBe('F16');
    expect(half.losses).toEqual(wide.losses);
    const g32 = Array.from(wide.grads.a as ArrayLike<number>);
    const g16 = Array.from(half.grads.a as ArrayLike<number>);
    expect(g16).not.toEqual(g32);
    g16.forEach((v, i) => expect(Math.abs(v - g32[i]!)).toBeLessThanOrEqual(Math.abs(g32[i]!) * 2 ** -10 + 2 ** -24));
    tf.dispose([xs, ys.a, ys.b]);
    model.dispose();
  });

  it('leaks no tensor over 20 captures (with param_gram and checkpoints)', async () => {
    const model = convNet();
    const probeData = convData(4, 5);
    const probe = createProbe(model, { runDir: join(root, 'leaks'), sharedLayer: 'shared', probe: probeData, paramGram: true, checkpoints: true, onError: 'throw' });
    await probe.capture(0); // the first call may build lazily created state
    const before = tf.memory().numTensors;
    for (let step = 1; step <= 20; step++) await probe.capture(step);
    expect(tf.memory().numTensors).toBe(before);
    expect(probe.written).toHaveLength(21);
    expect((await readdir(join(root, 'leaks', 'checkpoints'))).sort()).toHaveLength(21);
    tf.dispose([probeData.xs, ...Object.values(probeData.ys)]);
    model.dispose();
  });

  it('throws a UserError for set-up problems, before any capture', () => {
    const model = uncompiled();
    const xs = rand([4, 3], 1);
    const ys = { a: rand([4, 2], 2), b: rand([4, 1], 3) };
    const make = (extra: object) => () => createProbe(model, { runDir: join(root, 'bad'), sharedLayer: 'trunk', ...extra });
    expect(make({})).toThrow(/no loss for task 'a': compile the model, or pass losses/);
    const losses = { a: 'meanSquaredError', b: 'meanSquaredError' };
    expect(make({ losses: { ...losses, c: 'meanSquaredError' } })).toThrow(/losses: no task named c/);
    expect(make({ losses, tasks: { a: 'x', z: 'y' } })).toThrow(/tasks: no model output named z/);
    expect(make({ losses: { x: 'meanSquaredError' }, tasks: { a: 'x' } })).toThrow(/at least 2 tasks, got 1/);
    expect(make({ losses: { a: 'noSuchLoss', b: 'meanSquaredError' } })).toThrow(/unknown loss 'noSuchLoss'/);
    expect(make({ losses, probe: { xs: [xs, xs], ys } })).toThrow(/probe xs: expected 1 tensors/);
    expect(make({ losses, probe: { xs, ys: { a: ys.a } } })).toThrow(/probe ys: no targets for output 'b'/);
    expect(make({ losses, probe: { xs, ys: { a: ys.a, b: rand([3, 1], 4) } } })).toThrow(/probe ys 'b' has 3 rows but xs have 4/);
    expect(make({ losses, probe: { xs, ys: { ...ys, c: ys.a } } })).toThrow(/no model output named c/);
    expect(make({ losses, probe: { xs, ys } })).not.toThrow();
    expect(make({})).toThrow(UserError);
    tf.dispose([xs, ys.a, ys.b]);
    model.dispose();
  });
});

describe('diagnostics never break training', () => {
  it('an unwritable captures directory: one warning, fit completes, captures keep being tried', async () => {
    const runDir = join(root, 'blocked');
    await mkdir(runDir, { recursive: true });
    await writeFile(join(runDir, 'captures'), 'not a directory'); // works even as root, unlike chmod
    const model = convNet();
    const data = convData(16, 3);
    const probeData = convData(4, 6);
    const warnings: string[] = [];
    const cb = fdCallback({ runDir, sharedLayer: 'shared', probe: probeData, every: { batches: 1 }, log: (m) => warnings.push(m) });
    const history = await model.fit(data.xs, data.ys, { epochs: 2, batchSize: 8, verbose: 0, callbacks: [cb] });
    expect(history.epoch).toEqual([0, 1]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^mtl-fd: capture at step 0 failed; training goes on/);
    // step 0 and after each of the 4 batches: every one attempted, every one failed
    expect(cb.fdProbe?.failures).toBe(5);
    // run.json still made it
    expect(await readdir(runDir)).toContain('run.json');

    // once the directory is usable again, the next capture works
    await rm(join(runDir, 'captures'));
    const file = await cb.fdProbe?.capture(99);
    expect(file).toBe(join(runDir, 'captures', 'step-00000099.safetensors'));
    expect(warnings).toHaveLength(1);
    tf.dispose([data.xs, ...Object.values(data.ys), probeData.xs, ...Object.values(probeData.ys)]);
    model.dispose();
  });

  it('a different error later is reported once too; onError "throw" rejects instead', async () => {
    const runDir = join(root, 'two-errors');
    const model = linearHeads();
    const probeData = { xs: rand([3, 5], 1), ys: { a: rand([3, 3], 2), b: rand([3, 2], 3) } };
    const warnings: string[] = [];
    const probe = createProbe(model, { runDir, sharedLayer: 'shared', probe: probeData, log: (m) => warnings.push(m) });
    await mkdir(runDir, { recursive: true });
    await writeFile(join(runDir, 'captures'), '');
    expect(await probe.capture(1)).toBeUndefined();
    expect(await probe.capture(2)).toBeUndefined();
    expect(await probe.capture(-1)).toBeUndefined();
    expect(warnings).toHaveLength(2);
    expect(warnings[1]).toMatch(/capture step must be a non-negative integer \(got -1\)/);
    await probe.close();
    const strict = createProbe(model, { runDir, sharedLayer: 'shared', probe: probeData, onError: 'throw' });
    await expect(strict.capture(3)).rejects.toThrow();
    await strict.close();
    tf.dispose([probeData.xs, ...Object.values(probeData.ys)]);
    model.dispose();
  });
});

describe('one training per run directory', () => {
  it('refuses a second live probe on the same run directory until the first is closed', async () => {
    const runDir = join(root, 'locked');
    const model = linearHeads();
    const probeData = { xs: rand([3, 5], 1), ys: { a: rand([3, 3], 2), b: rand([3, 2], 3) } };
    const first = createProbe(model, { runDir, sharedLayer: 'shared', probe: probeData });
    expect(() => createProbe(model, { runDir, sharedLayer: 'shared', probe: probeData })).toThrow(/is locked by .*pid/);
    await first.close();
    const second = createProbe(model, { runDir, sharedLayer: 'shared', probe: probeData });
    expect(await second.capture(1)).toBe(join(runDir, 'captures', 'step-00000001.safetensors'));
    await second.close();
    tf.dispose([probeData.xs, ...Object.values(probeData.ys)]);
    model.dispose();
  });
});
