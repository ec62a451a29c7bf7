import * as tf from '@tensorflow/tfjs';
import { UserError } from '@mtl-fd/capture';
import { applyHead, type SharedGraph } from '../graph/sharedGraph.js';
import type { TaskSpec } from './tasks.js';

/** z, and per task dL_t/dz and L_t, as tensors the caller disposes. */
export interface SharedGradients {
  z: tf.Tensor;
  grads: tf.Tensor[];
  losses: tf.Scalar[];
}

/**
 * One backbone pass for z, then per task one pass through that task's head only and
 * its backward pass down to z: `grad_t = d mean(loss_t(y_t, head_t(z))) / dz`.
 */
export function sharedGradients(graph: SharedGraph, tasks: TaskSpec[], xs: tf.Tensor[], ys: Map<string, tf.Tensor>): SharedGradients {
  const z = tf.tidy(() => graph.backbone.apply(xs.length === 1 ? (xs[0] as tf.Tensor) : xs, { training: false }) as tf.Tensor);
  const grads: tf.Tensor[] = [];
  const losses: tf.Scalar[] = [];
  try {
    for (const task of tasks) {
      const output = graph.outputs.get(task.output) as tf.SymbolicTensor;
      const y = ys.get(task.output);
      if (y === undefined) throw new UserError(`probe ys: no targets for output '${task.output}' (task '${task.task}')`);
      const { value, grad } = tf.tidy(() =>
        tf.valueAndGrad((zz: tf.Tensor) => {
          const pred = applyHead(graph, zz, output);
          let loss: tf.Tensor;
          try {
            loss = task.loss(y, pred);
          } catch (err) {
            // almost always targets that do not fit the output
            throw new UserError(`task '${task.task}': its loss fails on probe targets of shape [${y.shape}] for output '${task.output}' of shape [${pred.shape}] (${String((err as Error).message).split('\n')[0]})`);
          }
          return tf.mean(loss) as tf.Scalar;
        })(z),
      );
      grads.push(grad);
      losses.push(value);
    }
  } catch (err) {
    tf.dispose([z, ...grads, ...losses]);
    throw err;
  }
  return { z, grads, losses };
}
