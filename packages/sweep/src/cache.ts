import { readFileSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { CAPTURES_DIR, writeFileAtomic } from '@mtl-fd/capture';
import type { ScoreOptions } from '@mtl-fd/metrics';
import { parseCacheEntry, type CacheEntry } from './cacheEntry.js';

/** The default cache directory of a run: `<run>/.mtl-fd-cache/`. */
export const CACHE_DIR_NAME = '.mtl-fd-cache';

/**
 * The run directory a capture belongs to: `<run>` for `<run>/captures/<file>`, else
 * the file's own directory.
 */
export function runDirOf(file: string): string {
  const dir = dirname(file);
  return basename(dir) === CAPTURES_DIR ? dirname(dir) : dir;
}

/** Where the cache entry of `file` goes: `cacheDir` when given, else `<run>/.mtl-fd-cache`. */
export function cacheDirFor(file: string, cacheDir?: string): string {
  return cacheDir ?? join(runDirOf(file), CACHE_DIR_NAME);
}

/** The path of the entry named `key` in `dir`. */
export function cacheEntryPath(dir: string, key: string): string {
  return join(dir, `${key}.json`);
}

/** Reads an entry; undefined on a miss, or a damaged, foreign or unreadable entry. */
export async function readCacheEntry(dir: string, key: string, fileHash: string, options: ScoreOptions): Promise<CacheEntry | undefined> {
  let text: string;
  try {
    text = await readFile(cacheEntryPath(dir, key), 'utf8');
  } catch {
    return undefined;
  }
  return parseCacheEntry(text, fileHash, options);
}

/** readCacheEntry without a thread-pool round trip: for the many small reads of a warm sweep. */
export function readCacheEntrySync(dir: string, key: string, fileHash: string, options: ScoreOptions): CacheEntry | undefined {
  let text: string;
  try {
    text = readFileSync(cacheEntryPath(dir, key), 'utf8');
  } catch {
    return undefined;
  }
  return parseCacheEntry(text, fileHash, options);
}

/** Writes `text` to `path` atomically, not fsynced: the cache only has to be whole, not durable. */
export async function writeFileAtomicNoSync(path: string, text: string): Promise<void> {
  await writeFileAtomic(path, text, { durable: false });
}

/** Writes an entry atomically (a reader sees no entry or a whole one), creating the directory. */
export async function writeCacheEntry(dir: string, key: string, entry: CacheEntry): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFileAtomicNoSync(cacheEntryPath(dir, key), `${JSON.stringify(entry)}\n`);
}
