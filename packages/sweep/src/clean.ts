import { lstat, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { CaptureError, CAPTURES_DIR, listCaptures, openRegularFile, acquireRunLock, forceRemoveRunLock, RunLockedError, runLockStatus, removeStaleRunLock, type RunLockInfo } from '@mtl-fd/capture';
import { CACHE_DIR_NAME } from './cache.js';
import { CACHE_FORMAT, cacheKey, entryChecksum } from './cacheEntry.js';
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
  /** left alone: leftovers of a live process (a write in progress), files not provably mtl-fd's, links not followed */
  kept: CleanItem[];
  /** why the whole run was left alone (a live writer holds its lock), if it was */
  skipped?: string;
}

export interface CleanOptions {
  /** report what would go, remove nothing */
  dryRun?: boolean;
  /** a shared score cache directory (score --cache-dir) to clean as well */
  cacheDir?: string;
  /**
   * also remove a lock that looks held but cannot be checked: taken on another host, or
   * by a pid whose start time was not recorded (a reused pid looks alive forever). A
   * lock whose owner provably runs is never removed.
   */
  forceUnlock?: boolean;
}

function who(info: RunLockInfo | undefined): string {
  return info ? `pid ${info.pid} on ${info.host}, '${info.owner}'` : 'unreadable';
}

async function sizeOf(path: string): Promise<number> {
  return (await stat(path).catch(() => undefined))?.size ?? 0;
}

/** The name of every cache entry: its key (64 hex digits) and `.json`. */
const ENTRY_NAME = /^[0-9a-f]{64}\.json$/;

/** The largest file that could be a cache entry worth reading (entries are a few KiB). */
const MAX_ENTRY_BYTES = 64 * 1024 * 1024;

/** How every entry's text begins, in every version of the format (its writer puts `format` first): a damaged entry still shows it. */
const ENTRY_START = /^\{\s*"format"\s*:\s*"mtl-fd\/score-cache@\d+"/;
/** The cache's format name in any of its versions: an entry of an older one is still provably ours. */
const ANY_CACHE_FORMAT = /^mtl-fd\/score-cache@\d+$/;

/**
 * Why a file is a stale cache entry ('' when it is a current one), or undefined when it
 * cannot be proven a cache entry at all (then it is never removed). Proof is the name
 * (ENTRY_NAME) and the content: JSON whose `format` is the cache's, or text that starts
 * as an entry does but does not parse (cut short by a crash). Stale: another
 * metrics version, damaged fields, a name that is not its key, or (when `hashes` is
 * given: a run's own cache) a capture that is no longer in the run.
 */
function staleness(name: string, text: string, hashes?: Set<string>): string | undefined {
  if (!ENTRY_NAME.test(name)) return undefined;
  let e: { format?: unknown; metricsVersion?: unknown; fileHash?: unknown; options?: unknown; checksum?: unknown };
  try {
    e = JSON.parse(text) as typeof e;
  } catch {
    return ENTRY_START.test(text) ? 'unreadable cache entry' : undefined;
  }
  if (typeof e !== 'object' || e === null || typeof e.format !== 'string' || !ANY_CACHE_FORMAT.test(e.format)) return undefined;
  if (e.format !== CACHE_FORMAT) return `cache entry of the older format ${e.format}`;
  if (e.metricsVersion !== METRICS_VERSION) return `cache entry of metrics version ${String(e.metricsVersion)}`;
  if (e.checksum !== entryChecksum(e as Parameters<typeof entryChecksum>[0])) return 'cache entry that fails its checksum (edited or damaged)';
  if (typeof e.fileHash !== 'string' || typeof e.options !== 'object' || e.options === null) return 'damaged cache entry';
  if (name !== `${cacheKey(e.fileHash, e.options as ScoreOptions)}.json`) return 'cache entry under a wrong name';
  if (hashes && !hashes.has(e.fileHash)) return 'cache entry of a capture no longer in the run';
  return '';
}

/**
 * `dir` when it is a real directory to clean; a symbolic link is reported in `kept`
 * and never followed (it may lead to any directory of the user's).
 */
async function realDirectory(dir: string, kept: CleanItem[]): Promise<boolean> {
  const st = await lstat(dir).catch(() => undefined);
  if (st?.isSymbolicLink()) kept.push({ path: dir, reason: 'a symbolic link: not followed', bytes: 0 });
  return st?.isDirectory() ?? false;
}

/** Reads a would-be cache entry: a regular file (no link, FIFO or device), of a plausible size. */
async function readEntry(path: string): Promise<string | 'not a regular file' | 'too large for a cache entry' | undefined> {
  let fh;
  try {
    fh = await openRegularFile(path, { noFollow: true });
  } catch (err) {
    return err instanceof CaptureError ? 'not a regular file' : undefined;
  }
  try {
    if ((await fh.stat()).size > MAX_ENTRY_BYTES) return 'too large for a cache entry';
    return await fh.readFile('utf8');
  } catch {
    return undefined;
  } finally {
    await fh.close();
  }
}

/** The stale entries of the cache `dir`, to remove; every other `*.json` there not an entry goes to `kept`. */
async function staleCacheEntries(dir: string, kept: CleanItem[], hashes?: Set<string>): Promise<CleanItem[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.json') && !n.startsWith('.')).sort();
  } catch {
    return [];
  }
  const out: CleanItem[] = [];
  for (const name of names) {
    const path = join(dir, name);
    const text = await readEntry(path);
    if (text === undefined) continue;
    if (text === 'not a regular file' || text === 'too large for a cache entry') {
      kept.push({ path, reason: text, bytes: 0 });
      continue;
    }
    const reason = staleness(name, text, hashes);
    if (reason === undefined) kept.push({ path, reason: 'not a cache entry of mtl-fd', bytes: Buffer.byteLength(text) });
    else if (reason) out.push({ path, reason, bytes: Buffer.byteLength(text) });
  }
  return out;
}

