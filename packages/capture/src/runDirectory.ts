import { readdir, readFile } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { CaptureError } from './captureError.js';
import type { CaptureMeta } from './types.js';

/** The subdirectory of a run that holds its captures. */
export const CAPTURES_DIR = 'captures';

// 8 digits, or more without a leading zero once steps pass 99,999,999: one name per step
const CAPTURE_FILE_NAME = /^step-([0-9]{8}|[1-9][0-9]{8,})\.safetensors$/;

/** `step-00001200.safetensors` for step 1200. */
export function captureFileName(step: number): string {
  if (!Number.isSafeInteger(step) || step < 0) throw new RangeError(`a capture step is a non-negative integer, got ${step}`);
  return `step-${String(step).padStart(8, '0')}.safetensors`;
}

/** The step a capture file name stands for, or undefined for any other name (temp files included). */
export function captureStepOf(fileName: string): number | undefined {
  const match = CAPTURE_FILE_NAME.exec(fileName);
  if (!match) return undefined;
  const step = Number(match[1]);
  return Number.isSafeInteger(step) ? step : undefined;
}

/**
 * Paths of the captures in `<runDir>/captures/`, sorted by step. Only names of the
 * form `step-<8 digits>.safetensors` count: temporary files of interrupted writes
 * and anything else are ignored.
 */
export async function listCaptures(runDir: string): Promise<string[]> {
  const dir = join(runDir, CAPTURES_DIR);
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CaptureError(runDir, `has no ${CAPTURES_DIR}/ directory (is it a run directory?)`);
    if (code === 'ENOTDIR') throw new CaptureError(runDir, `is not a run directory (${CAPTURES_DIR}/ is not a directory)`);
    throw err;
  }
  return entries
    .filter((e) => e.isFile() || e.isSymbolicLink())
    .map((e) => ({ name: e.name, step: captureStepOf(e.name) }))
    .filter((e): e is { name: string; step: number } => e.step !== undefined)
    .sort((a, b) => a.step - b.step)
    .map((e) => join(dir, e.name));
}

/**
 * The run a capture belongs to (docs/metrics.md §10): its `run` metadata when
 * non-blank, else the run directory's name when the file sits in `<run>/captures/`,
 * else the file's base name without its extension.
 */
export function runNameOf(info: { meta: Pick<CaptureMeta, 'run'> }, file: string): string {
  const run = info.meta.run;
  if (run !== undefined && run.trim() !== '') return run;
  const dir = dirname(resolve(file));
  if (basename(dir) === CAPTURES_DIR) {
    const runName = basename(dirname(dir));
    if (runName !== '') return runName;
  }
  return basename(file, extname(file));
}

/** A run directory's manifest, written by the training side (@mtl-fd/hooks, the Python adapter). */
export const RUN_JSON = 'run.json';

/**
 * When the run's training finished: run.json's `finishedAt`, written when training
 * ends. Undefined while it trains, without a run.json (yet), for an unreadable one
 * (a reader retries later), and for one written before `finishedAt` existed.
 */
export async function runFinishedAt(runDir: string): Promise<string | undefined> {
  let manifest: unknown;
  try {
    manifest = JSON.parse(await readFile(join(runDir, RUN_JSON), 'utf8'));
  } catch {
    return undefined;
  }
  const at = (manifest as { finishedAt?: unknown } | null)?.finishedAt;
  return typeof at === 'string' && at !== '' ? at : undefined;
}
