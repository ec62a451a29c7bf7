import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { UserError } from '@mtl-fd/capture';
import { MODEL_JSON } from '../io/fileIO.js';
import { CHECKPOINTS_DIR, checkpointStepOf } from '../run/runFiles.js';

export interface Checkpoint {
  /** from the `step-XXXXXXXX` directory name; 0 for a model.json elsewhere */
  step: number;
  modelJson: string;
}

export interface CheckpointSet {
  checkpoints: Checkpoint[];
  /** the run directory they belong to: where their captures go by default */
  runDir: string;
}

async function kind(path: string): Promise<'file' | 'dir' | undefined> {
  try {
    const s = await stat(path);
    return s.isDirectory() ? 'dir' : 'file';
  } catch {
    return undefined;
  }
}

async function stepDirs(dir: string): Promise<Checkpoint[]> {
  const found: Checkpoint[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const step = checkpointStepOf(e.name);
    if (!e.isDirectory() || step === undefined) continue;
    const modelJson = join(dir, e.name, MODEL_JSON);
    if ((await kind(modelJson)) === 'file') found.push({ step, modelJson });
  }
  return found.sort((a, b) => a.step - b.step);
}

/** The run directory a checkpoint directory belongs to: `<run>` for `<run>/checkpoints/step-*`. */
function runOf(checkpointDir: string): string {
  const parent = dirname(checkpointDir);
  return checkpointStepOf(basename(checkpointDir)) !== undefined && basename(parent) === CHECKPOINTS_DIR ? dirname(parent) : checkpointDir;
}

/**
 * The checkpoints `--model` names: a model.json; a checkpoint directory holding one;
 * a `checkpoints/` directory of `step-XXXXXXXX/` ones; or a run directory with such a
 * `checkpoints/`. Sorted by step.
 */
export async function findCheckpoints(modelPath: string): Promise<CheckpointSet> {
  const path = resolve(modelPath);
  const k = await kind(path);
  if (k === undefined) throw new UserError(`--model ${modelPath}: no such file or directory`);
  if (k === 'file') {
    const dir = dirname(path);
    return { checkpoints: [{ step: checkpointStepOf(basename(dir)) ?? 0, modelJson: path }], runDir: runOf(dir) };
  }
  if ((await kind(join(path, MODEL_JSON))) === 'file') {
    return { checkpoints: [{ step: checkpointStepOf(basename(path)) ?? 0, modelJson: join(path, MODEL_JSON) }], runDir: runOf(path) };
  }
  if ((await kind(join(path, CHECKPOINTS_DIR))) === 'dir') {
    const checkpoints = await stepDirs(join(path, CHECKPOINTS_DIR));
    if (checkpoints.length > 0) return { checkpoints, runDir: path };
  }
  const checkpoints = await stepDirs(path);
  if (checkpoints.length > 0) return { checkpoints, runDir: basename(path) === CHECKPOINTS_DIR ? dirname(path) : path };
  throw new UserError(`--model ${modelPath}: no model.json there, nor checkpoints/step-XXXXXXXX/model.json`);
}
