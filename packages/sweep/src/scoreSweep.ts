import { availableParallelism } from 'node:os';
import { CaptureError, runNameOf, UserError } from '@mtl-fd/capture';
import { resolveScoreOptions, sortRows, runLevelRows } from '@mtl-fd/metrics';
import type { ScoreOptions, TidyRow } from '@mtl-fd/metrics';
import { cacheDirFor, readCacheEntrySync } from './cache.js';
import { cacheKey, fromCacheEntry } from './cacheEntry.js';
import type { CaptureResult } from './captureResult.js';
import { HashIndex, stampFile } from './hashIndex.js';
import { listSweep } from './listing.js';
import { scoreOne, type ScoreReply, type ScoreRequest } from './scoreOne.js';
import { createScorePool, type ScorePool } from './scorePool.js';

export interface SweepProgress {
  /** captures finished so far (scored or from the cache) */
  done: number;
  total: number;
  /** the capture just finished */
  file: string;
  /** its rows came from the cache */
  cached: boolean;
}

export interface SweepOptions {
  /**
   * worker threads scoring in parallel (default: os.availableParallelism()); 0 scores
   * in the calling thread. The output is the same whatever the number.
   */
  workers?: number;
  /**
   * the per-capture score cache: true (the default) keeps it in each run's
   * `.mtl-fd-cache/`, a string is one directory for every run, false turns it off
   */
  cache?: boolean | string;
  onProgress?: (progress: SweepProgress) => void;
  /**
   * a capture that cannot be read (CaptureError or other UserError): 'error' (the
   * default) fails the sweep with the error of the first such file in listing order;
   * 'warn' leaves it out and reports it among the warnings
   */
  onBadCapture?: 'error' | 'warn';
  /** called with each capture's result as soon as it is scored or taken from the cache */
  onCapture?: (result: CaptureResult) => void;
  /**
   * add the run-level loss identifiers (default true); false leaves them out, for a
   * shard that holds only some of a run's captures (mergeShards adds them)
   */
  runLevel?: boolean;
}

export interface SweepStats {
  /** capture files in the sweep */
  files: number;
  /** scored this time */
  scored: number;
  /** taken from the cache */
  cached: number;
  /** left out as unreadable (onBadCapture 'warn') */
  failed: number;
}

export interface SweepResult {
  options: ScoreOptions;
  /** the tidy table in sortRows order, the same for any number of workers and any cache state */
  rows: TidyRow[];
  /** each capture's own result, in listing order (unreadable ones left out) */
  captures: CaptureResult[];
  warnings: string[];
  stats: SweepStats;
}

interface Outcome {
  result?: CaptureResult;
  error?: Error;
  warnings: string[];
}

interface Pending {
  i: number;
  request: ScoreRequest;
  /** when the file's stamp was taken (ms since the epoch) */
  at: number;
}

/**
 * Scores a sweep: every capture under `paths` (capture files, run directories, or
 * directories of runs: see listSweep), in parallel worker threads, each capture's
 * rows taken from the cache when its bytes were scored before with the same options
 * and metrics version. Then the run-level loss identifiers are added per run in step
 * order. Rows and warnings are in a fixed order whatever the parallelism.
 *
 * A warm sweep is cheap: a capture whose stat (device, inode, size, times) matches
 * what the cache's hash index remembers is not read at all, only its entry is.
 */
