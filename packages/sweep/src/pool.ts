import { Worker } from 'node:worker_threads';

/** An error as it crosses the thread boundary. */
export interface WireError {
  name: string;
  message: string;
  /** a UserError (an input problem) rather than a bug */
  user: boolean;
  exitCode?: number;
  /** a CaptureError's parts */
  file?: string;
  problem?: string;
  stack?: string;
}

export type WireReply<Res> = { id: number; ok: true; result: Res } | { id: number; ok: false; error: WireError };

/** What a worker may post while a job runs (progress, log lines), before its reply. */
export interface WireEvent<Ev> {
  id: number;
  event: Ev;
}

/** How the pool's threads start. */
export interface WorkerPoolOptions {
  /** given to every thread as `workerData` (what it sets up once, before its first job) */
  workerData?: unknown;
  /** what the threads are, for the message when one dies ("scoring", "demo") */
  role?: string;
  /**
   * an idle thread does not keep the process alive (default false): for a pool that
   * lives beside a program (live scoring during training) rather than for one task
   */
  unrefWhenIdle?: boolean;
}

interface Job<Req, Res, Ev> {
  id: number;
  request: Req;
  onEvent?: (event: Ev) => void;
  resolve: (r: Res) => void;
  reject: (e: unknown) => void;
}

interface Slot<Req, Res, Ev> {
  worker: Worker;
  job?: Job<Req, Res, Ev>;
}

/**
 * A fixed set of worker threads running one script; `run` queues a request and
 * resolves with the reply of whichever worker took it. A worker that dies (crash,
 * out of memory) fails only its current job and is replaced. `decodeError` turns a
 * worker's error back into an exception of the caller's choosing. A job's events
 * (`{id, event}` messages, see serveRequests) reach the `onEvent` given to `run`.
 * The sweep scores with it and the demo trains with it.
 */
export class WorkerPool<Req, Res, Ev = never> {
  private readonly slots: Slot<Req, Res, Ev>[] = [];
  private readonly queue: Job<Req, Res, Ev>[] = [];
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly script: string,
    readonly size: number,
    private readonly decodeError: (e: WireError) => Error,
    private readonly options: WorkerPoolOptions = {},
  ) {
    if (!Number.isSafeInteger(size) || size < 1) throw new RangeError(`worker pool size must be a positive integer (got ${size})`);
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
  }

  private spawn(): Slot<Req, Res, Ev> {
    const slot: Slot<Req, Res, Ev> = { worker: new Worker(this.script, { workerData: this.options.workerData }) };
    if (this.options.unrefWhenIdle) slot.worker.unref();
    slot.worker.on('message', (reply: WireReply<Res> | WireEvent<Ev>) => {
      const job = slot.job;
      if (!job || job.id !== reply.id) return;
      if ('event' in reply) {
        job.onEvent?.(reply.event);
        return;
      }
      slot.job = undefined;
      if (this.options.unrefWhenIdle) slot.worker.unref();
      if (reply.ok) job.resolve(reply.result);
      else job.reject(this.decodeError(reply.error));
      this.pump();
    });
    const fail = (err: Error) => {
      const job = slot.job;
      slot.job = undefined;
      const i = this.slots.indexOf(slot);
      if (i < 0) return;
      if (job) job.reject(err);
      if (this.closed) return;
      // replace the dead worker and carry on with the queue
      this.slots[i] = this.spawn();
      this.pump();
    };
    slot.worker.on('error', fail);
    slot.worker.on('exit', (code) => {
      if (!this.closed) fail(new Error(`a ${this.options.role ?? 'scoring'} worker exited unexpectedly (code ${code})`));
    });
    return slot;
  }

  /** Queues `request`; `onEvent` hears the events its worker posts while running it. */
  run(request: Req, onEvent?: (event: Ev) => void): Promise<Res> {
    if (this.closed) return Promise.reject(new Error('worker pool is closed'));
    return new Promise<Res>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, request, onEvent, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (slot.job) continue;
      const job = this.queue.shift() as Job<Req, Res, Ev>;
      slot.job = job;
      if (this.options.unrefWhenIdle) slot.worker.ref();
      slot.worker.postMessage({ id: job.id, request: job.request });
    }
  }

  /** Stops every worker; jobs still queued or running are rejected. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const err = new Error('worker pool closed');
    for (const job of this.queue.splice(0)) job.reject(err);
    for (const slot of this.slots) {
      slot.job?.reject(err);
      slot.job = undefined;
    }
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
