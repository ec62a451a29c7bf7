import type * as tf from '@tensorflow/tfjs';
import { UserError, isTaskName } from '@mtl-fd/capture';
import { resolveLoss, type LossFn, type LossSpec } from './losses.js';

/** One task: a model output, its name in captures, and its loss. */
export interface TaskSpec {
  task: string;
  output: string;
  loss: LossFn;
}

/**
 * The tasks of a capture, in model output order: every output (named after it), or
 * only the outputs `tasks` maps (output name -> task name). The loss of a task is
 * `losses[task]` when given, else the loss its output was compiled with.
 */
export function resolveTasks(model: tf.LayersModel, tasks?: Record<string, string>, losses?: Record<string, LossSpec>): TaskSpec[] {
  const outputs = model.outputNames;
  if (tasks !== undefined) {
    const unknown = Object.keys(tasks).filter((o) => !outputs.includes(o));
    if (unknown.length > 0) throw new UserError(`tasks: no model output named ${unknown.join(', ')} (outputs: ${outputs.join(', ')})`);
  }
  const compiled = (model as { lossFunctions?: LossFn[] }).lossFunctions;
  const specs: TaskSpec[] = [];
  outputs.forEach((output, i) => {
    if (tasks !== undefined && !(output in tasks)) return;
    const task = tasks?.[output] ?? output;
    if (!isTaskName(task)) {
      throw new UserError(`task name '${task}' (output '${output}') must be 1-64 letters, digits, '_', '-' or '.': map it with the tasks option`);
    }
    const given = losses?.[task];
    const loss = given !== undefined ? resolveLoss(given) : compiled?.[i];
    if (loss === undefined) throw new UserError(`no loss for task '${task}': compile the model, or pass losses: {'${task}': ...}`);
    specs.push({ task, output, loss });
  });
  const names = specs.map((s) => s.task);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup !== undefined) throw new UserError(`tasks: two outputs are both named '${dup}'`);
  if (specs.length < 2) throw new UserError(`a capture needs at least 2 tasks, got ${specs.length} (${names.join(', ') || 'none'})`);
  if (losses !== undefined) {
    const unused = Object.keys(losses).filter((t) => !names.includes(t));
    if (unused.length > 0) throw new UserError(`losses: no task named ${unused.join(', ')} (tasks: ${names.join(', ')})`);
  }
  return specs;
}