export async function scoreSweep(
  paths: readonly string[],
  options: Partial<ScoreOptions> = {},
  sweep: SweepOptions = {},
): Promise<SweepResult> {
  const opts = resolveScoreOptions(options);
  const workers = sweep.workers ?? availableParallelism();
  if (!Number.isSafeInteger(workers) || workers < 0) throw new UserError(`workers must be a non-negative integer (got ${workers})`);
  const cacheOption = sweep.cache ?? true;
  const sharedCache = typeof cacheOption === 'string' ? cacheOption : undefined;
  const onBad = sweep.onBadCapture ?? 'error';

  const listing = await listSweep(paths);
  const files = listing.files;
  const outcomes: Outcome[] = files.map(() => ({ warnings: [] }));
  const brokenCacheDirs = new Map<string, string>();
  const indexes = new Map<string, HashIndex>();
  const indexFor = (dir: string): HashIndex => {
    let index = indexes.get(dir);
    if (!index) indexes.set(dir, (index = HashIndex.load(dir)));
    return index;
  };
  let cached = 0;
  let scored = 0;
  let done = 0;
  // with 'error', nothing after the first failure in listing order needs doing
  let failAt = Infinity;
  const fail = (i: number, err: unknown) => {
    if (!(err instanceof UserError)) throw err;
    outcomes[i]!.error = err;
    if (onBad === 'error') failAt = Math.min(failAt, i);
  };
  const finished = (i: number, fromCache: boolean) => {
    const result = outcomes[i]!.result;
    if (result) sweep.onCapture?.(result);
    if (fromCache) cached++;
    else if (outcomes[i]!.result) scored++;
    done++;
    sweep.onProgress?.({ done, total: files.length, file: files[i]!, cached: fromCache });
  };

  // 1. In this thread, without reading any capture: what the cache answers by stat.
  const pending: Pending[] = [];
  for (const [i, file] of files.entries()) {
    if (cacheOption === false) {
      pending.push({ i, request: { file, options: opts }, at: Date.now() });
      continue;
    }
    const cacheDir = cacheDirFor(file, sharedCache);
    const at = Date.now();
    const stamp = stampFile(file);
    if (!stamp) {
      fail(i, new CaptureError(file, 'no such file (it went away during the sweep)'));
      finished(i, false);
      continue;
    }
    const fileHash = indexFor(cacheDir).lookup(file, stamp);
    // a bad entry (failed checksum, other bytes) goes to the scorer, which says so and rescores
    const entry = fileHash === undefined ? undefined : readCacheEntrySync(cacheDir, cacheKey(fileHash, opts), fileHash, opts).entry;
    if (entry) {
      outcomes[i]!.result = fromCacheEntry(entry, file, runNameOf({ meta: { run: entry.metaRun } }, file));
      finished(i, true);
      continue;
    }
    pending.push({ i, request: { file, options: opts, cacheDir, stamp, ...(fileHash ? { fileHash } : {}) }, at });
  }

  // 2. The rest in the worker threads (or here with workers 0): hash, cache, score.
  let pool: ScorePool | undefined;
  const run = (request: ScoreRequest): Promise<ScoreReply> => {
    // one capture gains nothing from a worker, which would load the scoring code a second time
    if (workers === 0 || pending.length === 1) return scoreOne(request);
    pool ??= createScorePool(Math.max(1, Math.min(workers, pending.length)));
    return pool.run(request);
  };
  const one = async ({ i, request, at }: Pending): Promise<void> => {
    const out = outcomes[i]!;
    let fromCache = false;
    try {
      const reply = await run(request);
      out.result = reply.result;
      fromCache = reply.cached;
      if (reply.cacheProblem !== undefined) out.warnings.push(reply.cacheProblem);
      if (reply.changed) out.warnings.push(`${request.file}: changed while it was being scored; its rows are not cached`);
      if (reply.cacheError !== undefined && request.cacheDir !== undefined && !brokenCacheDirs.has(request.cacheDir)) {
        brokenCacheDirs.set(request.cacheDir, reply.cacheError);
      }
      if (reply.fileHash && request.cacheDir !== undefined && request.stamp && !reply.changed) {
        indexFor(request.cacheDir).record(request.file, request.stamp, stampFile(request.file), reply.fileHash, at);
      }
    } catch (err) {
      fail(i, err);
    }
    finished(i, fromCache);
  };
  // enough lanes to keep every worker busy
  const lanes = Math.max(2, 2 * workers);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < pending.length && pending[next]!.i < failAt) await one(pending[next++]!);
  };
  try {
    await Promise.all(Array.from({ length: Math.min(lanes, pending.length) }, lane));
  } finally {
    await pool?.close();
  }
  for (const [dir, index] of indexes) {
    if (brokenCacheDirs.has(dir)) continue;
    await index.save().catch(() => undefined); // only a speed-up: a failure costs a re-hash next time
  }

  const failed = outcomes.findIndex((o) => o.error);
  if (failed >= 0 && onBad === 'error') throw outcomes[failed]!.error;

  const results: CaptureResult[] = [];
  const rows: TidyRow[] = [];
  const warnings = [...listing.warnings];
  for (const o of outcomes) {
    if (o.error) warnings.push(`${o.error.message} (left out)`);
    if (o.result) {
      results.push(o.result);
      for (const item of o.result.rows) rows.push(item);
      for (const item of o.result.warnings) warnings.push(item);
    }
    for (const item of o.warnings) warnings.push(item);
  }
  if (sweep.runLevel ?? true) {
    const runLevel = runLevelRows(results);
    for (const item of runLevel.rows) rows.push(item);
    for (const item of runLevel.warnings) warnings.push(item);
  }
  for (const [dir, message] of [...brokenCacheDirs].sort()) {
    warnings.push(`${dir}: cannot write the score cache (${message}); scored without caching there`);
  }
  return {
    options: opts,
    rows: sortRows(rows),
    captures: results,
    warnings,
    stats: { files: files.length, scored, cached, failed: outcomes.filter((o) => o.error).length },
  };
}
