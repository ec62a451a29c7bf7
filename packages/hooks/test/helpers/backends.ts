import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '@mtl-fd/hooks';

/** Activates wasm with the kernel fixes (quietly), as users get it from selectBackend(). */
export async function useWasm(): Promise<void> {
  await selectBackend({ backend: 'wasm', log: false });
}

/**
 * Runs `f` on the named backend and returns its results as plain arrays. Tensors are
 * made inside `f` from plain data, so nothing moves between backends.
 */
export async function runOn(backend: string, f: () => tf.Tensor | tf.Tensor[]): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const out = tf.tidy(f);
  const list = Array.isArray(out) ? out : [out];
  const data = await Promise.all(list.map(async (t) => Float32Array.from(await t.data())));
  tf.dispose(list);
  return data;
}

/** Data buffers the active backend holds: catches kernel-level leaks that numTensors cannot see. */
export function backendBuffers(): number {
  return (tf.engine().backend as unknown as { numDataIds(): number }).numDataIds();
}
