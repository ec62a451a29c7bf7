import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { CaptureError } from './captureError.js';

// O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer, forever
// (and a device may block as well); on a regular file it changes nothing.
const NONBLOCK = constants.O_NONBLOCK ?? 0;
const NOFOLLOW = constants.O_NOFOLLOW ?? 0;

export interface OpenRegularFileOptions {
  /** refuse a symbolic link instead of opening what it points to */
  noFollow?: boolean;
  /** what the file should be, for the messages (default 'regular file') */
  kind?: string;
}

/**
 * Opens `file` for reading only if it is a regular file: a FIFO, socket or device
 * (or a directory) is refused with a CaptureError naming it, without ever blocking
 * on it. The type is checked on the open handle, so it cannot change in between.
 */
export async function openRegularFile(file: string, options: OpenRegularFileOptions = {}): Promise<FileHandle> {
  const kind = options.kind ?? 'regular file';
  let handle: FileHandle;
  try {
    handle = await open(file, constants.O_RDONLY | NONBLOCK | (options.noFollow ? NOFOLLOW : 0));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CaptureError(file, 'no such file');
    if (code === 'EACCES' || code === 'EPERM') throw new CaptureError(file, 'permission denied');
    if (code === 'EISDIR') throw new CaptureError(file, `is a directory, not a ${kind}`);
    if (code === 'ELOOP' && options.noFollow) throw new CaptureError(file, `is a symbolic link, not a ${kind}`);
    if (code === 'ENXIO') throw new CaptureError(file, `is not a ${kind} (a socket or device)`);
    throw err;
  }
  const stat = await handle.stat().catch(async (err: unknown) => {
    await handle.close();
    throw err;
  });
  if (!stat.isFile()) {
    await handle.close();
    throw new CaptureError(file, stat.isDirectory() ? `is a directory, not a ${kind}` : `is ${kindOf(stat)}, not a ${kind}`);
  }
  return handle;
}

function kindOf(stat: { isFIFO(): boolean; isSocket(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean }): string {
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}
