import { randomBytes } from 'node:crypto';
import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { UserError } from './errors.js';

/** A file being written under a temporary name, that appears at its real path only on commit. */
export interface AtomicFile {
  readonly path: string;
  readonly tempPath: string;
  /** open for writing (positional writes welcome) until commit or abort */
  readonly handle: FileHandle;
  /** fsync, close, rename over `path`, fsync the directory */
  commit(): Promise<void>;
  /** close and delete the temporary file; a no-op once committed or aborted */
  abort(): Promise<void>;
}

const OPEN_PROBLEMS: Record<string, string> = {
  ENOENT: 'its directory does not exist',
  ENOTDIR: 'a parent path is not a directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'read-only file system',
};

/**
 * The name of a temporary file of an atomic write: `.<target>.<pid>-<random hex>.tmp`.
 * Every file mtl-fd writes (captures, tables, the cache, the run lock, checkpoints, the
 * Python adapter's files) is first written under such a name in the target's directory
 * (a rename is only atomic within one file system). The pid tells a leftover of a killed
 * writer from a write in progress, which is how `mtl-fd clean` knows what it may delete.
 */
const TEMP_FILE_NAME = /^\.(.+)\.([1-9][0-9]{0,9})-([0-9a-f]{6,})\.tmp$/;

/** A fresh temporary path for an atomic write of `path`, in the same directory. */
export function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
}

/** The file a temporary name stands for and the pid that writes it, or undefined for other names. */
export function parseTempFileName(name: string): { target: string; pid: number } | undefined {
  const m = TEMP_FILE_NAME.exec(name);
  return m ? { target: m[1]!, pid: Number(m[2]) } : undefined;
}

export interface AtomicFileOptions {
  /**
   * fsync the file and its directory on commit (default true). A cache, which only has
   * to be whole and not durable, turns it off: after a crash an entry may be missing.
   */
  durable?: boolean;
}

/**
 * Starts an atomic write of `path` under a temporary name (tempPathFor), so a process
 * killed mid-write leaves at most a hidden `.tmp` file, never a partial `path`.
 */
export async function createAtomicFile(path: string, options: AtomicFileOptions = {}): Promise<AtomicFile> {
  const durable = options.durable ?? true;
  const tempPath = tempPathFor(path);
  let handle: FileHandle;
  try {
    handle = await open(tempPath, 'wx');
  } catch (err) {
    const problem = OPEN_PROBLEMS[(err as NodeJS.ErrnoException).code ?? ''];
    if (problem) throw new UserError(`${path}: cannot write (${problem})`);
    throw err;
  }
  let state: 'open' | 'committed' | 'aborted' = 'open';

  const abort = async (): Promise<void> => {
    if (state !== 'open') return;
    state = 'aborted';
    await handle.close().catch(() => undefined);
    await unlink(tempPath).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
  };

  const commit = async (): Promise<void> => {
    if (state !== 'open') throw new Error(`${path}: atomic write already ${state}`);
    try {
      if (durable) await handle.sync();
      await handle.close();
      await rename(tempPath, path);
    } catch (err) {
      await abort();
      throw err;
    }
    state = 'committed';
    if (durable) await syncDirectory(dirname(path));
  };

  return { path, tempPath, handle, commit, abort };
}

/** Makes the rename itself durable; some platforms cannot fsync a directory, which is fine. */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // best effort (e.g. Windows refuses to open a directory)
  }
}
