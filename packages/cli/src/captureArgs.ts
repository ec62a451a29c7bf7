import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { listCaptures, UserError } from '@mtl-fd/metrics';

/**
 * Capture files from command-line paths: a file is itself, a directory is a run
 * directory whose captures/ are taken in step order. Paths resolve against `cwd`.
 */
export async function captureFiles(paths: readonly string[], cwd: string): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    const path = resolve(cwd, p);
    let isDir: boolean;
    try {
      isDir = (await stat(path)).isDirectory();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new UserError(`${p}: no such file or directory`);
      throw err;
    }
    if (!isDir) {
      out.push(path);
      continue;
    }
    const files = await listCaptures(path);
    if (files.length === 0) throw new UserError(`${p}: the run directory has no captures (captures/step-<8 digits>.safetensors)`);
    out.push(...files);
  }
  return out;
}
