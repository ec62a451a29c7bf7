import { readFileSync, statSync, type BigIntStats } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { writeFileAtomicNoSync } from './cache.js';

/** The file in a cache directory that remembers file hashes by their stat. */
export const HASH_INDEX_FILE = '.hash-index.json';
const INDEX_FORMAT = 'mtl-fd/hash-index@1';

/**
 * How long after a file's last change its hash may be remembered. File timestamps
 * are coarse (a few ms on common file systems): a file rewritten within one tick
 * after it was hashed could keep its size and times. Hashing at least this long
 * after the last change, with the stat unchanged across the hashing, rules that out.
 */
export const SETTLED_MS = 2000;

/** What identifies a file's bytes without reading them: device, inode, size, mtime and ctime (ns). */
export type FileStamp = readonly [dev: string, ino: string, size: string, mtimeNs: string, ctimeNs: string];

/** The stamp of `file` now, or undefined if it cannot be stat'ed. */
export function stampFile(file: string): FileStamp | undefined {
  let st: BigIntStats;
  try {
    st = statSync(file, { bigint: true });
  } catch {
    return undefined;
  }
  return [String(st.dev), String(st.ino), String(st.size), String(st.mtimeNs), String(st.ctimeNs)];
}

export function sameStamp(a: FileStamp, b: FileStamp): boolean {
  return a.every((v, i) => v === b[i]);
}

type Row = [string, string, string, string, string, string];

function load(path: string): Map<string, Row> {
  try {
    const data = JSON.parse(readFileSync(path, 'utf8')) as { format?: unknown; files?: unknown };
    if (data?.format !== INDEX_FORMAT || typeof data.files !== 'object' || data.files === null) return new Map();
    const out = new Map<string, Row>();
    for (const [file, row] of Object.entries(data.files as Record<string, unknown>)) {
      if (Array.isArray(row) && row.length === 6 && row.every((v) => typeof v === 'string')) out.set(file, row as Row);
    }
    return out;
  } catch {
    return new Map();
  }
}

/**
 * File hashes remembered by stamp, so a warm sweep stats its captures instead of
 * reading them. One per cache directory; several processes may share it (the last
 * to save wins, and a lost entry only costs a re-hash).
 */
export class HashIndex {
  private readonly rows: Map<string, Row>;
  private readonly changed = new Map<string, Row>();

  private constructor(private readonly dir: string) {
    this.rows = load(join(dir, HASH_INDEX_FILE));
  }

  static load(dir: string): HashIndex {
    return new HashIndex(dir);
  }

  /** The hash of `file` if its stamp is the one remembered. */
  lookup(file: string, stamp: FileStamp): string | undefined {
    const row = this.rows.get(resolve(file));
    return row && sameStamp(row.slice(0, 5) as unknown as FileStamp, stamp) ? row[5] : undefined;
  }

  /**
   * Remembers `hash` for `file`, hashed after `before` was taken at `hashedAt` (ms
   * since the epoch), if its stamp `after` is unchanged and it had settled.
   */
  record(file: string, before: FileStamp, after: FileStamp | undefined, hash: string, hashedAt: number): void {
    if (!after || !sameStamp(before, after)) return;
    if (hashedAt - Number(BigInt(before[4]) / 1_000_000n) < SETTLED_MS) return;
    const row: Row = [...before, hash] as Row;
    const key = resolve(file);
    this.rows.set(key, row);
    this.changed.set(key, row);
  }

  /**
   * Writes what was recorded, merged into the index as it is on disk now (another
   * process may have saved meanwhile), dropping entries of files that are gone.
   */
  async save(): Promise<void> {
    if (this.changed.size === 0) return;
    const path = join(this.dir, HASH_INDEX_FILE);
    const merged = load(path);
    for (const [file, row] of this.changed) merged.set(file, row);
    for (const file of [...merged.keys()]) if (!this.changed.has(file) && stampFile(file) === undefined) merged.delete(file);
    await mkdir(this.dir, { recursive: true });
    await writeFileAtomicNoSync(path, `${JSON.stringify({ format: INDEX_FORMAT, files: Object.fromEntries(merged) })}\n`);
    this.changed.clear();
  }
}
