import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { CaptureError, CAPTURES_DIR, listCaptures, acquireRunLock, RunLockedError, runLockStatus, removeStaleRunLock, type RunLockInfo } from '@mtl-fd/capture';
import { CACHE_DIR_NAME } from './cache.js';
import { CACHE_FORMAT, cacheKey } from './cacheEntry.js';
import type { ScoreOptions } from '@mtl-fd/metrics';
import { hashFile } from './hash.js';
import { findLeftovers } from './leftovers.js';
import { METRICS_VERSION } from '@mtl-fd/metrics';

/** A file `cleanRun` removed (or would remove), or left alone. */
export interface CleanItem {
  path: string;
  reason: string;
  bytes: number;
}

export interface CleanReport {
  runDir: string;
  /** removed, or with dryRun to be removed */
  removed: CleanItem[];
  /** leftovers that belong to a live process (a write in progress) */
  kept: CleanItem[];
  /** why the whole run was left alone (a live writer holds its lock), if it was */
  skipped?: string;
}

export interface CleanOptions {
  /** report what would go, remove nothing */
  dryRun?: boolean;
  /** a shared score cache directory (score --cache-dir) to clean as well */
  cacheDir?: string;
}

function who(info: RunLockInfo | undefined): string {
  return info ? `pid ${info.pid} on ${info.host}, '${info.owner}'` : 'unreadable';
}

async function sizeOf(path: string): Promise<number> {
  return (await stat(path).catch(() => undefined))?.size ?? 0;
}

/**
 * Why a cache entry is stale, or undefined if it is current: unreadable, another
 * format or metrics version, a name that is not its key, or (when `hashes` is
 * given: a run's own cache) a capture that is no longer in the run.
 */
function staleness(name: string, text: string, hashes?: Set<string>): string | undefined {
  let e: { format?: unknown; metricsVersion?: unknown; fileHash?: unknown; options?: unknown };
  try {
    e = JSON.parse(text) as typeof e;
  } catch {
    return 'unreadable cache entry';
  }
  if (typeof e !== 'object' || e === null || e.format !== CACHE_FORMAT) return 'not a cache entry of this format';
  if (e.metricsVersion !== METRICS_VERSION) return `cache entry of metrics version ${String(e.metricsVersion)}`;
  if (typeof e.fileHash !== 'string' || typeof e.options !== 'object' || e.options === null) return 'damaged cache entry';
  if (name !== `${cacheKey(e.fileHash, e.options as ScoreOptions)}.json`) return 'cache entry under a wrong name';
  if (hashes && !hashes.has(e.fileHash)) return 'cache entry of a capture no longer in the run';
  return undefined;
}

async function staleCacheEntries(dir: string, hashes?: Set<string>): Promise<CleanItem[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.json') && !n.startsWith('.')).sort();
  } catch {
    return [];
  }
  const out: CleanItem[] = [];
  for (const name of names) {
    const path = join(dir, name);
    const text = await readFile(path, 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    const reason = staleness(name, text, hashes);
    if (reason) out.push({ path, reason, bytes: Buffer.byteLength(text) });
  }
  return out;
}

/**
 * Cleans one run directory: removes the temporary files of interrupted atomic writes
 * (anywhere in the run, and in `cacheDir`), stale entries of its score cache, and a
 * stale lock. It holds the run's lock meanwhile, so a training cannot start writing
 * half-way; a run whose lock a live writer holds is skipped, with the reason. Writes
 * still in progress (their pid runs) are kept.
 */
export async function cleanRun(runDir: string, options: CleanOptions = {}): Promise<CleanReport> {
  const st = await stat(runDir).catch(() => undefined);
  if (!st?.isDirectory()) throw new CaptureError(runDir, 'no such run directory');
  const hasCaptures = (await stat(join(runDir, CAPTURES_DIR)).catch(() => undefined))?.isDirectory() ?? false;
  if (!hasCaptures) throw new CaptureError(runDir, `is not a run directory (no ${CAPTURES_DIR}/)`);
  const report: CleanReport = { runDir, removed: [], kept: [] };
  const dryRun = options.dryRun ?? false;

  const lock = runLockStatus(runDir);
  if (lock && (lock.state === 'live' || lock.state === 'foreign')) {
    report.skipped = `locked by a running writer (${who(lock.info)})`;
    return report;
  }
  let release: (() => void) | undefined;
  if (lock) {
    report.removed.push({ path: lock.path, reason: `${lock.state} lock (${who(lock.info)})`, bytes: await sizeOf(lock.path) });
    if (!dryRun) removeStaleRunLock(runDir);
  }
  if (!dryRun) {
    try {
      release = acquireRunLock(runDir, 'mtl-fd clean', { onWarning: () => undefined });
    } catch (err) {
      if (!(err instanceof RunLockedError)) throw err;
      report.skipped = 'a writer took its lock meanwhile';
      return report;
    }
  }
  try {
    const leftovers = await findLeftovers(runDir, true);
    if (options.cacheDir) leftovers.push(...(await findLeftovers(options.cacheDir)));
    for (const l of leftovers) {
      const item = { path: l.path, bytes: await sizeOf(l.path) };
      if (l.writing) report.kept.push({ ...item, reason: `being written by pid ${l.pid}` });
      else report.removed.push({ ...item, reason: `partial file of an interrupted write (pid ${l.pid})` });
    }
    const hashes = new Set<string>();
    for (const file of await listCaptures(runDir)) hashes.add(await hashFile(file));
    report.removed.push(...(await staleCacheEntries(join(runDir, CACHE_DIR_NAME), hashes)));
    if (options.cacheDir) report.removed.push(...(await staleCacheEntries(options.cacheDir)));
    if (!dryRun) {
      for (const item of report.removed) {
        if (item.path === lock?.path) continue; // handled above
        await rm(item.path, { force: true });
      }
    }
  } finally {
    release?.();
  }
  return report;
}
