import { workerData } from 'node:worker_threads';
import { selectBackend } from '@mtl-fd/hooks';
import { serveRequests } from '@mtl-fd/sweep';
import { hooksCaptures } from './captures.js';
import { executeRun, SeedData, type RunOutcome } from './runner.js';
import type { RunSpec } from './train.js';
import type { DemoWorkerData, DemoWorkerEvent } from './workerProtocol.js';

/**
 * A demo worker thread of the sweep's WorkerPool: builds the data once per seed, then trains
 * the runs it is sent, one at a time, posting progress as events and the run's
 * outcome as the reply.
 */
const { setup, backend } = workerData as DemoWorkerData;
const ready = selectBackend({ backend, log: false }).then(() => new SeedData(setup));
// a failed set-up fails each job that awaits it, not the thread (which the pool would respawn)
ready.catch(() => undefined);
// one run at a time per thread: log lines of the capture hooks belong to the current one
let emitCurrent: ((e: DemoWorkerEvent) => void) | undefined;
const hooks = hooksCaptures((message) => emitCurrent?.({ type: 'log', message }));

serveRequests<RunSpec, RunOutcome, DemoWorkerEvent>(async (spec, emit) => {
  const data = (await ready).of(spec);
  emitCurrent = emit;
  const sink = {
    step: (epoch: number) => emit({ type: 'step', epoch }),
    epoch: (epoch: number, loss: number) => emit({ type: 'epoch', epoch, loss }),
  };
  try {
    return await executeRun(spec, setup, data, hooks, sink);
  } finally {
    emitCurrent = undefined;
  }
});
