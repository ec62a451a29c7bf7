import type { FileHandle } from 'node:fs/promises';
import { CaptureError } from './captureError.js';

/**
 * Exactly `length` bytes at `position`, in a fresh buffer that starts at offset 0 of
 * its own ArrayBuffer (so any typed array can view it). Loops over short reads; a file
 * that ends early (truncated or rewritten while open) is a CaptureError.
 */
export async function readAt(handle: FileHandle, file: string, position: number, length: number): Promise<Uint8Array> {
  // allocUnsafeSlow: never a slice of Node's shared pool, so byteOffset is 0
  const buffer = Buffer.allocUnsafeSlow(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await handle.read(buffer, filled, length - filled, position + filled);
    if (bytesRead === 0) {
      throw new CaptureError(file, `file ended at byte ${position + filled} while reading ${length} bytes at ${position} (truncated or changed while being read?)`);
    }
    filled += bytesRead;
  }
  return new Uint8Array(buffer.buffer, 0, length);
}
