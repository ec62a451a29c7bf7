// @mtl-fd/sweep: many captures scored in parallel worker threads with a content-hash
// cache; listing of runs; clean-up of interrupted work.
export { cleanRun } from './clean.js';
export type { CleanReport } from './clean.js';
export { findLeftovers } from './leftovers.js';
export { listSweep, runDirsIn } from './listing.js';
export { BackgroundScorer } from './backgroundScorer.js';
export { scoreSweep } from './scoreSweep.js';
export type { SweepOptions, SweepProgress, SweepResult, SweepStats } from './scoreSweep.js';
export type { CaptureResult } from './captureResult.js';
// the thread pool (the sweep scores with it, the demo trains with it) and its worker side
export { WorkerPool } from './pool.js';
export type { WireError, WorkerPoolOptions } from './pool.js';
export { serveRequests } from './serveRequests.js';
export { fromWireError } from './wireError.js';
// sharded sweeps (job arrays): which captures a shard holds, its output, the merge
export { parseShardSpec, resolveShard, shardFromEnvironment, SHARD_COUNT_VARIABLE } from './shard/shardSpec.js';
export type { ShardChoice, ShardSpec } from './shard/shardSpec.js';
export { captureIdentity, shardOf } from './shard/shardOf.js';
export { planShard } from './shard/shardPlan.js';
export type { ShardPlan } from './shard/shardPlan.js';
export { shardCarryPath, shardMarkerPath, shardTablePath, SHARD_PLACEHOLDER } from './shard/shardPaths.js';
export { isShardDone, readShardMarker } from './shard/marker.js';
export type { ShardMarker } from './shard/marker.js';
export { scoreShard } from './shard/scoreShard.js';
export type { ShardScore } from './shard/scoreShard.js';
export { writeShard } from './shard/writeShard.js';
export type { ShardFile } from './shard/writeShard.js';
export { mergeShards } from './shard/mergeShards.js';
export type { MergeResult } from './shard/mergeShards.js';
