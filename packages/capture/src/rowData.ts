import { CaptureError, quote } from './captureError.js';

/**
 * Checks that a writer got one gradient per task, each as long as the features,
 * and returns the number of batch rows they hold.
 */
export function checkRowData(
  file: string,
  rowSize: number,
  tasks: readonly string[],
  features: ArrayLike<number>,
  grads: readonly ArrayLike<number>[],
): number {
  if (features.length === 0 || features.length % rowSize !== 0) {
    throw new CaptureError(file, `features hold ${features.length} values, not a positive whole number of rows of ${rowSize}`);
  }
  if (grads.length !== tasks.length) throw new CaptureError(file, `got ${grads.length} gradients for ${tasks.length} tasks`);
  grads.forEach((g, i) => {
    if (g.length !== features.length) {
      throw new CaptureError(file, `gradient of task ${quote(tasks[i])} holds ${g.length} values but the features hold ${features.length}`);
    }
  });
  return features.length / rowSize;
}

/** The gradients of `CaptureData.grads` in `tasks` order; every task present, no other key. */
export function gradsInTaskOrder(file: string, tasks: readonly string[], grads: Record<string, ArrayLike<number>>): ArrayLike<number>[] {
  for (const key of Object.keys(grads)) {
    if (!tasks.includes(key)) throw new CaptureError(file, `grads has ${quote(key)}, which is not in meta.tasks`);
  }
  return tasks.map((task) => {
    if (!Object.hasOwn(grads, task)) throw new CaptureError(file, `grads has no gradient for task ${quote(task)}`);
    return grads[task]!;
  });
}

/** Values `[start, end)` of an array-like, as a view when it is a typed array. */
export function sliceValues(values: ArrayLike<number>, start: number, end: number): ArrayLike<number> {
  if (ArrayBuffer.isView(values)) return (values as unknown as Float32Array).subarray(start, end);
  return Array.prototype.slice.call(values, start, end) as number[];
}
