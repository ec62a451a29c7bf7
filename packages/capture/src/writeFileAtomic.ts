import { createAtomicFile, type AtomicFileOptions } from './atomicFile.js';

/**
 * Writes `data` (a string is UTF-8) to `file` atomically: readers see the old file or
 * the complete new one, never a partial write; the temporary file is removed on failure.
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array, options: AtomicFileOptions = {}): Promise<void> {
  const atomic = await createAtomicFile(file, options);
  try {
    await atomic.handle.writeFile(data);
    await atomic.commit();
  } catch (err) {
    await atomic.abort();
    throw err;
  }
}
