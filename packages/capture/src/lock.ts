import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { UserError } from './errors.js';
import { isProcessAlive, processStartTime } from './liveness.js';
import { tempPathFor } from './atomicFile.js';

/** The lock file of a run directory: present while a training writes to it. */
export const RUN_LOCK_FILE = '.mtl-fd.lock';

/** What a run lock file holds (JSON). */
export interface RunLockInfo {
  pid: number;
  host: string;
  /** free text naming the writer, e.g. 'mtl-fd hooks: train.ts' */
  owner: string;
  /** ISO time the lock was taken */
  startedAt: string;
  /** the owner's process start time (Linux /proc), to detect a reused pid; null elsewhere */
  procStart: string | null;
  /** random, tells this lock from a later one by the same pid */
  nonce: string;
}

/**
 * What a lock file says about its owner: `live` (held by a running process on this
 * host), `stale` (its process is gone), `foreign` (held from another host, whose
 * processes cannot be checked), `unreadable` (not a lock this code wrote).
 */
export type RunLockState = 'live' | 'stale' | 'foreign' | 'unreadable';

export interface RunLockStatus {
  path: string;
  state: RunLockState;
  info?: RunLockInfo;
}

/** A second writer for a run directory someone else holds. */
export class RunLockedError extends UserError {
  constructor(message: string) {
    super(message, 2);
    this.name = 'RunLockedError';
  }
}

export interface AcquireRunLockOptions {
  /** receives the warning when a stale lock is taken over; default process.emitWarning */
  onWarning?: (message: string) => void;
}

/** Releases a run lock (idempotent; leaves alone a lock that is no longer this one). */
export type ReleaseRunLock = () => void;

function parseLock(text: string): RunLockInfo | undefined {
  try {
    const v = JSON.parse(text) as Partial<RunLockInfo>;
    if (
      v && typeof v === 'object' && Number.isSafeInteger(v.pid) && (v.pid as number) > 0 &&
      typeof v.host === 'string' && typeof v.nonce === 'string' && typeof v.owner === 'string'
    ) {
      return {
        pid: v.pid as number,
        host: v.host,
        owner: v.owner,
        startedAt: typeof v.startedAt === 'string' ? v.startedAt : '',
        procStart: typeof v.procStart === 'string' ? v.procStart : null,
        nonce: v.nonce,
      };
    }
  } catch {
    // fall through: unreadable
  }
  return undefined;
}

function stateOf(info: RunLockInfo): RunLockState {
  if (info.host !== hostname()) return 'foreign';
  return isProcessAlive(info.pid, info.procStart) ? 'live' : 'stale';
}

/** Reads the lock of `runDir`; undefined when there is none. */
export function runLockStatus(runDir: string): RunLockStatus | undefined {
  const path = join(runDir, RUN_LOCK_FILE);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const info = parseLock(text);
  return info ? { path, state: stateOf(info), info } : { path, state: 'unreadable' };
}

function describe(info: RunLockInfo): string {
  return `'${info.owner}' (pid ${info.pid} on ${info.host}${info.startedAt ? `, since ${info.startedAt}` : ''})`;
}

