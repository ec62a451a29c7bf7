import * as tf from '@tensorflow/tfjs';
import { basename, resolve } from 'node:path';
import { acquireRunLock, UserError, type CaptureData, type Layout, type ReleaseRunLock } from '@mtl-fd/capture';
import { splitAtSharedLayer, type SharedGraph } from './graph/sharedGraph.js';
import { resolveTasks, type TaskSpec } from './capture/tasks.js';
import type { LossSpec } from './capture/losses.js';
import { probeBatchSize, probeInputs, probeTargets, type ProbeBatch } from './capture/probeBatch.js';
import { sharedGradients } from './capture/sharedGradients.js';
import { parameterGram } from './capture/paramGram.js';
import { weightsAt, type TaskWeights } from './capture/weights.js';
import { FailureLog } from './run/failureLog.js';
import { buildManifest, producer, type RunManifest } from './run/manifest.js';
import { LiveTensorboard } from './tensorboard/liveTensorboard.js';
import { writeCheckpoint, writeManifest, writeRunCapture } from './run/runFiles.js';

export interface ProbeOptions {
  /** where run.json, captures/ and checkpoints/ go */
  runDir: string;
  /** name of the layer whose output feeds every head */
  sharedLayer: string;
  /** the fixed batch to probe with (or pass one to each `capture` call) */
  probe?: ProbeBatch;
  /** output name -> task name; only mapped outputs are tasks. Default: every output, by its name */
  tasks?: Record<string, string>;
  /** task name -> loss (a function or a tfjs loss name); default: the loss the output was compiled with */
  losses?: Record<string, LossSpec>;
  /** also store `param_gram`, the Gram matrix of the per-task gradients w.r.t. the backbone's trainable weights */
  paramGram?: boolean;
  /** the loss weights the training applies (a map, or a function of the step), stored as `weight.<task>` */
  weights?: TaskWeights;
  /**
   * storage dtype of the features and gradients (default F32). F16 and BF16 halve the
   * files; F16 flushes values below 6e-8 to zero, which `diagnose` reports as a numerical hazard
   */
  dtype?: 'F32' | 'F16' | 'BF16';
  /** also save the model (tfjs format) to checkpoints/step-XXXXXXXX/ with each capture */
  checkpoints?: boolean;
  /** the `run` metadata; default the run directory's name */
  runName?: string;
  /** where failure warnings go; default console.warn */
  log?: (message: string) => void;
  /** write run.json before the first capture (default true) */
  manifest?: boolean;
  /** 'warn' (default): a failed capture logs a warning and capture() resolves to undefined; 'throw': it rejects */
  onError?: 'warn' | 'throw';
  /**
   * a TensorBoard log directory: each capture, once written, is scored in a worker
   * thread (training does not wait) and its scores appended as scalars to
   * `<tensorboard>/<run>/`; a failure there warns (each distinct error once)
   */
  tensorboard?: string;
}

export interface CaptureCallOptions {
  /** the `epoch` metadata */
  epoch?: number;
  /** the loss weights in effect at this step; overrides the probe's `weights` option */
  weights?: Readonly<Record<string, number>>;
}

/** Captures of one model into one run directory. */
export interface FdProbe {
  readonly runDir: string;
  readonly sharedLayer: string;
  readonly layout: Layout;
  /** task names, in capture order */
  readonly tasks: readonly string[];
  /** paths of the captures written so far */
  readonly written: readonly string[];
  /** how many captures failed (each distinct error was logged once) */
  readonly failures: number;
  /**
   * Probes the model as it is now and writes `captures/step-XXXXXXXX.safetensors`
   * (and the checkpoint, when asked). Resolves to the capture's path, or to undefined
   * when it failed (after a warning); never rejects unless `onError: 'throw'`.
   */
  capture(step: number, batch?: ProbeBatch, options?: CaptureCallOptions): Promise<string | undefined>;
  /** Writes run.json now (the first capture does it otherwise); `options` are recorded in it. */
  start(options?: Record<string, unknown>): Promise<void>;
  /** Checks a probe batch against the model (inputs, targets per task, batch sizes); throws a UserError. */
  check(batch: ProbeBatch): void;
  /**
   * Waits for pending captures (and their TensorBoard scalars), records `finishedAt`
   * in run.json (a watcher's sign that training is over), then releases the run
   * directory's lock so another training may write there. Idempotent; the lock also
   * goes when the process exits.
   */
  close(): Promise<void>;
}

