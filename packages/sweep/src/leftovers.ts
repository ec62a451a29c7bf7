import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { isProcessAlive, parseTempFileName } from '@mtl-fd/capture';

/** A temporary file found in a run directory. */
export interface Leftover {
  path: string;
  /** the writer's pid, from the name */
  pid: number;
  /** false when that process is gone: an interrupted write, safe to delete */
  writing: boolean;
}

/**
 * Temporary files of atomic writes under `dir` (all depths when `recursive`, never
 * following symbolic links), sorted by path. `writing` is true while the pid in the
 * name runs on this host.
 */
export async function findLeftovers(dir: string, recursive = false): Promise<Leftover[]> {
  const out: Leftover[] = [];
  const walk = async (d: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(d, { withFileTypes: true });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return;
      throw err;
    }
    for (const e of entries) {
      const path = join(d, e.name);
      if (e.isDirectory()) {
        if (recursive) await walk(path);
        continue;
      }
      const temp = parseTempFileName(e.name);
      if (!temp) continue;
      // re-check the type without following a link (readdir's answer may be stale)
      const st = await lstat(path).catch(() => undefined);
      if (!st || st.isDirectory()) continue;
      out.push({ path, pid: temp.pid, writing: isProcessAlive(temp.pid) });
    }
  };
  await walk(dir);
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