/** Creates the lock file with its full content in one step; false when one exists. */
function tryCreate(path: string, info: RunLockInfo): boolean {
  const text = `${JSON.stringify(info)}\n`;
  const tmp = tempPathFor(path);
  writeFileSync(tmp, text, { flag: 'wx' });
  try {
    // link() fails with EEXIST if the lock exists, and makes it appear complete
    linkSync(tmp, path);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS' && code !== 'EOPNOTSUPP') throw err;
    // a file system without hard links: exclusive create, then write
    let fd: number;
    try {
      fd = openSync(path, 'wx');
    } catch (err2) {
      if ((err2 as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw err2;
    }
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    return true;
  } finally {
    try {
      unlinkSync(tmp);
    } catch {
      // already gone
    }
  }
}

/** How long a takeover may take before another contender treats it as abandoned (its holder died). */
const TAKEOVER_ABANDONED_MS = 10_000;

/**
 * Runs `fn` while holding `<lock>.takeover`, an exclusive file only stale-lock removers
 * create. Removing a stale lock is "read it, check it is the stale one, unlink it"; two
 * removers interleaving those steps could unlink a fresh lock that a third contender
 * created meanwhile (two holders). Under the mutex only one remover acts at a time, and
 * nothing else can replace an existing lock file (creation is exclusive), so the lock
 * read under the mutex is the one unlinked. Returns false when another remover holds it.
 */
function withTakeover(path: string, fn: () => void): boolean {
  const mutex = `${path}.takeover`;
  let fd: number;
  try {
    fd = openSync(mutex, 'wx');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    // a remover that died mid-takeover leaves the mutex behind: old ones are cleared
    try {
      if (Date.now() - statSync(mutex).mtimeMs > TAKEOVER_ABANDONED_MS) unlinkSync(mutex);
    } catch {
      // gone meanwhile
    }
    return false;
  }
  try {
    writeSync(fd, `${process.pid}\n`);
    closeSync(fd);
    fn();
  } finally {
    try {
      unlinkSync(mutex);
    } catch {
      // already gone
    }
  }
  return true;
}

/**
 * Removes the stale lock `seen` at `path` (undefined: the unreadable lock seen), unless
 * it has been replaced meanwhile. Returns false when another remover is at work: the
 * caller looks again.
 */
export function removeStaleLock(path: string, seen: RunLockInfo | undefined): boolean {
  return withTakeover(path, () => {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    const now = parseLock(text);
    const same = seen ? now?.nonce === seen.nonce : now === undefined;
    if (same) unlinkSync(path);
  });
}

/**
 * Takes the lock of a run directory for one writer (a training): creates
 * `<runDir>/.mtl-fd.lock` exclusively, holding the owner's pid and host. A lock held
 * by a live process (or by another host, which cannot be checked) is refused with a
 * RunLockedError naming the holder; a lock whose process is gone is stale and is
 * taken over with a warning. Creates `runDir` if needed. Returns the release function.
 */
export function acquireRunLock(runDir: string, owner: string, options: AcquireRunLockOptions = {}): ReleaseRunLock {
  const warn = options.onWarning ?? ((m: string) => process.emitWarning(m, { code: 'MTL_FD_STALE_LOCK' }));
  mkdirSync(runDir, { recursive: true });
  const path = join(runDir, RUN_LOCK_FILE);
  const info: RunLockInfo = {
    pid: process.pid,
    host: hostname(),
    owner,
    startedAt: new Date().toISOString(),
    procStart: processStartTime(process.pid),
    nonce: randomBytes(8).toString('hex'),
  };
  for (let attempt = 0; attempt < 50; attempt++) {
    if (tryCreate(path, info)) return releaser(path, info.nonce);
    const status = runLockStatus(runDir);
    if (!status) continue; // released meanwhile: try again
    if (status.state === 'live' || status.state === 'foreign') {
      const held = status.info as RunLockInfo;
      const who = describe(held);
      throw new RunLockedError(
        `run directory ${runDir} is locked by ${who}: another training writes to it. ` +
          (status.state === 'foreign'
            ? `It runs on another host and cannot be checked from here; if it has ended, run 'mtl-fd clean --force-unlock ${runDir}'.`
            : isVerifiedLive(held)
              ? `Use another run directory, or stop that process first.`
              : `Its start time was not recorded, so a reused pid cannot be told from it; if that training has ended, run 'mtl-fd clean --force-unlock ${runDir}'.`),
      );
    }
    if (status.state === 'unreadable') {
      throw new RunLockedError(`run directory ${runDir} has a lock file that is not readable (${path}); if no training writes there, remove it or run 'mtl-fd clean ${runDir}'`);
    }
    if (removeStaleLock(path, status.info)) {
      warn(`took over the stale lock of ${runDir}: its owner ${describe(status.info as RunLockInfo)} is no longer running`);
    } else {
      sleepMs(5 + Math.random() * 20); // another contender is removing it: let it finish
    }
  }
  throw new RunLockedError(`run directory ${runDir}: could not take its lock (${path}), other processes keep changing it`);
}

function releaser(path: string, nonce: string): ReleaseRunLock {
  let released = false;
  return () => {
    if (released) return;
    released = true;
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      return;
    }
    if (parseLock(text)?.nonce === nonce) {
      try {
        unlinkSync(path);
      } catch {
        // already gone
      }
    }
  };
}

/**
 * Removes the lock of `runDir` if it is stale or unreadable (what `mtl-fd clean` does).
 * Returns the status it acted on (undefined when there was no lock), and whether it removed it.
 */
export function removeStaleRunLock(runDir: string, dryRun = false): { status?: RunLockStatus; removed: boolean } {
  const status = runLockStatus(runDir);
  if (!status || status.state === 'live' || status.state === 'foreign') return { status, removed: false };
  if (dryRun) return { status, removed: true };
  return { status, removed: removeStaleLock(status.path, status.info) };
}

/**
 * Whether a lock's owner provably runs: on this host, with the pid alive and the start
 * time recorded in the lock equal to that pid's start time now. A lock from another host,
 * or one without a start time (written where /proc was missing), proves nothing: its pid
 * may have been reused by an unrelated process.
 */
function isVerifiedLive(info: RunLockInfo): boolean {
  if (info.host !== hostname() || info.procStart === null) return false;
  return isProcessAlive(info.pid, info.procStart) && processStartTime(info.pid) === info.procStart;
}

/**
 * Removes the lock of `runDir` even if it looks held, as `mtl-fd clean --force-unlock`
 * does for a lock of another host or of a pid without a recorded start time, which no
 * check here can clear. A lock whose owner provably runs (isVerifiedLive) is never
 * removed: `refused` then says why.
 */
export function forceRemoveRunLock(runDir: string, dryRun = false): { status?: RunLockStatus; removed: boolean; refused?: string } {
  const status = runLockStatus(runDir);
  if (!status) return { removed: false };
  if (status.info && status.state === 'live' && isVerifiedLive(status.info)) {
    return { status, removed: false, refused: `its owner, pid ${status.info.pid}, runs (its start time matches): stop it first` };
  }
  if (dryRun) return { status, removed: true };
  return { status, removed: removeStaleLock(status.path, status.info) };
}

/** Blocks this thread for `ms` (the lock API is synchronous, as training loops call it). */
function sleepMs(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
