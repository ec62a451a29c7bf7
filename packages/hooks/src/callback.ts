import * as tf from '@tensorflow/tfjs';
import { UserError } from '@mtl-fd/capture';
import { createProbe, type FdProbe, type ProbeOptions } from './probe.js';
import type { ProbeBatch } from './capture/probeBatch.js';

/** How often to capture: after every `epochs` epochs, or every `batches` batches. */
export type Every = { epochs: number } | { batches: number };

export interface FdCallbackOptions extends Omit<ProbeOptions, 'probe' | 'onError'> {
  /** the fixed probe batch: `xs` by input, `ys` keyed by output name as `fit` takes them */
  probe: ProbeBatch;
  /** default `{epochs: 1}` */
  every?: Every;
}

function checkEvery(every: unknown): Every {
  const e = every as Record<string, unknown> | undefined;
  if (e === undefined) return { epochs: 1 };
  const keys = e === null || typeof e !== 'object' ? [] : Object.keys(e);
  const key = keys[0];
  const n = key === undefined ? undefined : e[key];
  if (keys.length !== 1 || (key !== 'epochs' && key !== 'batches') || typeof n !== 'number' || !Number.isSafeInteger(n) || n < 1) {
    throw new UserError(`every: expected {epochs: n} or {batches: n} with a whole n >= 1 (got ${JSON.stringify(every)})`);
  }
  return key === 'epochs' ? { epochs: n } : { batches: n };
}

/**
 * The `model.fit` callback (see `fdCallback`). Steps count optimizer steps (batches)
 * over the callback's life, so one instance can follow several `fit` calls.
 */
export class FdCallback extends tf.Callback {
  private readonly every: Every;
  private probe: FdProbe | undefined;
  /** the probe's run lock was released at the end of a fit() */
  private closed = false;
  /** batches trained so far: the step of the next capture */
  step = 0;
  /** epochs completed so far: the `epoch` of the next capture */
  epochs = 0;

  constructor(private readonly options: FdCallbackOptions) {
    super();
    if (options === null || typeof options !== 'object') throw new UserError('fdCallback: options are required');
    if (options.probe === undefined) throw new UserError('fdCallback: the probe option ({xs, ys}) is required');
    this.every = checkEvery(options.every);
  }

  /** The probe behind this callback, once training has begun (kept after it ends). */
  get fdProbe(): FdProbe | undefined {
    return this.probe;
  }

  // Set-up problems (unknown layer, no loss, a probe batch that does not fit) throw
  // here, before the first batch; capture failures later on only warn.
  override async onTrainBegin(): Promise<void> {
    if (this.probe !== undefined && !this.closed) return;
    this.closed = false;
    const { every: _every, ...rest } = this.options;
    this.probe = createProbe(this.model, { ...rest, onError: 'warn' });
    if (this.step > 0) {
      // a later fit(): step 0 is written already; run.json is written again, without finishedAt
      await this.probe.start({ every: this.every }).catch(() => undefined);
      return;
    }
    await this.probe.start({ every: this.every }).catch(() => undefined); // retried (and warned about) by the capture
    await this.probe.capture(0, undefined, { epoch: 0 });
  }

  override async onTrainEnd(): Promise<void> {
    // release the run directory for the next training; a later fit() takes it again
    await this.probe?.close();
    this.closed = true;
  }

  override async onBatchEnd(): Promise<void> {
    this.step++;
    if ('batches' in this.every && this.step % this.every.batches === 0) await this.probe?.capture(this.step, undefined, { epoch: this.epochs });
  }

  override async onEpochEnd(): Promise<void> {
    this.epochs++;
    if ('epochs' in this.every && this.epochs % this.every.epochs === 0) await this.probe?.capture(this.step, undefined, { epoch: this.epochs });
  }
}

/**
 * A callback for `model.fit({callbacks: [fdCallback({...})]})` that writes captures
 * into `runDir`: run.json when training begins, a capture at step 0 before the first
 * batch, then one every `every` epochs or batches. Training never stops because of a
 * capture: a failing one logs a warning (once per distinct error) and training goes on.
 */
export function fdCallback(options: FdCallbackOptions): FdCallback {
  return new FdCallback(options);
}
