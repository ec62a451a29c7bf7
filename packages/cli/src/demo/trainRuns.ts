import { fileURLToPath } from 'node:url';
import { fromWireError, WorkerPool } from '@mtl-fd/sweep';
import type { BackendChoice } from '@mtl-fd/hooks';
import type { CliIO } from '../io.js';
import type { ProgressBoard } from './progress.js';
import { executeRun, SeedData, type RunOutcome, type RunSetup } from './runner.js';
import type { CaptureHooks, RunSpec } from './train.js';
import type { DemoWorkerData, DemoWorkerEvent } from './workerProtocol.js';

/** Where and how the runs of one set-up are trained. */
export interface TrainRunsContext {
  board: ProgressBoard;
  /** runs trained at once, each in its own worker thread (1: one after another in this thread) */
  jobs: number;
  backend?: BackendChoice;
  /** the capture hooks of runs trained in this thread (workers make their own) */
  hooks: CaptureHooks;
  io: CliIO;
  /** gets `data_seconds` when the data is built in this thread */
  timings?: Record<string, number>;
}

/** Trains every spec on one set-up (each at its own seed, else the set-up's); outcomes in spec order. */
export async function trainRuns(specs: RunSpec[], setup: RunSetup, ctx: TrainRunsContext): Promise<RunOutcome[]> {
  const jobs = Math.max(1, Math.min(ctx.jobs, specs.length));
  const stepsPerEpoch = Math.ceil(setup.trainSize / setup.batchSize);
  return jobs === 1 ? runInProcess(specs, setup, ctx, stepsPerEpoch) : runInWorkers(specs, setup, ctx, stepsPerEpoch, jobs);
}

function doneNote(spec: RunSpec, o: RunOutcome): string {
  return `  ${o.test.map((r) => `${r.task} ${r.metric} ${r.value.toFixed(3)}`).join(', ')}${spec.kind === 'mtl' ? `, ${o.captures} captures` : ''}`;
}

/** One run after another in this thread. */
async function runInProcess(specs: RunSpec[], setup: RunSetup, ctx: TrainRunsContext, stepsPerEpoch: number): Promise<RunOutcome[]> {
  const t = performance.now();
  const data = new SeedData(setup);
  data.of(specs[0]!); // built here, so that data_seconds times it
  if (ctx.timings) ctx.timings.data_seconds = (performance.now() - t) / 1000;
  const out: RunOutcome[] = [];
  try {
    for (const [i, spec] of specs.entries()) {
      const bar = ctx.board.bar(spec.name, `[${i + 1}/${specs.length}]`, setup.epochs, stepsPerEpoch);
      const o = await executeRun(spec, setup, data.of(spec), ctx.hooks, bar);
      bar.finish(doneNote(spec, o));
      out.push(o);
    }
  } finally {
    data.dispose();
  }
  return out;
}

/**
 * The runs spread over `jobs` worker threads (tfjs's wasm backend is single-threaded,
 * so this is how the demo uses more than one core). Each run is deterministic on its
 * own, so the results do not depend on `jobs` or on the order runs finish in.
 */
async function runInWorkers(specs: RunSpec[], setup: RunSetup, ctx: TrainRunsContext, stepsPerEpoch: number, jobs: number): Promise<RunOutcome[]> {
  const { board, io } = ctx;
  const workerData: DemoWorkerData = { setup, backend: ctx.backend };
  const pool = new WorkerPool<RunSpec, RunOutcome, DemoWorkerEvent>(fileURLToPath(new URL('./worker.js', import.meta.url)), jobs, fromWireError, { workerData, role: 'demo' });
  try {
    return await Promise.all(
      specs.map(async (spec, i) => {
        let bar: ReturnType<ProgressBoard['bar']> | undefined;
        const onEvent = (e: DemoWorkerEvent) => {
          // the bar appears when a worker starts the run, not when it is queued
          bar ??= board.bar(spec.name, `[${i + 1}/${specs.length}]`, setup.epochs, stepsPerEpoch);
          if (e.type === 'step') bar.step(e.epoch);
          else if (e.type === 'epoch') bar.epoch(e.epoch, e.loss);
          else board.print(e.message);
        };
        const outcome = await pool.run(spec, onEvent).catch((err: Error) => {
          if (process.env.MTL_FD_DEBUG && err.stack) io.stderr(`${err.stack}\n`);
          throw new Error(`run ${spec.name}: ${err.message}`);
        });
        (bar ?? board.bar(spec.name, `[${i + 1}/${specs.length}]`, setup.epochs, stepsPerEpoch)).finish(doneNote(spec, outcome));
        return outcome;
      }),
    );
  } finally {
    await pool.close();
  }
}
