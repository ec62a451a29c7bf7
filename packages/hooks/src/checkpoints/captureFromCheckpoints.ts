import * as tf from '@tensorflow/tfjs';
import { access, lstat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { CAPTURES_DIR, captureFileName, UserError } from '@mtl-fd/capture';
import { loadModelFile } from '../io/fileIO.js';
import { createProbe, type FdProbe } from '../probe.js';
import { readProbeFile, probeFileBatch } from '../probeFile/probeFile.js';
import { findCheckpoints } from './findCheckpoints.js';
import { RUN_JSON } from '../run/runFiles.js';

export interface CheckpointCaptureOptions {
  /** a model.json, a checkpoint directory, or a run directory with checkpoints/step-XXXXXXXX/ */
  model: string;
  sharedLayer: string;
  /** a probe file (see PROBE_FORMAT) */
  probe: string;
  /** where captures go (in `captures/`); default the checkpoints' run directory */
  runDir?: string;
  /** output name -> tfjs loss name, over the probe file's `losses` and the compiled ones */
  losses?: Record<string, string>;
  /** also store param_gram */
  paramGram?: boolean;
  /**
   * replace captures that already exist at a checkpoint's step (default false: such a
   * capture, e.g. one training wrote, is kept and the call fails before any is written)
   */
  overwrite?: boolean;
  /** told about each capture written */
  onCapture?: (step: number, file: string) => void;
}

/**
 * Scores saved tfjs checkpoints after the fact: loads each, probes it with the batch
 * of the probe file and writes `captures/step-XXXXXXXX.safetensors` (the step from
 * the checkpoint's directory name). Returns the capture paths in step order. Each
 * task's loss is, in order of preference: `losses`, the probe file's `losses`, the
 * loss the checkpoint was compiled with (model.json's trainingConfig). A run.json is
 * written only where there is none yet. A capture already at a checkpoint's path is
 * never replaced unless `overwrite`: the call fails first, naming it, having written nothing.
 */
export async function captureFromCheckpoints(options: CheckpointCaptureOptions): Promise<string[]> {
  const { checkpoints, runDir: defaultRun } = await findCheckpoints(options.model);
  const probe = await readProbeFile(resolve(options.probe));
  const runDir = resolve(options.runDir ?? defaultRun);
  const byOutput = { ...(probe.losses ?? {}), ...(options.losses ?? {}) };
  // a run.json from training stays: it describes the run better than a re-score can
  const manifest = await access(join(runDir, RUN_JSON)).then(() => false, () => true);
  if (!options.overwrite) await refuseExistingCaptures(runDir, checkpoints.map((c) => c.step));
  const written: string[] = [];
  for (const { step, modelJson } of checkpoints) {
    const model = await loadModelFile(modelJson);
    let batch: ReturnType<typeof probeFileBatch> | undefined;
    let p: FdProbe | undefined;
    try {
      batch = probeFileBatch(model, probe);
      // tasks: the outputs the probe file has targets for
      const tasks = Object.fromEntries(model.outputNames.filter((o) => o in batch!.ys).map((o) => [o, probe.tasks?.[o] ?? o]));
      const losses = Object.fromEntries(Object.entries(byOutput).filter(([o]) => o in tasks).map(([o, l]) => [tasks[o] as string, l]));
      p = createProbe(model, { runDir, sharedLayer: options.sharedLayer, probe: batch, tasks, losses, paramGram: options.paramGram ?? false, manifest: manifest && written.length === 0, onError: 'throw' });
      const file = (await p.capture(step)) as string;
      written.push(file);
      options.onCapture?.(step, file);
    } catch (err) {
      if (err instanceof UserError) throw new UserError(`${modelJson}: ${err.message}`, err.exitCode);
      throw err;
    } finally {
      await p?.close();
      if (batch !== undefined) tf.dispose([...batch.xs, ...Object.values(batch.ys)]);
      model.dispose();
    }
  }
  return written;
}

/** Fails, naming them, when captures already exist where these steps' captures would go. */
async function refuseExistingCaptures(runDir: string, steps: readonly number[]): Promise<void> {
  const existing: string[] = [];
  for (const step of steps) {
    const file = join(runDir, CAPTURES_DIR, captureFileName(step));
    if (await lstat(file).then(() => true, () => false)) existing.push(file);
  }
  if (existing.length === 0) return;
  const more = existing.length > 1 ? ` and ${existing.length - 1} more` : '';
  throw new UserError(`${existing[0]}${more}: a capture already exists at that checkpoint's step (training may have written it); nothing was written. Pass --overwrite to replace it`);
}
