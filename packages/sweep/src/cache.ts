import { readFileSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { CAPTURES_DIR, writeFileAtomic } from '@mtl-fd/capture';
import type { ScoreOptions } from '@mtl-fd/metrics';
import { checkCacheEntry, type CacheEntry, type CacheRead } from './cacheEntry.js';

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

/** What checkCacheEntry says of the entry `key` in `dir`, its problem naming the entry's path. */
function checked(dir: string, key: string, text: string | undefined, fileHash: string, options: ScoreOptions): CacheRead {
  if (text === undefined) return {};
  const read = checkCacheEntry(text, fileHash, options);
  return read.problem === undefined ? read : { problem: `${cacheEntryPath(dir, key)}: ${read.problem}` };
}

/** Reads an entry: a miss (no entry, or a foreign or unreadable one), the entry, or its problem (checkCacheEntry). */
export async function readCacheEntry(dir: string, key: string, fileHash: string, options: ScoreOptions): Promise<CacheRead> {
  const text = await readFile(cacheEntryPath(dir, key), 'utf8').catch(() => undefined);
  return checked(dir, key, text, fileHash, options);
}

/** readCacheEntry without a thread-pool round trip: for the many small reads of a warm sweep. */
export function readCacheEntrySync(dir: string, key: string, fileHash: string, options: ScoreOptions): CacheRead {
  let text: string | undefined;
  try {
    text = readFileSync(cacheEntryPath(dir, key), 'utf8');
  } catch {
    text = undefined;
  }
  return checked(dir, key, text, fileHash, options);
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