class Probe implements FdProbe {
  readonly runDir: string;
  readonly sharedLayer: string;
  readonly layout: Layout;
  readonly tasks: readonly string[];
  readonly written: string[] = [];
  private readonly graph: SharedGraph;
  private readonly specs: TaskSpec[];
  private readonly failureLog: FailureLog;
  private readonly runName: string;
  private started = false;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly releaseLock: ReleaseRunLock;
  private readonly releaseOnExit: () => void;
  private readonly live: LiveTensorboard | undefined;
  /** the run.json written last (finishedAt is added to it on close) */
  private manifest: RunManifest | undefined;
  private closed = false;

  constructor(
    private readonly model: tf.LayersModel,
    private readonly options: ProbeOptions,
  ) {
    if (typeof options.runDir !== 'string' || options.runDir === '') throw new UserError('runDir: a directory path is required');
    if (typeof options.sharedLayer !== 'string' || options.sharedLayer === '') throw new UserError('sharedLayer: a layer name is required');
    this.runDir = resolve(options.runDir);
    this.graph = splitAtSharedLayer(model, options.sharedLayer);
    this.specs = resolveTasks(model, options.tasks, options.losses);
    this.sharedLayer = options.sharedLayer;
    this.layout = this.graph.layout;
    this.tasks = this.specs.map((s) => s.task);
    this.runName = options.runName ?? basename(this.runDir);
    this.failureLog = new FailureLog(options.log ?? ((m) => console.warn(m)));
    if (options.tensorboard !== undefined && (typeof options.tensorboard !== 'string' || options.tensorboard === '')) {
      throw new UserError('tensorboard: a log directory path is required');
    }
    this.live = options.tensorboard === undefined ? undefined : new LiveTensorboard(resolve(options.tensorboard), this.runName, options.log ?? ((m) => console.warn(m)));
    this.started = options.manifest === false;
    if (options.probe !== undefined) this.check(options.probe);
    // Two trainings writing into one run directory would interleave their captures:
    // the second is refused here, before it trains (a RunLockedError naming the holder).
    this.releaseLock = acquireRunLock(this.runDir, `mtl-fd hooks: ${basename(process.argv[1] ?? 'node')}`, {
      onWarning: (m) => (options.log ?? ((w: string) => console.warn(w)))(`mtl-fd: ${m}`),
    });
    this.releaseOnExit = () => this.releaseLock();
    process.once('exit', this.releaseOnExit);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue;
    await this.live?.close();
    if (this.manifest) {
      try {
        await writeManifest(this.runDir, { ...this.manifest, finishedAt: new Date().toISOString() });
      } catch (err) {
        this.failureLog.report(err, `writing finishedAt into ${this.runDir}/run.json`);
      }
    }
    process.removeListener('exit', this.releaseOnExit);
    this.releaseLock();
  }

  get failures(): number {
    return this.failureLog.count;
  }

  check(batch: ProbeBatch): void {
    if (batch === null || typeof batch !== 'object' || batch.xs === undefined || batch.ys === undefined) {
      throw new UserError('probe: expected {xs, ys}');
    }
    const xs = probeInputs(this.model, batch.xs);
    const ys = probeTargets(this.model, batch.ys);
    for (const s of this.specs) {
      if (!ys.has(s.output)) throw new UserError(`probe ys: no targets for output '${s.output}' (task '${s.task}')`);
    }
    probeBatchSize(xs, ys);
  }

