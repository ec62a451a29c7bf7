import * as tf from '@tensorflow/tfjs';
import type { TaskName } from './data.js';
import { dwaWeights, fitLossWeights, METHODS, mgdaWeights, pcgradWeights, type Gram, type MethodId } from './methods.js';
import { buildModel, SHARED_LAYER, TASK_SPECS, taskLoss, type InitSeeds, type ModelSizes } from './model.js';
import type { ProgressSink } from './progress.js';
import { SeededRandom } from '@mtl-fd/metrics';
import { epochBatches, gatherBatch, probeBatch, type DemoTensors } from './tensors.js';
import { tweakCallbacks, type RunTweak } from './zoo/tweak.js';

/** One training run of the demo: an MTL method, or a single-task baseline. */
export interface RunSpec {
  /** run name: the method id (`ew`, `uw`, ...) or `stl-<task>` */
  name: string;
  kind: 'mtl' | 'stl';
  method?: MethodId;
  tasks: TaskName[];
  runDir: string;
  /** a zoo run's pathology (model.fit runs only) */
  tweak?: RunTweak;
  /** this run's seed (data, initial weights, batch order); default the experiment's */
  seed?: number;
}

export interface TrainConfig {
  epochs: number;
  batchSize: number;
  learningRate: number;
  seed: number;
  initSeeds: InitSeeds;
  sizes: ModelSizes;
}

/** The fixed probe batch: inputs, and targets keyed by output (task) name. */
export interface ProbeData {
  xs: tf.Tensor;
  ys: Record<string, tf.Tensor>;
}

/** Where captures go: the demo's adapter over @mtl-fd/hooks (fdCallback / createProbe). */
export interface CaptureHooks {
  /** callbacks for model.fit (capturing every epoch, and at step 0); `weights()` are the loss weights in effect */
  fitCallback(
    model: tf.LayersModel,
    spec: RunSpec,
    probe: ProbeData,
    weights: () => Record<string, number>,
  ): Promise<tf.CustomCallbackArgs | tf.Callback | null>;
  /** a probe for custom loops; `capture(step, epoch, weights)` after each epoch and at step 0, with the weights last applied */
  customProbe(
    model: tf.LayersModel,
    spec: RunSpec,
    probe: ProbeData,
  ): Promise<{ capture(step: number, epoch: number, weights: Record<string, number>): Promise<void>; close(): Promise<void> } | null>;
}

export interface EpochRecord {
  epoch: number;
  /** optimisation steps done at the end of the epoch */
  step: number;
  /** mean training loss per task over the epoch (unweighted) */
  losses: Record<string, number>;
  /** the task weights the method used, averaged over the epoch's steps (what multiplies each dL_t) */
  weights: Record<string, number>;
  seconds: number;
}

export interface TrainedRun {
  spec: RunSpec;
  model: tf.LayersModel;
  history: EpochRecord[];
  steps: number;
  seconds: number;
}

/**
 * The losses model.fit compiles: the task's loss, times its weight when the method
 * weights the tasks (tfjs-layers has no `lossWeights`). The weight is read from
 * `weights` at every batch, so a method may change it between epochs (DWA). Logged
 * `<task>_loss` values are then weighted; the history divides the weight back out.
 */
