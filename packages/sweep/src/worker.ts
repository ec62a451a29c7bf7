// The body of a sweep worker thread: runs the scoreOne requests it is sent, one at
// a time. Loaded from dist/ (see scorePool.ts), so it runs the built package.
import { parentPort } from 'node:worker_threads';
import type { WireReply } from './pool.js';
import { scoreOne, type ScoreReply, type ScoreRequest } from './scoreOne.js';
import { toWireError } from './wireError.js';

const port = parentPort;
if (port) {
  port.on('message', (msg: { id: number; request: ScoreRequest }) => {
    scoreOne(msg.request).then(
      (result) => port.postMessage({ id: msg.id, ok: true, result } satisfies WireReply<ScoreReply>),
      (err: unknown) => port.postMessage({ id: msg.id, ok: false, error: toWireError(err) } satisfies WireReply<ScoreReply>),
    );
  });
}
