// @mtl-fd/sweep: many captures scored in parallel worker threads with a content-hash
// cache; listing of runs; clean-up of interrupted work.
export { cleanRun } from './clean.js';
export type { CleanReport } from './clean.js';
export { findLeftovers } from './leftovers.js';
export { listSweep, runDirsIn } from './listing.js';
export { scoreSweep } from './scoreSweep.js';
