import { rename, rm } from 'node:fs/promises';
import { tempPathFor } from './atomicFile.js';

/**
 * Puts the complete directory `temp` (a tempPathFor name beside `target`) at `target`,
 * replacing an older `target` whole: the old one is first renamed aside under another
 * temporary name and deleted only once the new one is in place (put back if that
 * fails). A kill at any point leaves a whole directory at `target`, or under temporary
 * names that `mtl-fd clean` removes; a reader never sees a mix of old and new.
 */
export async function replaceDirectory(temp: string, target: string): Promise<void> {
  const aside = tempPathFor(target);
  const hadOld = await rename(target, aside).then(
    () => true,
    (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return false;
      throw err;
    },
  );
  try {
    await rename(temp, target);
  } catch (err) {
    if (hadOld) await rename(aside, target).catch(() => undefined);
    throw err;
  }
  if (hadOld) await rm(aside, { recursive: true, force: true });
}
