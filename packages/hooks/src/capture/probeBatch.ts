import * as tf from '@tensorflow/tfjs';
import { UserError } from '@mtl-fd/capture';

/** Model inputs or targets the way `model.fit` takes them. */
export type TensorsLike = tf.Tensor | tf.Tensor[] | Record<string, tf.Tensor>;

/** A fixed probe batch: `xs` by input, `ys` by output (`ys` keyed by output name as `fit` takes it). */
export interface ProbeBatch {
  xs: TensorsLike;
  ys: TensorsLike;
}

function inOrder(what: string, given: TensorsLike, names: string[]): tf.Tensor[] {
  if (given instanceof tf.Tensor) {
    if (names.length !== 1) throw new UserError(`probe ${what}: the model has ${names.length} ${what === 'xs' ? 'inputs' : 'outputs'} (${names.join(', ')}), got one tensor`);
    return [given];
  }
  if (Array.isArray(given)) {
    if (given.length !== names.length) throw new UserError(`probe ${what}: expected ${names.length} tensors (${names.join(', ')}), got ${given.length}`);
    return given;
  }
  const extra = Object.keys(given).filter((k) => !names.includes(k));
  if (extra.length > 0) throw new UserError(`probe ${what}: no model ${what === 'xs' ? 'input' : 'output'} named ${extra.join(', ')} (the model has ${names.join(', ')})`);
  return names.map((n) => given[n] as tf.Tensor);
}

/** The probe inputs in `model.inputNames` order. */
export function probeInputs(model: tf.LayersModel, xs: TensorsLike): tf.Tensor[] {
  const list = inOrder('xs', xs, model.inputNames);
  list.forEach((t, i) => {
    if (t === undefined) throw new UserError(`probe xs: missing input '${model.inputNames[i]}'`);
  });
  return list;
}

/**
 * The probe targets by output name (a dict may leave out outputs that are no task),
 * each checked to have the batch size `batch`.
 */
export function probeTargets(model: tf.LayersModel, ys: TensorsLike): Map<string, tf.Tensor> {
  const list = inOrder('ys', ys, model.outputNames);
  const out = new Map<string, tf.Tensor>();
  model.outputNames.forEach((name, i) => {
    const t = list[i];
    if (t !== undefined) out.set(name, t);
  });
  return out;
}

/** Checks every probe tensor has the same batch size; returns it. */
export function probeBatchSize(xs: tf.Tensor[], ys: Map<string, tf.Tensor>): number {
  const b = xs[0]?.shape[0];
  if (b === undefined || b < 1) throw new UserError('probe xs: need a batch of at least one example');
  for (const [name, t] of ys) {
    if (t.shape[0] !== b) throw new UserError(`probe ys '${name}' has ${t.shape[0]} rows but xs have ${b}`);
  }
  xs.forEach((t, i) => {
    if (t.shape[0] !== b) throw new UserError(`probe xs: input ${i} has ${t.shape[0]} rows but input 0 has ${b}`);
  });
  return b;
}
