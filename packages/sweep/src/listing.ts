import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { CaptureError, CAPTURES_DIR, captureStepOf, listCaptures, isProcessAlive, parseTempFileName } from '@mtl-fd/capture';

export interface SweepListing {
  /** capture files in order: paths as given, each run's captures by step; no file twice */
  files: string[];
  /** one line each: partial leftovers and other files that were skipped */
  warnings: string[];
}

function sample(names: string[]): string {
  const shown = names.slice(0, 3).join(', ');
  return names.length > 3 ? `${shown}, ...` : shown;
}

async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}

/** The captures of one run directory, with warnings for what its captures/ holds besides. */
async function listRun(runDir: string, warnings: string[]): Promise<string[]> {
  const files = await listCaptures(runDir);
  const dir = join(runDir, CAPTURES_DIR);
  const names = (await readdir(dir)).sort();
  const partial: string[] = [];
  const writing: string[] = [];
  const other: string[] = [];
  for (const name of names) {
    if (captureStepOf(name) !== undefined) continue;
    const temp = parseTempFileName(name);
    if (temp) (isProcessAlive(temp.pid) ? writing : partial).push(name);
    else other.push(name);
  }
  if (partial.length > 0) {
    warnings.push(
      `${dir}: ignored ${partial.length} partial file(s) left by interrupted writes (${sample(partial)}); 'mtl-fd clean ${runDir}' removes them`,
    );
  }
  if (writing.length > 0) warnings.push(`${dir}: ignored ${writing.length} capture(s) still being written (${sample(writing)})`);
  if (other.length > 0) {
    warnings.push(`${dir}: ignored ${other.length} file(s) not named step-<8 digits>.safetensors (${sample(other)})`);
  }
  return files;
}

/**
 * The run directories a directory stands for: itself when it has a captures/
 * directory, else its subdirectories that do, in name order; none is an error.
 */
export async function runDirsIn(dir: string): Promise<string[]> {
  if (await isDirectory(join(dir, CAPTURES_DIR))) return [dir];
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => {
    throw new CaptureError(dir, 'is not a readable directory');
  });
  const runs: string[] = [];
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if ((e.isDirectory() || e.isSymbolicLink()) && (await isDirectory(join(dir, e.name, CAPTURES_DIR)))) runs.push(join(dir, e.name));
  }
  if (runs.length === 0) {
    throw new CaptureError(dir, `is neither a run directory (no ${CAPTURES_DIR}/) nor a directory of run directories`);
  }
  return runs;
}

/**
 * The capture files of a sweep. Each path is a capture file (taken as is), a run
 * directory (one with a captures/ directory: its captures by step), or a directory
 * of run directories (its runs in name order). Temporary files of interrupted or
 * ongoing writes are skipped with a warning, never read.
 */
export async function listSweep(paths: readonly string[]): Promise<SweepListing> {
  const files: string[] = [];
  const warnings: string[] = [];
  const seen = new Set<string>();
  const add = (file: string) => {
    const key = resolve(file);
    if (seen.has(key)) return;
    seen.add(key);
    files.push(file);
  };
  for (const path of paths) {
    const st = await stat(path).catch(() => undefined);
    if (!st) throw new CaptureError(path, 'no such file or directory');
    if (!st.isDirectory()) {
      add(path);
      continue;
    }
    for (const run of await runDirsIn(path)) for (const f of await listRun(run, warnings)) add(f);
  }
  return { files, warnings };
}
