// @mtl-fd/hooks costs, on the backend selectBackend() picks (wasm here):
//  (a) overhead of capturing once per epoch (and at step 0) while model.fit trains the
//      demo-sized model (the demo's LeNet-style backbone and 3 heads on 28x36 images):
//      fit time with and without fdCallback, medians over alternating repeats;
//  (c) overhead of `tensorboard:` on top of capturing, same fit: fit time with fdCallback
//      against fdCallback + tensorboard (each capture scored in a worker thread, its
//      scalars appended to an event file); the fit includes the wait for the last
//      capture's scalars at training end;
//  (b) one feature-level capture (dL_t/dz) against one parameter-level capture (also
//      dL_t/dθ over every backbone weight, for param_gram) on a ResNet-style backbone.
// Imports the BUILT package: run `npm run build` first (npm run bench does).
// Times are CPU time of this process (wasm runs single-threaded here), medians; fit
// wall times are reported too. Prints one JSON line. Sizes can be changed with
// BENCH_HOOKS_* environment variables.
import * as tf from '@tensorflow/tfjs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const hooks = await import('@mtl-fd/hooks');
const { createProbe, fdCallback, selectBackend } = hooks;

const env = (name, fallback) => Number(process.env[`BENCH_HOOKS_${name}`] ?? fallback);
const FIT = { trainSize: env('TRAIN', 1536), epochs: env('EPOCHS', 3), batchSize: 64, probeSize: 32, repeats: env('FIT_REPEATS', 3) };
const CAP = { probeSize: 16, repeats: env('CAPTURE_REPEATS', 5) };