  async start(options: Record<string, unknown> = {}): Promise<void> {
    const recorded = { paramGram: this.options.paramGram ?? false, checkpoints: this.options.checkpoints ?? false, ...options };
    const manifest = buildManifest(this.runName, this.graph, this.specs, recorded);
    await writeManifest(this.runDir, manifest);
    this.manifest = manifest;
    this.started = true;
  }

  capture(step: number, batch?: ProbeBatch, options: CaptureCallOptions = {}): Promise<string | undefined> {
    // one capture at a time, in call order
    const run = this.queue.then(() => this.captureNow(step, batch, options));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async captureNow(step: number, batch: ProbeBatch | undefined, options: CaptureCallOptions): Promise<string | undefined> {
    try {
      if (!Number.isSafeInteger(step) || step < 0) throw new UserError(`capture step must be a non-negative integer (got ${step})`);
      if (!this.started) {
        try {
          await this.start();
        } catch (err) {
          // no manifest is no reason to lose the capture; start() is retried next time
          if (this.options.onError === 'throw') throw err;
          this.failureLog.report(err, `writing ${this.runDir}/run.json`);
        }
      }
      const data = await this.compute(step, batch ?? this.options.probe, options.epoch);
      const weights = options.weights ?? this.options.weights;
      if (weights !== undefined) data.weights = weightsAt(weights, step, this.tasks);
      if (this.options.dtype !== undefined) data.dtype = this.options.dtype;
      const file = await writeRunCapture(this.runDir, data);
      if (this.options.checkpoints) await writeCheckpoint(this.runDir, step, this.model);
      this.written.push(file);
      this.live?.add(file);
      return file;
    } catch (err) {
      if (this.options.onError === 'throw') throw err;
      this.failureLog.report(err, `capture at step ${step}`);
      return undefined;
    }
  }

  private async compute(step: number, batch: ProbeBatch | undefined, epoch: number | undefined): Promise<CaptureData> {
    if (batch === undefined) throw new UserError('capture: no probe batch (pass one, or set the probe option)');
    if (batch !== this.options.probe) this.check(batch);
    const xs = probeInputs(this.model, batch.xs);
    const ys = probeTargets(this.model, batch.ys);
    const { z, grads, losses } = sharedGradients(this.graph, this.specs, xs, ys);
    try {
      const features = (await z.data()) as Float32Array;
      const gradValues: Record<string, Float32Array> = {};
      const lossValues: Record<string, number> = {};
      for (let i = 0; i < this.specs.length; i++) {
        const task = (this.specs[i] as TaskSpec).task;
        gradValues[task] = (await (grads[i] as tf.Tensor).data()) as Float32Array;
        lossValues[task] = ((await (losses[i] as tf.Scalar).data()) as Float32Array)[0] as number;
      }
      const paramGram = this.options.paramGram ? await parameterGram(this.graph, xs, grads) : undefined;
      return {
        meta: {
          step,
          tasks: [...this.tasks],
          layout: this.layout,
          ...(epoch !== undefined ? { epoch } : {}),
          run: this.runName,
          producer: producer(),
        },
        shape: z.shape,
        features,
        grads: gradValues,
        losses: lossValues,
        ...(paramGram !== undefined ? { paramGram } : {}),
      };
    } finally {
      tf.dispose([z, ...grads, ...losses]);
    }
  }
}

/**
 * A probe for custom training loops: `await probe.capture(step)` writes one capture of
 * `model` (features at `sharedLayer`, per-task gradients w.r.t. them, per-task losses)
 * into `runDir`. Configuration errors (unknown layer, no loss, a probe batch that does
 * not fit the model, a run directory another live training holds) throw a UserError
 * here; failures while capturing only warn. `await probe.close()` when training ends
 * releases the run directory's lock.
 */
export function createProbe(model: tf.LayersModel, options: ProbeOptions): FdProbe {
  return new Probe(model, options);
}
