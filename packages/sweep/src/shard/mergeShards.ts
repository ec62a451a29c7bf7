import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '@mtl-fd/capture';
import { runLevelRows, sortRows, type ScoreOptions, type TidyRow } from '@mtl-fd/metrics';
import type { CaptureResult } from '../captureResult.js';
import { decodeCarry, type CarriedCapture } from './carry.js';
import { markerFiles, readShardMarker, type ShardMarker } from './marker.js';
import { shardMarkerPath } from './shardPaths.js';

const MARKER_SUFFIX = '.done.json';

export interface MergeResult {
  options: ScoreOptions;
  /** the table one unsharded score of the sweep gives, in sortRows order */
  rows: TidyRow[];
  /** each capture's result, in the sweep's listing order */
  captures: CaptureResult[];
  warnings: string[];
  shards: number;
}

/** Shard tables a path stands for: a directory's `*.done.json` markers' tables, a marker's table, or the table itself. */
async function shardTables(path: string): Promise<string[]> {
  const st = await stat(path).catch(() => undefined);
  if (!st) throw new UserError(`${path}: no such file or directory`);
  if (!st.isDirectory()) return [path.endsWith(MARKER_SUFFIX) ? path.slice(0, -MARKER_SUFFIX.length) : path];
  const names = (await readdir(path)).filter((n) => n.endsWith(MARKER_SUFFIX) && !n.startsWith('.')).sort();
  if (names.length === 0) throw new UserError(`${path}: holds no finished shard (no *${MARKER_SUFFIX} completion marker)`);
  return names.map((n) => join(path, n.slice(0, -MARKER_SUFFIX.length)));
}

const optionsText = (o: ScoreOptions) => `saliency=${o.saliency} granularity=${o.granularity} temperature=${o.temperature} nonfinite=${o.nonFinite} weighted=${o.weighted}`;

/**
 * Merges the outputs of a sharded score (`mtl-fd score --shard`): every shard 1..n
 * exactly once, all of one sweep and one set of score options, else a UserError
 * naming the missing, duplicate or mismatched shards. The captures' rows are put
 * back in the sweep's listing order and the run-level loss identifiers computed over
 * each whole run, so the rows equal those of one unsharded score of the sweep.
 */
export async function mergeShards(paths: readonly string[]): Promise<MergeResult> {
  if (paths.length === 0) throw new UserError('no shard outputs given');
  const tables: string[] = [];
  for (const p of paths) for (const item of (await shardTables(p))) tables.push(item);
  const shards: { table: string; marker: ShardMarker }[] = [];
  for (const table of tables) {
    const marker = await readShardMarker(table);
    if (!marker) throw new UserError(`${table}: has no completion marker (${shardMarkerPath(table)}): that shard did not finish`);
    shards.push({ table, marker });
  }
  const first = shards[0]!;
  const byIndex = new Map<number, string>();
  for (const s of shards) {
    const m = s.marker;
    if (m.of !== first.marker.of) throw new UserError(`${s.table}: is shard ${m.shard}/${m.of}, but ${first.table} is one of ${first.marker.of} shards`);
    if (JSON.stringify(m.options) !== JSON.stringify(first.marker.options)) {
      throw new UserError(`mixed score options: ${s.table} has ${optionsText(m.options)}, ${first.table} has ${optionsText(first.marker.options)}`);
    }
    if (m.sweepHash !== first.marker.sweepHash) {
      throw new UserError(`${s.table}: comes from another sweep than ${first.table} (their capture lists differ: ${m.sweepCaptures} and ${first.marker.sweepCaptures} captures)`);
    }
    if (m.metricsVersion !== first.marker.metricsVersion) {
      throw new UserError(`${s.table}: was scored by metrics ${m.metricsVersion}, ${first.table} by ${first.marker.metricsVersion}`);
    }
    const twin = byIndex.get(m.shard);
    if (twin !== undefined) throw new UserError(`shard ${m.shard}/${m.of} given twice: ${twin} and ${s.table}`);
    byIndex.set(m.shard, s.table);
  }
  const n = first.marker.of;
  const missing = Array.from({ length: n }, (_, k) => k + 1).filter((i) => !byIndex.has(i));
  if (missing.length > 0) {
    throw new UserError(`missing shard(s) ${missing.map((i) => `${i}/${n}`).join(', ')} (have ${[...byIndex.keys()].sort((a, b) => a - b).join(', ')} of ${n})`);
  }

  const all: CarriedCapture[] = [];
  for (const { table, marker } of shards) {
    const { carry } = markerFiles(table, marker);
    const text = await readFile(carry, 'utf8').catch((err: NodeJS.ErrnoException) => {
      throw new UserError(`${carry}: cannot be read (${err.code ?? err.message}); re-run shard ${marker.shard}/${marker.of}`);
    });
    if (createHash('sha256').update(text).digest('hex') !== marker.carrySha256) {
      throw new UserError(`${carry}: does not match its completion marker; re-run shard ${marker.shard}/${marker.of}`);
    }
    const { header, captures } = decodeCarry(carry, text);
    if (header.shard !== marker.shard || header.of !== marker.of || header.sweepHash !== marker.sweepHash) {
      throw new UserError(`${carry}: belongs to another shard than its marker says`);
    }
    for (const item of captures) all.push(item);
  }
  all.sort((a, b) => a.position - b.position);
  for (let k = 1; k < all.length; k++) {
    if (all[k]!.position === all[k - 1]!.position) throw new UserError(`${all[k]!.identity}: is in two shards`);
  }
  const captures = all.map((c) => c.result);
  const rows: TidyRow[] = [];
  const warnings: string[] = [];
  for (const c of captures) {
    for (const item of c.rows) rows.push(item);
    for (const item of c.warnings) warnings.push(item);
  }
  const runLevel = runLevelRows(captures);
  for (const item of runLevel.rows) rows.push(item);
  for (const item of runLevel.warnings) warnings.push(item);
  return { options: first.marker.options, rows: sortRows(rows), captures, warnings, shards: n };
}
