import { lstat, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { parseTempFileName, tempPathFor } from './atomicFile.js';
import { isProcessAlive } from './liveness.js';

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

/**
 * Removes the temporary directories of `target` (tempPathFor names, real directories, not
 * links) that a killed replaceDirectory left beside it: only those whose writer's pid no
 * longer runs. Returns the paths removed.
 */
export async function removeDeadTempDirectories(target: string): Promise<string[]> {
  const dir = dirname(target);
  const names = await readdir(dir).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const name of names) {
    const temp = parseTempFileName(name);
    if (!temp || temp.target !== basename(target) || isProcessAlive(temp.pid)) continue;
    const path = join(dir, name);
    const st = await lstat(path).catch(() => undefined);
    if (!st?.isDirectory()) continue;
    await rm(path, { recursive: true, force: true });
    removed.push(path);
  }
  return removed;
}