function compiledLosses(
  tasks: readonly TaskName[],
  weights: Record<string, number>,
  dynamic: boolean,
): Record<string, string | ((yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor)> {
  return Object.fromEntries(
    tasks.map((t) => {
      if (!dynamic && (weights[t] ?? 1) === 1) return [t, TASK_SPECS[t].loss];
      return [t, (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.mul(weights[t] ?? 1, taskLoss(t, yTrue, yPred))];
    }),
  );
}

/** Trains one run; the model is returned for evaluation (the caller disposes it). */
export async function trainRun(spec: RunSpec, cfg: TrainConfig, data: DemoTensors, hooks: CaptureHooks, progress: ProgressSink): Promise<TrainedRun> {
  const engine = spec.kind === 'stl' || METHODS[spec.method!].engine === 'fit' ? 'fit' : 'custom';
  if (spec.tweak && engine !== 'fit') throw new Error(`run ${spec.name}: a zoo tweak needs a model.fit method, not ${spec.method}`);
  const model = buildModel(spec.tasks, cfg.initSeeds, cfg.sizes, spec.tweak?.sharedHead);
  const started = performance.now();
  const history = engine === 'fit' ? await trainFit(model, spec, cfg, data, hooks, progress) : await trainCustom(model, spec, cfg, data, hooks, progress);
  const steps = history.length > 0 ? history[history.length - 1]!.step : 0;
  return { spec, model, history, steps, seconds: (performance.now() - started) / 1000 };
}

async function trainFit(
  model: tf.LayersModel,
  spec: RunSpec,
  cfg: TrainConfig,
  data: DemoTensors,
  hooks: CaptureHooks,
  progress: ProgressSink,
): Promise<EpochRecord[]> {
  const n = data.train.count;
  const weights = spec.method ? fitLossWeights(spec.method, spec.tasks) : Object.fromEntries(spec.tasks.map((t) => [t, 1]));
  for (const [t, w] of Object.entries(spec.tweak?.weights ?? {})) if (t in weights) weights[t] = w;
  const dwa = spec.method === 'dwa';
  const optimizer = tf.train.adam(cfg.learningRate);
  model.compile({ optimizer, loss: compiledLosses(spec.tasks, weights, dwa) as tf.ModelCompileArgs['loss'] });
  const tweaks = tweakCallbacks(model, spec.tweak, data);
  let epochCounter = 0;
  const dataset = tf.data.generator(function* () {
    const batches = epochBatches(cfg.seed, epochCounter++, n, cfg.batchSize);
    for (const idx of batches) yield gatherBatch(data, idx, spec.tasks) as unknown as tf.TensorContainer;
  });
  const history: EpochRecord[] = [];
  let steps = 0;
  let epochStart = performance.now();
  const ours = new tf.CustomCallback({
    onEpochBegin: async () => {
      epochStart = performance.now();
    },
    onBatchEnd: async () => {
      steps++;
      progress.step(history.length + 1);
    },
    onEpochEnd: async (epoch, logs) => {
      const losses: Record<string, number> = {};
      for (const t of spec.tasks) {
        const v = spec.tasks.length === 1 ? logs?.loss : logs?.[`${t}_loss`];
        losses[t] = typeof v === 'number' ? v / (weights[t] ?? 1) : NaN;
      }
      history.push({ epoch: epoch + 1, step: steps, losses, weights: { ...weights }, seconds: (performance.now() - epochStart) / 1000 });
      progress.epoch(epoch + 1, weightedLoss(losses, weights));
      if (dwa && history.length >= 2) {
        // the weights of the next epoch, from the mean losses of the last two
        const next = dwaWeights(
          spec.tasks.map((t) => history[history.length - 1]!.losses[t]!),
          spec.tasks.map((t) => history[history.length - 2]!.losses[t]!),
        );
        spec.tasks.forEach((t, i) => (weights[t] = next[i]!));
      }
    },
  });
  const callbacks: (tf.CustomCallbackArgs | tf.Callback)[] = [];
  const capture = spec.kind === 'mtl' ? await hooks.fitCallback(model, spec, probeBatch(data, spec.tasks), () => ({ ...weights })) : null;
  if (capture) callbacks.push(capture);
  // after the capture at an epoch's end, so a capture shows the model before the next epoch's change
  if (tweaks) callbacks.push(new tf.CustomCallback(tweaks));
  callbacks.push(ours);
  await model.fitDataset(dataset, { epochs: cfg.epochs, verbose: 0, callbacks: callbacks as tf.CustomCallbackArgs[] });
  optimizer.dispose();
  return history;
}

function weightedLoss(losses: Record<string, number>, weights: Record<string, number>): number {
  let s = 0;
  for (const [t, l] of Object.entries(losses)) s += (weights[t] ?? 1) * l;
  return s;
}

interface StepResult {
  losses: number[];
  weights: number[];
}

/** The model split into a backbone (input -> z) and per-task heads (z -> output), sharing weights. */
function splitModel(model: tf.LayersModel, tasks: readonly TaskName[]) {
  const backbone = tf.model({ inputs: model.inputs, outputs: model.getLayer(SHARED_LAYER).output as tf.SymbolicTensor });
  const headLayers = tasks.map((t) => [model.getLayer(`${t}_flatten`), model.getLayer(`${t}_hidden`), model.getLayer(t)]);
  const head = (i: number, z: tf.Tensor): tf.Tensor => headLayers[i]!.reduce((h, layer) => layer.apply(h) as tf.Tensor, z);
  const vars = (ws: tf.LayerVariable[]) => ws.map((w) => w.read() as tf.Variable);
  const backboneVars = vars(backbone.trainableWeights);
  const headVars = headLayers.map((ls) => vars(ls.flatMap((l) => l.trainableWeights)));
  return { backbone, head, backboneVars, headVars };
}

async function trainCustom(
  model: tf.LayersModel,
  spec: RunSpec,
  cfg: TrainConfig,
  data: DemoTensors,
  hooks: CaptureHooks,
  progress: ProgressSink,
): Promise<EpochRecord[]> {
  const tasks = spec.tasks;
  const T = tasks.length;
  const n = data.train.count;
  const optimizer = tf.train.adam(cfg.learningRate);
  const parts = splitModel(model, tasks);
  const allVars = [...parts.backboneVars, ...parts.headVars.flat()];
  // uncertainty weighting: one learned log-variance per task, starting at 0
  const logVars = spec.method === 'uw' ? tasks.map((t) => tf.variable(tf.zeros([]), true, `uw_logvar_${t}_${spec.name}_${cfg.seed}`)) : [];
  const methodRng = new SeededRandom(cfg.seed * 31 + 5);
  const probe = await hooks.customProbe(model, spec, probeBatch(data, tasks));
  // the weights the loop applies to each dL_t: uw's exp(-s_t)/2 (s_t = 0 at first), pcgrad's and mgda's coefficients (1 until the first step)
  let applied = Object.fromEntries(tasks.map((t) => [t, spec.method === 'uw' ? 0.5 : 1]));
  if (probe) await probe.capture(0, 0, applied);

  const uwStep = (xs: tf.Tensor, ys: Record<string, tf.Tensor>): StepResult => {
    const kept: tf.Scalar[] = [];
    const cost = optimizer.minimize(
      () => {
        const preds = model.apply(xs, { training: true }) as tf.Tensor[];
        let total = tf.scalar(0);
        tasks.forEach((t, i) => {
          const L = taskLoss(t, ys[t]!, preds[i]!);
          kept.push(tf.keep(L));
          const s = logVars[i]!;
          total = tf.add(total, tf.add(tf.mul(tf.mul(0.5, tf.exp(tf.neg(s))), L), tf.mul(0.5, s)));
        });
        return total as tf.Scalar;
      },
      false,
      [...allVars, ...logVars],
    );
    if (cost) tf.dispose(cost);
    const losses = kept.map((l) => l.dataSync()[0]!);
    tf.dispose(kept);
    const weights = logVars.map((s) => 0.5 * Math.exp(-s.dataSync()[0]!));
    return { losses, weights };
  };

  const gradStep = (xs: tf.Tensor, ys: Record<string, tf.Tensor>): StepResult => {
    const method = spec.method!;
    let losses: number[] = [];
    let weights: number[] = [];
    const grads = tf.tidy(() => {
      const z = parts.backbone.apply(xs) as tf.Tensor;
      const gz: tf.Tensor[] = [];
      const lossT: tf.Scalar[] = [];
      const named: tf.NamedTensorMap = {};
      tasks.forEach((t, i) => {
        const hv = parts.headVars[i]!;
        const { value, grads } = tf.engine().gradients(() => taskLoss(t, ys[t]!, parts.head(i, z)), [z, ...hv]);
        gz.push(grads[0]!);
        lossT.push(value!);
        hv.forEach((v, k) => (named[v.name] = grads[k + 1]!));
      });
      const G = tf.stack(gz.map((g) => g.reshape([-1])));
      const Kflat = tf.matMul(G, G.transpose()).dataSync();
      const K: Gram = [...Array(T).keys()].map((a) => [...Array(T).keys()].map((b) => Kflat[a * T + b]!));
      losses = lossT.map((l) => l.dataSync()[0]!);
      weights = method === 'pcgrad' ? pcgradWeights(K, methodRng) : mgdaWeights(K, losses);
      const combined = tf.addN(gz.map((g, i) => tf.mul(g, weights[i]!)));
      const { grads: bg } = tf.engine().gradients(() => tf.sum(tf.mul(parts.backbone.apply(xs) as tf.Tensor, combined)) as tf.Scalar, parts.backboneVars);
      parts.backboneVars.forEach((v, k) => (named[v.name] = bg[k]!));
      return named;
    });
    optimizer.applyGradients(Object.entries(grads).map(([name, tensor]) => ({ name, tensor })));
    tf.dispose(Object.values(grads));
    return { losses, weights };
  };

  const history: EpochRecord[] = [];
  let steps = 0;
  try {
    for (let epoch = 0; epoch < cfg.epochs; epoch++) {
      const t0 = performance.now();
      const lossSum = new Array<number>(T).fill(0);
      const weightSum = new Array<number>(T).fill(0);
      let count = 0;
      for (const idx of epochBatches(cfg.seed, epoch, n, cfg.batchSize)) {
        const { xs, ys } = gatherBatch(data, idx, tasks);
        const r = spec.method === 'uw' ? uwStep(xs, ys) : gradStep(xs, ys);
        tf.dispose([xs, ...Object.values(ys)]);
        // epoch means weighted by batch size, as model.fit reports them
        r.losses.forEach((l, i) => (lossSum[i]! += l * idx.length));
        r.weights.forEach((w, i) => (weightSum[i]! += w));
        applied = Object.fromEntries(tasks.map((t, i) => [t, r.weights[i]!]));
        count += idx.length;
        steps++;
        progress.step(epoch + 1);
        await new Promise((resolve) => setImmediate(resolve));
      }
      const batches = Math.ceil(n / cfg.batchSize);
      const losses = Object.fromEntries(tasks.map((t, i) => [t, lossSum[i]! / count]));
      const weights = Object.fromEntries(tasks.map((t, i) => [t, weightSum[i]! / batches]));
      history.push({ epoch: epoch + 1, step: steps, losses, weights, seconds: (performance.now() - t0) / 1000 });
      if (probe) await probe.capture(steps, epoch + 1, applied);
      progress.epoch(epoch + 1, weightedLoss(losses, weights));
    }
  } finally {
    // releases the run directory's lock (hooks refuse two trainings in one run dir)
    if (probe) await probe.close();
    optimizer.dispose();
    tf.dispose(logVars);
  }
  return history;
}
