import { resolveScoreOptions, type ScoreOptions } from '@mtl-fd/metrics';
import { cacheDirFor } from './cache.js';
import type { CaptureResult } from './captureResult.js';
import { stampFile } from './hashIndex.js';
import { createScorePool, type ScorePool } from './scorePool.js';

/**
 * Scores captures one at a time in one worker thread of its own, so the thread that
 * asks (a training loop) does not wait, through the run's score cache (a later sweep
 * of the run reads these rows rather than scoring again). The thread starts with the
 * first capture and, idle, does not keep the process alive; `close` stops it.
 */
export class BackgroundScorer {
  private pool: ScorePool | undefined;
  private readonly options: ScoreOptions;

  constructor(options: Partial<ScoreOptions> = {}) {
    this.options = resolveScoreOptions(options);
  }

  async score(file: string): Promise<CaptureResult> {
    this.pool ??= createScorePool(1, { unrefWhenIdle: true });
    const stamp = stampFile(file);
    const reply = await this.pool.run({ file, options: this.options, cacheDir: cacheDirFor(file), ...(stamp ? { stamp } : {}) });
    return reply.result;
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    await pool?.close();
  }
}
