import { stat } from 'node:fs/promises';
import { runFinishedAt } from '@mtl-fd/capture';
import { listSweep, runDirsIn } from '@mtl-fd/sweep';

/**
 * The run directories the watched paths stand for now (a path that does not exist yet,
 * or a directory with no run in it yet, stands for none: training may not have begun).
 */
export async function watchedRunDirs(paths: readonly string[]): Promise<string[]> {
  const dirs: string[] = [];
  for (const path of paths) {
    if (!(await stat(path).catch(() => undefined))?.isDirectory()) continue;
    for (const dir of await runDirsIn(path).catch(() => [])) dirs.push(dir);
  }
  return [...new Set(dirs)];
}

/** True when there is a run and every run's run.json says it finished. */
export async function allFinished(runDirs: readonly string[]): Promise<boolean> {
  if (runDirs.length === 0) return false;
  return (await Promise.all(runDirs.map(runFinishedAt))).every((at) => at !== undefined);
}

/** The runs' capture files with size and time: when it is unchanged, so is every table. */
export async function captureStamp(runDirs: readonly string[]): Promise<string> {
  if (runDirs.length === 0) return '';
  const { files } = await listSweep(runDirs);
  const parts = await Promise.all(
    files.map(async (f) => {
      const s = await stat(f).catch(() => undefined);
      return `${f}:${s?.size}:${s?.mtimeMs}`;
    }),
  );
  return parts.join('\n');
}
