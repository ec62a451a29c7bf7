import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WorkerPool, type WorkerPoolOptions } from './pool.js';
import type { ScoreReply, ScoreRequest } from './scoreOne.js';
import { fromWireError } from './wireError.js';

/**
 * The built worker script, dist/worker.js. From dist/ it sits next to this
 * module; from the TypeScript sources (as vitest runs them) it is the built one,
 * so tests that score in workers need `npm run build` first (`npm test` does it).
 */
export function scoreWorkerScript(): string {
  const here = fileURLToPath(import.meta.url);
  const file = here.endsWith('.ts') ? join(dirname(here), '..', 'dist', 'worker.js') : join(dirname(here), 'worker.js');
  if (!existsSync(file)) {
    throw new Error(`the scoring worker ${file} is missing: build @mtl-fd/sweep first (npm run build)`);
  }
  return file;
}

export type ScorePool = WorkerPool<ScoreRequest, ScoreReply>;

/** `size` worker threads that run scoreOne. */
export function createScorePool(size: number, options: WorkerPoolOptions = {}): ScorePool {
  return new WorkerPool<ScoreRequest, ScoreReply>(scoreWorkerScript(), size, fromWireError, options);
}
