import * as tf from '@tensorflow/tfjs';
import { UserError } from '@mtl-fd/capture';
import type { SharedGraph } from '../graph/sharedGraph.js';

/**
 * The Gram matrix `K[a][b] = <dL_a/dθ, dL_b/dθ>` over θ = the trainable weights of the
 * layers up to and including the shared layer (T x T, row-major, float64 sums).
 * Each `dL_t/dθ` is the backbone's vector-Jacobian product with `dL_t/dz` (one more
 * backbone pass and backward pass per task): the parameter-level cost the
 * feature-level capture avoids.
 */
export async function parameterGram(graph: SharedGraph, xs: tf.Tensor[], gradsZ: tf.Tensor[]): Promise<Float64Array> {
  const weights = graph.backbone.trainableWeights.map((w) => w.read());
  if (weights.length === 0) throw new UserError(`paramGram: the layers up to '${graph.sharedLayer.name}' have no trainable weights`);
  const input = xs.length === 1 ? (xs[0] as tf.Tensor) : xs;
  const perTask: Float32Array[][] = [];
  for (const dz of gradsZ) {
    const grads = tf.tidy(() => tf.engine().gradients(() => graph.backbone.apply(input, { training: false }) as tf.Tensor, weights, dz, true).grads);
    try {
      perTask.push(await Promise.all(grads.map(async (g, i) => (g == null ? new Float32Array((weights[i] as tf.Variable).size) : ((await g.data()) as Float32Array)))));
    } finally {
      tf.dispose(grads);
    }
  }
  const t = gradsZ.length;
  const k = new Float64Array(t * t);
  for (let a = 0; a < t; a++) {
    for (let b = a; b < t; b++) {
      let sum = 0;
      const ga = perTask[a] as Float32Array[];
      const gb = perTask[b] as Float32Array[];
      for (let v = 0; v < ga.length; v++) {
        const x = ga[v] as Float32Array;
        const y = gb[v] as Float32Array;
        for (let i = 0; i < x.length; i++) sum += (x[i] as number) * (y[i] as number);
      }
      k[a * t + b] = sum;
      k[b * t + a] = sum;
    }
  }
  return k;
}
