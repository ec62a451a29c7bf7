import { parentPort } from 'node:worker_threads';
import type { WireEvent, WireReply } from './pool.js';
import { toWireError } from './wireError.js';

/**
 * The worker's side of WorkerPool: answers each `{id, request}` with `handle`'s result
 * or its error as WireError, and lets `handle` post events (`emit`) for the job that
 * is running. The listener is attached at once, so requests that arrive while the
 * thread still sets itself up wait inside `handle`, not in a lost message.
 */
export function serveRequests<Req, Res, Ev = never>(handle: (request: Req, emit: (event: Ev) => void) => Promise<Res>): void {
  const port = parentPort;
  if (!port) throw new Error('serveRequests runs in a worker thread');
  port.on('message', (msg: { id: number; request: Req }) => {
    const emit = (event: Ev) => port.postMessage({ id: msg.id, event } satisfies WireEvent<Ev>);
    handle(msg.request, emit).then(
      (result) => port.postMessage({ id: msg.id, ok: true, result } satisfies WireReply<Res>),
      (err: unknown) => port.postMessage({ id: msg.id, ok: false, error: toWireError(err) } satisfies WireReply<Res>),
    );
  });
}
