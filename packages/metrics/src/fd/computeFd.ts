import type { FloatArray, Layout } from '@mtl-fd/capture';
import type { ScoreOptions } from '../options/scoreOptions.js';
import { FdAccumulator } from './accumulator.js';
import type { FdScores } from './scores.js';

/** Features and per-task gradients held in memory, `[B, ...]` row-major. */
export interface FdInput {
  features: ArrayLike<number>;
  /** one per task, each as long as `features` */
  grads: readonly ArrayLike<number>[];
  shape: readonly number[];
  layout: Layout;
  /** task names for messages; default t0, t1, ... */
  tasks?: readonly string[];
}

/** FD scores of arrays in memory: one chunk through an `FdAccumulator`. */
export function computeFd(input: FdInput, options: Partial<ScoreOptions> = {}): FdScores {
  const tasks = input.tasks ?? input.grads.map((_, t) => `t${t}`);
  const acc = new FdAccumulator({ tasks, layout: input.layout, shape: input.shape, options });
  const rows = input.shape[0] ?? 0;
  acc.add({
    rowStart: 0,
    rows,
    rowSize: acc.geometry.rowSize,
    features: toFloatArray(input.features),
    grads: input.grads.map(toFloatArray),
  });
  return acc.result();
}

/** Float32/Float64 arrays as they are; anything else copied into a Float64Array. */
export function toFloatArray(values: ArrayLike<number>): FloatArray {
  return values instanceof Float32Array || values instanceof Float64Array ? values : Float64Array.from(values);
}
