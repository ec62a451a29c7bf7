import { parentPort, workerData } from 'node:worker_threads';
import { selectBackend, type BackendChoice } from '@mtl-fd/hooks';
import { hooksCaptures } from './captures.js';
import { executeRun, setupTensors, type RunSetup } from './runner.js';
import type { RunSpec } from './train.js';

/**
 * A demo worker thread: builds the data once, then trains the runs the main thread
 * sends, one at a time, reporting progress and results as messages.
 *
 * in:  {type: 'run', spec}
 * out: {type: 'ready'} | {type: 'step', epoch} | {type: 'epoch', epoch, loss} |
 *      {type: 'log', message} | {type: 'done', outcome} | {type: 'error', message, stack}
 */
const port = parentPort!;
const { setup, backend } = workerData as { setup: RunSetup; backend?: BackendChoice };

async function main(): Promise<void> {
  await selectBackend({ backend, log: false });
  const data = setupTensors(setup);
  const hooks = hooksCaptures((message) => port.postMessage({ type: 'log', message }));
  const sink = {
    step: (epoch: number) => port.postMessage({ type: 'step', epoch }),
    epoch: (epoch: number, loss: number) => port.postMessage({ type: 'epoch', epoch, loss }),
  };
  port.on('message', (msg: { type: 'run'; spec: RunSpec }) => {
    if (msg.type !== 'run') return;
    executeRun(msg.spec, setup, data, hooks, sink).then(
      (outcome) => port.postMessage({ type: 'done', outcome }),
      (err: unknown) => port.postMessage({ type: 'error', message: (err as Error)?.message ?? String(err), stack: (err as Error)?.stack }),
    );
  });
  port.postMessage({ type: 'ready' });
}

main().catch((err: unknown) => port.postMessage({ type: 'error', message: (err as Error)?.message ?? String(err), stack: (err as Error)?.stack }));
