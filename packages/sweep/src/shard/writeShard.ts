import { createHash } from 'node:crypto';
import { mkdir, unlink } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { createAtomicFile, writeFileAtomic, type AtomicFile } from '@mtl-fd/capture';
import { METRICS_VERSION, type ScoreOptions } from '@mtl-fd/metrics';
import type { CaptureResult } from '../captureResult.js';
import { encodeCarry, type CarriedCapture } from './carry.js';
import type { ShardMarker } from './marker.js';
import type { ShardPlan } from './shardPlan.js';
import { shardCarryPath, shardMarkerPath } from './shardPaths.js';

/** One file of a shard's output: its path and bytes. */
export interface ShardFile {
  path: string;
  data: string | Uint8Array;
}

/** The marker a shard with this plan, options and format writes (less the carry's hash). */
export function expectedMarker(table: string, plan: ShardPlan, options: ScoreOptions, format: string): Omit<ShardMarker, 'carrySha256' | 'kind' | 'version'> {
  return {
    shard: plan.spec.index,
    of: plan.spec.count,
    options,
    format,
    table: basename(table),
    carry: basename(shardCarryPath(table)),
    captures: plan.files.length,
    shardHash: plan.shardHash,
    sweepCaptures: plan.sweepCaptures,
    sweepHash: plan.sweepHash,
    metricsVersion: METRICS_VERSION,
  };
}

/**
 * Writes a finished shard: first removes an old marker (so no marker ever vouches
 * for files being replaced), then the table, its companions and the carry file
 * all-or-nothing (temporary files renamed only when all are written), then the
 * completion marker, atomically, last.
 */
export async function writeShard(
  table: string,
  tableFiles: readonly ShardFile[],
  plan: ShardPlan,
  captures: readonly CaptureResult[],
  options: ScoreOptions,
  format: string,
): Promise<ShardMarker> {
  await mkdir(dirname(table), { recursive: true });
  const markerPath = shardMarkerPath(table);
  await unlink(markerPath).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOENT') throw err;
  });
  const where = new Map(plan.files.map((f, k) => [f, k]));
  const carried: CarriedCapture[] = captures.map((result) => {
    const k = where.get(result.file);
    if (k === undefined) throw new Error(`${result.file}: scored but not in the shard's plan`);
    return { position: plan.positions[k]!, identity: plan.identities[k]!, result };
  });
  const carryText = encodeCarry({ kind: 'mtl-fd-shard-captures', shard: plan.spec.index, of: plan.spec.count, options, sweepHash: plan.sweepHash }, carried);
  const files: ShardFile[] = [...tableFiles, { path: shardCarryPath(table), data: carryText }];
  const open: AtomicFile[] = [];
  try {
    for (const f of files) {
      const a = await createAtomicFile(f.path);
      open.push(a);
      await a.handle.writeFile(f.data);
    }
    for (const a of open) await a.commit();
  } catch (err) {
    for (const a of open) await a.abort().catch(() => undefined);
    throw err;
  }
  const marker: ShardMarker = {
    kind: 'mtl-fd-shard',
    version: 1,
    ...expectedMarker(table, plan, options, format),
    carrySha256: createHash('sha256').update(carryText).digest('hex'),
  };
  await writeFileAtomic(markerPath, `${JSON.stringify(marker, null, 2)}\n`);
  return marker;
}