/**
 * Cleans one run directory: removes the temporary files of interrupted atomic writes
 * (anywhere in the run, and in `cacheDir`), stale entries of its score cache, and a
 * stale lock. It holds the run's lock meanwhile, so a training cannot start writing
 * half-way; a run whose lock a live writer holds is skipped, with the reason. Writes
 * still in progress (their pid runs) are kept, and so is every file not provably a
 * cache entry (see staleness) and every symbolically linked cache directory: listed
 * in `kept`, never followed, never removed.
 */
export async function cleanRun(runDir: string, options: CleanOptions = {}): Promise<CleanReport> {
  const st = await stat(runDir).catch(() => undefined);
  if (!st?.isDirectory()) throw new CaptureError(runDir, 'no such run directory');
  const hasCaptures = (await stat(join(runDir, CAPTURES_DIR)).catch(() => undefined))?.isDirectory() ?? false;
  if (!hasCaptures) throw new CaptureError(runDir, `is not a run directory (no ${CAPTURES_DIR}/)`);
  const report: CleanReport = { runDir, removed: [], kept: [] };
  const dryRun = options.dryRun ?? false;

  const lock = runLockStatus(runDir);
  let release: (() => void) | undefined;
  if (lock && (lock.state === 'live' || lock.state === 'foreign')) {
    const forced = options.forceUnlock ? forceRemoveRunLock(runDir, dryRun) : undefined;
    if (!forced?.removed) {
      report.skipped = forced?.refused
        ? `locked by a running writer (${who(lock.info)}); not forced open: ${forced.refused}`
        : `locked by a ${lock.state === 'foreign' ? 'writer on another host' : 'running writer'} (${who(lock.info)}); if it has ended, clean with --force-unlock`;
      return report;
    }
    report.removed.push({ path: lock.path, reason: `${lock.state} lock forced open (${who(lock.info)})`, bytes: await sizeOf(lock.path) });
  } else if (lock) {
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
    const cacheDir = options.cacheDir && (await realDirectory(options.cacheDir, report.kept)) ? options.cacheDir : undefined;
    const leftovers = await findLeftovers(runDir, true);
    if (cacheDir) for (const item of (await findLeftovers(cacheDir))) leftovers.push(item);
    for (const l of leftovers) {
      const item = { path: l.path, bytes: await sizeOf(l.path) };
      if (l.writing) report.kept.push({ ...item, reason: `being written by pid ${l.pid}` });
      else report.removed.push({ ...item, reason: `partial file of an interrupted write (pid ${l.pid})` });
    }
    const hashes = new Set<string>();
    for (const file of await listCaptures(runDir)) {
      try {
        hashes.add(await hashFile(file));
      } catch (err) {
        // a FIFO or device under a capture's name is refused, never read (it could block)
        if (!(err instanceof CaptureError)) throw err;
        report.kept.push({ path: file, reason: err.problem, bytes: 0 });
      }
    }
    const runCache = join(runDir, CACHE_DIR_NAME);
    if (await realDirectory(runCache, report.kept)) for (const item of (await staleCacheEntries(runCache, report.kept, hashes))) report.removed.push(item);
    if (cacheDir) for (const item of (await staleCacheEntries(cacheDir, report.kept))) report.removed.push(item);
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
