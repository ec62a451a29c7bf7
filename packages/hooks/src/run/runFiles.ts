import type * as tf from '@tensorflow/tfjs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { CAPTURES_DIR, RUN_JSON, captureFileName, writeCapture, writeFileAtomic, type CaptureData } from '@mtl-fd/capture';
import { saveModelDir } from '../io/fileIO.js';

/** A run directory: `run.json` (its name from @mtl-fd/capture), `captures/step-XXXXXXXX.safetensors`, `checkpoints/step-XXXXXXXX/`. */
export { RUN_JSON };
export const CHECKPOINTS_DIR = 'checkpoints';

/** `step-00001200` */
export function checkpointDirName(step: number): string {
  return captureFileName(step).replace(/\.safetensors$/, '');
}

/** The step a `step-XXXXXXXX` directory name stands for, or undefined. */
export function checkpointStepOf(name: string): number | undefined {
  const m = /^step-([0-9]+)$/.exec(name);
  if (!m) return undefined;
  const step = Number(m[1]);
  return Number.isSafeInteger(step) ? step : undefined;
}

export async function writeManifest(runDir: string, manifest: object): Promise<string> {
  await mkdir(runDir, { recursive: true });
  const file = join(runDir, RUN_JSON);
  await writeFileAtomic(file, `${JSON.stringify(manifest, null, 2)}\n`);
  return file;
}

/** Writes a capture atomically into `runDir/captures/`; returns its path. */
export async function writeRunCapture(runDir: string, data: CaptureData): Promise<string> {
  const dir = join(runDir, CAPTURES_DIR);
  await mkdir(dir, { recursive: true });
  const file = join(dir, captureFileName(data.meta.step));
  await writeCapture(file, data);
  return file;
}

/** Saves the model (tfjs format) as `runDir/checkpoints/step-XXXXXXXX/`; returns the directory. */
export async function writeCheckpoint(runDir: string, step: number, model: tf.LayersModel): Promise<string> {
  const dir = join(runDir, CHECKPOINTS_DIR, checkpointDirName(step));
  await saveModelDir(model, dir);
  return dir;
}
