import { UserError } from '@mtl-fd/capture';
import { listSweep } from '../listing.js';
import { captureIdentity, identityListHash, shardOf } from './shardOf.js';
import type { ShardSpec } from './shardSpec.js';

/** What one shard of a sweep holds, decided from the listing alone (no capture is read). */
export interface ShardPlan {
  spec: ShardSpec;
  /** this shard's capture files, in listing order */
  files: string[];
  /** each file's place in the whole sweep's listing (what merge orders by) */
  positions: number[];
  identities: string[];
  /** captures in the whole sweep */
  sweepCaptures: number;
  /** SHA-256 of every capture identity of the sweep in listing order: the same in every shard */
  sweepHash: string;
  /** SHA-256 of this shard's capture identities */
  shardHash: string;
  /** the listing's warnings (skipped partial files and the like) */
  warnings: string[];
}

/**
 * Lists the sweep and keeps the captures of shard `spec` (shardOf their identity).
 * Two captures with one identity (the same run name and file name in two places)
 * are an error: they could not be told apart when the shards are merged.
 */
export async function planShard(paths: readonly string[], spec: ShardSpec): Promise<ShardPlan> {
  const listing = await listSweep(paths);
  const all = listing.files.map(captureIdentity);
  const seen = new Map<string, string>();
  listing.files.forEach((file, i) => {
    const other = seen.get(all[i]!);
    if (other !== undefined) throw new UserError(`${file}: has the same run and file name as ${other} (${all[i]}); a sharded sweep needs them distinct`);
    seen.set(all[i]!, file);
  });
  const files: string[] = [];
  const positions: number[] = [];
  const identities: string[] = [];
  listing.files.forEach((file, i) => {
    if (shardOf(all[i]!, spec.count) !== spec.index) return;
    files.push(file);
    positions.push(i);
    identities.push(all[i]!);
  });
  return {
    spec,
    files,
    positions,
    identities,
    sweepCaptures: all.length,
    sweepHash: identityListHash(all),
    shardHash: identityListHash(identities),
    warnings: listing.warnings,
  };
}
