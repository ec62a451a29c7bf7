import { isAbsolute, resolve } from 'node:path';
import type { BackendChoice, CheckpointCaptureOptions } from '@mtl-fd/hooks';
import type { CliIO } from '../io.js';

/** Options of `mtl-fd score --model ...`: those of captureFromCheckpoints, plus the backend. */
export type CheckpointCaptureArgs = Omit<CheckpointCaptureOptions, 'onCapture'> & {
  /** TensorFlow.js backend; default MTL_FD_BACKEND, else the fastest available */
  backend?: BackendChoice;
};

/**
 * Loads each tfjs checkpoint, writes its capture, and returns the capture paths in
 * step order for `score` to score like any other capture. Relative paths are taken
 * from `io.cwd`; the backend used and each capture written are reported on stderr.
 */
export async function captureCheckpoints(args: CheckpointCaptureArgs, io: CliIO): Promise<string[]> {
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(io.cwd, p));
  // tfjs is loaded only here, so `score` of captures never pays for it
  const { captureFromCheckpoints, selectBackend } = await import('@mtl-fd/hooks');
  await selectBackend({ ...(args.backend !== undefined ? { backend: args.backend } : {}), log: (line) => io.stderr(`${line}\n`) });
  return captureFromCheckpoints({
    model: abs(args.model),
    sharedLayer: args.sharedLayer,
    probe: abs(args.probe),
    ...(args.runDir !== undefined ? { runDir: abs(args.runDir) } : {}),
    ...(args.losses !== undefined ? { losses: args.losses } : {}),
    paramGram: args.paramGram ?? false,
    ...(args.overwrite ? { overwrite: true } : {}),
    onCapture: (step, file) => io.stderr(`mtl-fd: captured checkpoint step ${step}: ${file}\n`),
  });
}
