import type { CliIO } from '../io.js';
import { UsageError } from '../args.js';

/** Options of `mtl-fd score --model ...` (issue 3 owns this file). */
export interface CheckpointCaptureArgs {
  /** a model.json, a checkpoint directory, or a run directory with checkpoints/ */
  model: string;
  sharedLayer: string;
  /** safetensors file of probe inputs and targets */
  probe: string;
  /** where captures go; default beside the checkpoints */
  runDir?: string;
}

/**
 * Loads each tfjs checkpoint, writes its capture, and returns the capture paths in
 * step order for `score` to score like any other capture.
 */
export async function captureCheckpoints(_args: CheckpointCaptureArgs, _io: CliIO): Promise<string[]> {
  throw new UsageError('score --model: not implemented yet');
}
