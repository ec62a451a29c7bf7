import type * as tf from '@tensorflow/tfjs';
import { createProbe, fdCallback } from '@mtl-fd/hooks';
import type { TaskName } from './data.js';
import { SHARED_LAYER, TASK_SPECS } from './model.js';
import type { CaptureHooks, ProbeData, RunSpec } from './train.js';

/**
 * Every capture uses each task's own, unweighted loss (the loss its output has
 * before any method weighting), so that the identifiers of different methods are
 * comparable: a fixed x10 weight changes how the features are trained, not the
 * yardstick they are measured with. The weights the method applied go beside them
 * (`weight.<task>`), so `--weighted` can show what the backbone received.
 */
function unweightedLosses(tasks: readonly TaskName[]): Record<string, string> {
  return Object.fromEntries(tasks.map((t) => [t, TASK_SPECS[t].loss]));
}

/** Captures through @mtl-fd/hooks: fdCallback for model.fit runs, createProbe for custom loops. */
export function hooksCaptures(log: (message: string) => void): CaptureHooks {
  return {
    async fitCallback(_model: tf.LayersModel, spec: RunSpec, probe: ProbeData, weights: () => Record<string, number>) {
      return fdCallback({
        runDir: spec.runDir,
        runName: spec.name,
        sharedLayer: SHARED_LAYER,
        probe,
        every: { epochs: 1 },
        losses: unweightedLosses(spec.tasks),
        weights: () => weights(),
        dtype: spec.tweak?.captureDtype,
        log,
      });
    },
    async customProbe(model: tf.LayersModel, spec: RunSpec, probe: ProbeData) {
      const p = createProbe(model, {
        runDir: spec.runDir,
        runName: spec.name,
        sharedLayer: SHARED_LAYER,
        probe,
        losses: unweightedLosses(spec.tasks),
        log,
        onError: 'warn',
      });
      await p.start({ method: spec.method, loop: 'custom' });
      return {
        async capture(step: number, epoch: number, weights: Record<string, number>) {
          await p.capture(step, undefined, { epoch, weights });
        },
        async close() {
          await p.close();
        },
      };
    },
  };
}
