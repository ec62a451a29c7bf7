import { CaptureError, runNameOf } from '@mtl-fd/capture';
import type { ScoreOptions } from '@mtl-fd/metrics';
import { readCacheEntry, writeCacheEntry } from './cache.js';
import { cacheKey, fromCacheEntry, toCacheEntry } from './cacheEntry.js';
import type { CaptureResult } from './captureResult.js';
import { hashFile } from './hash.js';
import { sameStamp, stampFile, type FileStamp } from './hashIndex.js';
import { scoreFile } from './scoreFile.js';

/** One capture for a sweep worker (or the calling thread) to score. */
export interface ScoreRequest {
  file: string;
  options: ScoreOptions;
  /** the cache directory to look in and fill; none: no cache, no hashing */
  cacheDir?: string;
  /** the file's sha256 when already known */
  fileHash?: string;
  /** the file's stamp before the request; a change by the end means its rows are not cached */
  stamp?: FileStamp;
}

export interface ScoreReply {
  result: CaptureResult;
  /** the rows came from the cache */
  cached: boolean;
  /** the file's sha256 (when a cache was used) */
  fileHash?: string;
  /** the file changed while it was scored: not cached */
  changed?: boolean;
  /** why the entry could not be written */
  cacheError?: string;
  /** the entry found failed its checksum or claimed other bytes: ignored, the capture rescored */
  cacheProblem?: string;
}

/** A file-system failure on a capture, as the CaptureError that names it. */
async function readable<T>(file: string, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === undefined) throw err;
    throw new CaptureError(file, code === 'ENOENT' ? 'no such file' : `cannot be read (${code})`);
  }
}

/**
 * Scores one capture through the cache: hashes it (unless the hash is known), takes
 * its rows from the cache entry if there is a good one, else scores it and writes
 * the entry, unless the file changed meanwhile.
 */
export async function scoreOne(req: ScoreRequest): Promise<ScoreReply> {
  const { file, options, cacheDir } = req;
  if (cacheDir === undefined) return { result: await scoreFile(file, options), cached: false };
  const fileHash = req.fileHash ?? (await readable(file, hashFile(file)));
  const key = cacheKey(fileHash, options);
  // the hash is the file's own (hashed here, or remembered for its unchanged stat), so an
  // entry that claims other bytes, or fails its checksum, is not the capture's
  const { entry, problem } = await readCacheEntry(cacheDir, key, fileHash, options);
  if (entry) {
    return { result: fromCacheEntry(entry, file, runNameOf({ meta: { run: entry.metaRun } }, file)), cached: true, fileHash };
  }
  const said = problem === undefined ? {} : { cacheProblem: `${problem}; ignored, ${file} scored afresh` };
  const result = await scoreFile(file, options);
  const after = stampFile(file);
  if (!req.stamp || !after || !sameStamp(req.stamp, after)) return { result, cached: false, fileHash, changed: true, ...said };
  try {
    await writeCacheEntry(cacheDir, key, toCacheEntry(result, fileHash, options));
  } catch (err) {
    return { result, cached: false, fileHash, cacheError: (err as Error).message, ...said };
  }
  return { result, cached: false, fileHash, ...said };
}
