import { UserError } from '@mtl-fd/capture';

/**
 * The per-task loss weights a training method applies: a fixed map (task -> weight), or
 * a function of the step for methods whose weights move (GradNorm, DWA, uncertainty).
 * They are stored as `weight.<task>` beside the unweighted gradients, never folded in.
 */
export type TaskWeights = Readonly<Record<string, number>> | ((step: number) => Readonly<Record<string, number>>);

/** The weights in effect at `step`, checked: a finite number for every task, no other name. */
export function weightsAt(weights: TaskWeights, step: number, tasks: readonly string[]): Record<string, number> {
  const map = typeof weights === 'function' ? weights(step) : weights;
  if (map === null || typeof map !== 'object') throw new UserError(`weights at step ${step}: expected an object task -> weight`);
  for (const name of Object.keys(map)) {
    if (!tasks.includes(name)) throw new UserError(`weights at step ${step}: '${name}' is not a task (tasks: ${tasks.join(', ')})`);
  }
  const out: Record<string, number> = {};
  for (const task of tasks) {
    const w = map[task];
    if (typeof w !== 'number' || !Number.isFinite(w)) throw new UserError(`weights at step ${step}: task '${task}' needs a finite number (got ${String(w)})`);
    out[task] = w;
  }
  return out;
}
