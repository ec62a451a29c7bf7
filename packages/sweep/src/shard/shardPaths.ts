import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '@mtl-fd/capture';
import type { ShardSpec } from './shardSpec.js';

/** What `{shard}` in an `--out` pattern becomes: `<i>-of-<n>`. */
export const SHARD_PLACEHOLDER = '{shard}';

/**
 * Where shard `spec` writes its table: `out` with every `{shard}` replaced by
 * `<i>-of-<n>`, or, without `{shard}`, `<out>/shard-<i>-of-<n>.<ext>` (out a
 * directory; an existing file there is an error).
 */
export async function shardTablePath(out: string, spec: ShardSpec, ext: string): Promise<string> {
  const tag = `${spec.index}-of-${spec.count}`;
  if (out.includes(SHARD_PLACEHOLDER)) return out.split(SHARD_PLACEHOLDER).join(tag);
  const st = await stat(out).catch(() => undefined);
  if (st && !st.isDirectory()) throw new UserError(`${out}: --out with --shard must be a directory or a pattern with ${SHARD_PLACEHOLDER} (this is a file)`);
  return join(out, `shard-${tag}.${ext}`);
}

/** The completion marker beside a shard's table: written last. */
export const shardMarkerPath = (table: string): string => `${table}.done.json`;

/** What merge needs beside a shard's table: each capture's rows and loss summary. */
export const shardCarryPath = (table: string): string => `${table}.captures.jsonl`;
