// Sweeps: many runs scored in parallel worker threads with a content-hash cache,
// Arrow IPC output, run-directory locks and clean-up of interrupted writes.
export { scoreSweep } from './scoreSweep.js';
export type { SweepOptions, SweepProgress, SweepResult, SweepStats } from './scoreSweep.js';
export { listSweep, runDirsIn } from './listing.js';
export type { SweepListing } from './listing.js';
export type { CaptureResult } from './captureResult.js';
export { scoreFile } from './scoreFile.js';
export { CACHE_DIR_NAME, cacheDirFor, runDirOf } from './cache.js';
export { CACHE_FORMAT, cacheKey } from './cacheEntry.js';
export { hashFile } from './hash.js';
export { HASH_INDEX_FILE } from './hashIndex.js';
export { METRICS_VERSION } from './version.js';
export { toArrowIPC } from './arrow.js';
export type { ArrowIPCOptions } from './arrow.js';
export { acquireRunLock, removeStaleRunLock, runLockStatus, RunLockedError, RUN_LOCK_FILE } from './lock.js';
export type { AcquireRunLockOptions, ReleaseRunLock, RunLockInfo, RunLockState, RunLockStatus } from './lock.js';
export { isProcessAlive, processStartTime } from './liveness.js';
export { findLeftovers, parseTempFileName } from './leftovers.js';
export type { Leftover } from './leftovers.js';
export { cleanRun } from './clean.js';
export type { CleanItem, CleanOptions, CleanReport } from './clean.js';
export { safePathSegment } from './paths.js';
