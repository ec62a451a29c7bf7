import type { ScoreOptions } from '@mtl-fd/metrics';
import { resolveScoreOptions } from '@mtl-fd/metrics';
import { scoreSweep, type SweepOptions, type SweepResult } from '../scoreSweep.js';
import { isShardDone } from './marker.js';
import { planShard, type ShardPlan } from './shardPlan.js';
import type { ShardSpec } from './shardSpec.js';
import { expectedMarker } from './writeShard.js';

export interface ShardScore {
  plan: ShardPlan;
  options: ScoreOptions;
  /** undefined when the shard had already finished with the same inputs (nothing was scored) */
  result?: SweepResult;
}

/**
 * Scores one shard of a sweep: lists the sweep, keeps this shard's captures and,
 * unless a completion marker beside `table` says this very shard already finished
 * (same options, format and capture lists), scores them without the run-level
 * identifiers (mergeShards adds those). Writing is writeShard's.
 */
export async function scoreShard(
  paths: readonly string[],
  spec: ShardSpec,
  table: string,
  format: string,
  options: Partial<ScoreOptions> = {},
  sweep: Omit<SweepOptions, 'runLevel'> = {},
): Promise<ShardScore> {
  const opts = resolveScoreOptions(options);
  const plan = await planShard(paths, spec);
  if (await isShardDone(table, expectedMarker(table, plan, opts, format))) return { plan, options: opts };
  const result = await scoreSweep(plan.files, opts, { ...sweep, runLevel: false });
  return { plan, options: opts, result };
}