const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const round = (x, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
const glorot = (seed) => tf.initializers.glorotUniform({ seed });

/** The demo's model: conv 5x5 16, pool, conv 5x5 32, pool = 'shared' [B,4,6,32]; three flatten-dense-dense heads. */
function demoModel() {
  const input = tf.input({ shape: [28, 36, 1] });
  let h = tf.layers.conv2d({ filters: 16, kernelSize: 5, activation: 'relu', kernelInitializer: glorot(1) }).apply(input);
  h = tf.layers.maxPooling2d({ poolSize: 2 }).apply(h);
  h = tf.layers.conv2d({ filters: 32, kernelSize: 5, activation: 'relu', kernelInitializer: glorot(2) }).apply(h);
  const z = tf.layers.maxPooling2d({ poolSize: 2, name: 'shared' }).apply(h);
  const head = (name, units, activation, seed) => {
    const f = tf.layers.flatten().apply(z);
    const hidden = tf.layers.dense({ units: 64, activation: 'relu', kernelInitializer: glorot(seed) }).apply(f);
    return tf.layers.dense({ units, activation, kernelInitializer: glorot(seed + 1), name }).apply(hidden);
  };
  const model = tf.model({ inputs: input, outputs: [head('left', 10, 'softmax', 10), head('right', 10, 'softmax', 20), head('sum', 1, 'linear', 30)] });
  model.compile({ optimizer: tf.train.sgd(0.05), loss: { left: 'categoricalCrossentropy', right: 'categoricalCrossentropy', sum: 'meanSquaredError' } });
  return model;
}

function demoData(n, seed) {
  return tf.tidy(() => {
    const left = tf.randomUniform([n], 0, 10, 'int32', seed);
    const right = tf.randomUniform([n], 0, 10, 'int32', seed + 1);
    return {
      xs: tf.randomUniform([n, 28, 36, 1], 0, 1, 'float32', seed + 2),
      ys: { left: tf.oneHot(left, 10).toFloat(), right: tf.oneHot(right, 10).toFloat(), sum: tf.add(left, right).toFloat().div(18).reshape([n, 1]) },
    };
  });
}

/** CPU ms of this process (wasm runs single-threaded): steadier than wall time on a shared machine. */
function cpuMs(since) {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1000;
}

/** mode: 'none', 'capture' (fdCallback) or 'tensorboard' (fdCallback with tensorboard:) */
async function timeFit(mode, data, probe, dir, i) {
  const model = demoModel();
  const tb = mode === 'tensorboard' ? { tensorboard: join(dir, `logs-${i}`) } : {};
  // first in the list, so its onTrainEnd runs before fdCallback's (which waits for pending work)
  let trainedAt = 0;
  const timer = new tf.CustomCallback({ onTrainEnd: async () => void (trainedAt = performance.now()) });
  const callbacks = [timer, ...(mode === 'none' ? [] : [fdCallback({ runDir: join(dir, `fit-${mode}-${i}`), sharedLayer: 'shared', probe, every: { epochs: 1 }, ...tb })])];
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  await model.fit(data.xs, data.ys, { epochs: FIT.epochs, batchSize: FIT.batchSize, shuffle: false, verbose: 0, callbacks });
  const cpu = cpuMs(c0);
  const wall = performance.now() - t0;
  model.dispose();
  // train: until the last batch and epoch end (what training waits for); wall adds fdCallback's close
  return { cpu, wall, train: trainedAt - t0 };
}

/** ResNet-style: stem conv, then residual blocks (conv-bn-relu-conv-bn, identity or 1x1-projection shortcut). */
function resnetModel() {
  let seed = 100;
  const conv = (filters, kernelSize, strides = 1) => tf.layers.conv2d({ filters, kernelSize, strides, padding: 'same', useBias: false, kernelInitializer: glorot(seed++) });
  const bn = () => tf.layers.batchNormalization({});
  const block = (x, filters, strides) => {
    let h = tf.layers.reLU().apply(bn().apply(conv(filters, 3, strides).apply(x)));
    h = bn().apply(conv(filters, 3).apply(h));
    const shortcut = strides === 1 && x.shape[3] === filters ? x : bn().apply(conv(filters, 1, strides).apply(x));
    return tf.layers.reLU().apply(tf.layers.add().apply([h, shortcut]));
  };
  const input = tf.input({ shape: [32, 32, 3] });
  let h = tf.layers.reLU().apply(bn().apply(conv(32, 3).apply(input)));
  h = block(h, 32, 1);
  h = block(h, 32, 1);
  h = block(h, 64, 2);
  h = block(h, 64, 1);
  const z = tf.layers.activation({ activation: 'linear', name: 'shared' }).apply(block(h, 128, 2)); // [B, 8, 8, 128]
  const gap = tf.layers.globalAveragePooling2d({}).apply(z);
  const cls = tf.layers.dense({ units: 10, activation: 'softmax', name: 'cls', kernelInitializer: glorot(seed++) }).apply(gap);
  const depth = tf.layers.dense({ units: 1, name: 'depth', kernelInitializer: glorot(seed++) }).apply(gap);
  const seg = tf.layers.flatten({ name: 'seg' }).apply(tf.layers.conv2d({ filters: 1, kernelSize: 1, kernelInitializer: glorot(seed++) }).apply(z));
  const model = tf.model({ inputs: input, outputs: [cls, depth, seg] });
  model.compile({ optimizer: 'sgd', loss: { cls: 'categoricalCrossentropy', depth: 'meanSquaredError', seg: 'meanSquaredError' } });
  return model;
}

const backend = await selectBackend({ log: false });
const dir = await mkdtemp(join(tmpdir(), 'mtl-fd-bench-hooks-'));
try {
  // (a) fit overhead
  const data = demoData(FIT.trainSize, 1);
  const probe = demoData(FIT.probeSize, 1000);
  await timeFit('none', demoData(128, 5), probe, dir, 'warmup'); // kernels, wasm memory
  await timeFit('tensorboard', demoData(128, 5), probe, dir, 'warmup'); // the scoring worker's first load
  const without = [];
  const withCap = [];
  const withTb = [];
  for (let i = 0; i < FIT.repeats; i++) {
    without.push(await timeFit('none', data, probe, dir, i));
    withCap.push(await timeFit('capture', data, probe, dir, i));
    withTb.push(await timeFit('tensorboard', data, probe, dir, i));
  }
  const fitWithout = median(without.map((t) => t.cpu));
  const fitWith = median(withCap.map((t) => t.cpu));
  const demoProbe = createProbe(demoModel(), { runDir: join(dir, 'demo-capture'), sharedLayer: 'shared', probe, onError: 'throw' });
  const demoCaptureMs = [];
  for (let i = 0; i < 5; i++) {
    const c0 = process.cpuUsage();
    await demoProbe.capture(i);
    demoCaptureMs.push(cpuMs(c0));
  }

  // (b) feature-level vs parameter-level capture
  const model = resnetModel();
  const capData = tf.tidy(() => ({
    xs: tf.randomUniform([CAP.probeSize, 32, 32, 3], 0, 1, 'float32', 7),
    ys: {
      cls: tf.oneHot(tf.randomUniform([CAP.probeSize], 0, 10, 'int32', 8), 10).toFloat(),
      depth: tf.randomUniform([CAP.probeSize, 1], 0, 1, 'float32', 9),
      seg: tf.randomUniform([CAP.probeSize, 64], 0, 1, 'float32', 10),
    },
  }));
  const feature = createProbe(model, { runDir: join(dir, 'feature'), sharedLayer: 'shared', probe: capData, onError: 'throw' });
  const param = createProbe(model, { runDir: join(dir, 'param'), sharedLayer: 'shared', probe: capData, paramGram: true, onError: 'throw' });
  await feature.capture(0);
  await param.capture(0);
  const featureMs = [];
  const paramMs = [];
  for (let i = 1; i <= CAP.repeats; i++) {
    let c0 = process.cpuUsage();
    await feature.capture(i);
    featureMs.push(cpuMs(c0));
    c0 = process.cpuUsage();
    await param.capture(i);
    paramMs.push(cpuMs(c0));
  }
  const backboneParams = model.layers
    .slice(0, model.layers.findIndex((l) => l.name === 'shared') + 1)
    .reduce((n, l) => n + l.trainableWeights.reduce((m, w) => m + w.shape.reduce((a, b) => a * b, 1), 0), 0);

  const result = {
    backend: backend.backend,
    kernelFixes: backend.kernelFixes.length,
    fit_overhead: {
      model: 'demo LeNet-style backbone (conv5x5x16, pool, conv5x5x32, pool -> z [B,4,6,32]) + 3 heads, input 28x36x1',
      train_size: FIT.trainSize,
      epochs: FIT.epochs,
      batch_size: FIT.batchSize,
      probe_size: FIT.probeSize,
      captures_per_fit: FIT.epochs + 1,
      repeats: FIT.repeats,
      fit_cpu_ms_without: round(fitWithout),
      fit_cpu_ms_with: round(fitWith),
      overhead_pct: round((100 * (fitWith - fitWithout)) / fitWithout, 2),
      fit_wall_ms_without: round(median(without.map((t) => t.wall))),
      fit_wall_ms_with: round(median(withCap.map((t) => t.wall))),
      capture_cpu_ms_median: round(median(demoCaptureMs)),
      captures_pct_of_fit: round((100 * (FIT.epochs + 1) * median(demoCaptureMs)) / fitWithout, 2),
      target_pct: 5,
    },
    tensorboard_overhead: {
      what: 'fdCallback with tensorboard: against fdCallback alone, same fit as fit_overhead; CPU counts the scoring thread too',
      repeats: FIT.repeats,
      fit_wall_ms_capture: round(median(withCap.map((t) => t.wall))),
      fit_wall_ms_tensorboard: round(median(withTb.map((t) => t.wall))),
      overhead_wall_pct: round((100 * (median(withTb.map((t) => t.wall)) - median(withCap.map((t) => t.wall)))) / median(withCap.map((t) => t.wall)), 2),
      train_ms_capture: round(median(withCap.map((t) => t.train))),
      train_ms_tensorboard: round(median(withTb.map((t) => t.train))),
      overhead_train_pct: round((100 * (median(withTb.map((t) => t.train)) - median(withCap.map((t) => t.train)))) / median(withCap.map((t) => t.train)), 2),
      end_wait_ms_tensorboard: round(median(withTb.map((t) => t.wall - t.train))),
      fit_cpu_ms_capture: round(fitWith),
      fit_cpu_ms_tensorboard: round(median(withTb.map((t) => t.cpu))),
      added_cpu_pct: round((100 * (median(withTb.map((t) => t.cpu)) - fitWith)) / fitWith, 2),
      target_pct: 1,
    },
    feature_vs_param: {
      model: 'ResNet-style: stem conv3x3x32 + 5 residual blocks (32, 32, 64/2, 64, 128/2) -> z [B,8,8,128]; heads cls, depth, seg',
      backbone_params: backboneParams,
      tasks: 3,
      probe_size: CAP.probeSize,
      repeats: CAP.repeats,
      feature_cpu_ms: round(median(featureMs)),
      param_cpu_ms: round(median(paramMs)),
      ratio: round(median(paramMs) / median(featureMs), 2),
    },
  };
  tf.dispose([data.xs, ...Object.values(data.ys), probe.xs, ...Object.values(probe.ys), capData.xs, ...Object.values(capData.ys)]);
  model.dispose();
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
