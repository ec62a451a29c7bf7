import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { UserError } from '@mtl-fd/capture';
import type { ScoreOptions } from '@mtl-fd/metrics';
import { shardMarkerPath } from './shardPaths.js';

/** The completion marker of a shard: written last, so its presence means the shard finished. */
export interface ShardMarker {
  kind: 'mtl-fd-shard';
  version: 1;
  shard: number;
  of: number;
  options: ScoreOptions;
  /** the table's format (csv, json, arrow, parquet, jsonl) */
  format: string;
  /** file names beside the marker */
  table: string;
  carry: string;
  /** SHA-256 of the carry file, checked by merge */
  carrySha256: string;
  captures: number;
  shardHash: string;
  sweepCaptures: number;
  sweepHash: string;
  metricsVersion: string;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
}

/** A shard table's marker, undefined when there is none; a malformed one is a UserError. */
export async function readShardMarker(table: string): Promise<ShardMarker | undefined> {
  const path = shardMarkerPath(table);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new UserError(`${path}: cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  let m: ShardMarker;
  try {
    m = JSON.parse(text) as ShardMarker;
  } catch {
    throw new UserError(`${path}: is not valid JSON`);
  }
  if (m?.kind !== 'mtl-fd-shard' || m.version !== 1 || !Number.isInteger(m.shard) || !Number.isInteger(m.of) || typeof m.carry !== 'string') {
    throw new UserError(`${path}: is not an mtl-fd shard completion marker`);
  }
  return m;
}

/** The files of a marker, as paths beside it. */
export function markerFiles(table: string, m: ShardMarker): { table: string; carry: string } {
  const dir = dirname(table);
  return { table: join(dir, m.table), carry: join(dir, m.carry) };
}

/**
 * True when the shard already finished with these inputs: its marker is there and
 * records the same shard, count, options, format, metrics version and capture
 * lists, and the files it names are there.
 */
export async function isShardDone(table: string, expected: Omit<ShardMarker, 'carrySha256' | 'kind' | 'version'>): Promise<boolean> {
  const m = await readShardMarker(table).catch(() => undefined);
  if (!m) return false;
  const same =
    m.shard === expected.shard &&
    m.of === expected.of &&
    m.format === expected.format &&
    m.table === basename(table) &&
    m.metricsVersion === expected.metricsVersion &&
    m.shardHash === expected.shardHash &&
    m.sweepHash === expected.sweepHash &&
    JSON.stringify(m.options) === JSON.stringify(expected.options);
  if (!same) return false;
  const files = markerFiles(table, m);
  return (await exists(files.table)) && (await exists(files.carry));
}
