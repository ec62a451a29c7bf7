import { isAbsolute, resolve } from 'node:path';
import { captureFromCheckpoints, selectBackend, type BackendChoice } from '@mtl-fd/hooks';
import type { CliIO } from '../io.js';

/** Options of `mtl-fd score --model ...` (issue 3 owns this file). */
export interface CheckpointCaptureArgs {
  /** a model.json, a checkpoint directory, or a run directory with checkpoints/ */
  model: string;
  sharedLayer: string;
  /** safetensors file of probe inputs and targets (see @mtl-fd/hooks README, "Probe files") */
  probe: string;
  /** where captures go (in `<runDir>/captures/`); default the checkpoints' run directory */
  runDir?: string;
  /** output name -> tfjs loss name, for checkpoints saved without their losses */
  losses?: Record<string, string>;
  /** also store param_gram (parameter-level task gradients over the backbone) */
  paramGram?: boolean;
  /** TensorFlow.js backend; default MTL_FD_BACKEND, else the fastest available */
  backend?: BackendChoice;
}

/**
 * Loads each tfjs checkpoint, writes its capture, and returns the capture paths in
 * step order for `score` to score like any other capture. Relative paths are taken
 * from `io.cwd`; the backend used and each capture written are reported on stderr.
 */
export async function captureCheckpoints(args: CheckpointCaptureArgs, io: CliIO): Promise<string[]> {
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(io.cwd, p));
  await selectBackend({ ...(args.backend !== undefined ? { backend: args.backend } : {}), log: (line) => io.stderr(`${line}\n`) });
  return captureFromCheckpoints({
    model: abs(args.model),
    sharedLayer: args.sharedLayer,
    probe: abs(args.probe),
    ...(args.runDir !== undefined ? { runDir: abs(args.runDir) } : {}),
    ...(args.losses !== undefined ? { losses: args.losses } : {}),
    paramGram: args.paramGram ?? false,
    onCapture: (step, file) => io.stderr(`mtl-fd: captured checkpoint step ${step}: ${file}\n`),
  });
}
