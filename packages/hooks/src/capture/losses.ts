import * as tf from '@tensorflow/tfjs';
import { UserError } from '@mtl-fd/capture';

/** A per-sample loss as tfjs layers use it: (yTrue, yPred) -> losses, reduced by mean here. */
export type LossFn = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor;
/** A loss function, or the name of a tfjs loss (`'meanSquaredError'`, `'categoricalCrossentropy'`, ...). */
export type LossSpec = LossFn | string;

const byName = new Map<string, LossFn>();

/**
 * The tfjs loss function of that name, exactly as `model.compile({loss: name})`
 * resolves it (by compiling a weightless throwaway model once per name).
 */
export function namedLoss(name: string): LossFn {
  const known = byName.get(name);
  if (known !== undefined) return known;
  const input = tf.input({ shape: [1] });
  const model = tf.model({ inputs: input, outputs: tf.layers.activation({ activation: 'linear' }).apply(input) as tf.SymbolicTensor });
  try {
    model.compile({ optimizer: 'sgd', loss: name });
    const fn = model.lossFunctions[0] as LossFn;
    byName.set(name, fn);
    return fn;
  } catch (err) {
    throw new UserError(`unknown loss '${name}' (${String((err as Error).message).split('\n')[0]})`);
  } finally {
    model.dispose();
  }
}

export function resolveLoss(spec: LossSpec): LossFn {
  return typeof spec === 'string' ? namedLoss(spec) : spec;
}

/** A loss's name for the manifest (tfjs's bundle renames functions `name$1`: the suffix is dropped). */
export function lossName(fn: LossFn): string {
  const name = fn.name.replace(/\$\d+$/, '');
  return name !== '' ? name : 'anonymous';
}
