import { createHash } from 'node:crypto';
import { openRegularFile } from '@mtl-fd/capture';

const CHUNK = 1 << 20;

/**
 * The sha256 of a file's bytes, hex; reads it in 1 MiB pieces (memory does not grow
 * with the file). Anything but a regular file (a FIFO, a device) is refused, unread.
 */
export async function hashFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  const fh = await openRegularFile(file, { kind: 'capture file' });
  try {
    const buf = Buffer.allocUnsafe(CHUNK);
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, CHUNK, null);
      if (bytesRead === 0) break;
      hash.update(buf.subarray(0, bytesRead));
    }
  } finally {
    await fh.close();
  }
  return hash.digest('hex');
}
