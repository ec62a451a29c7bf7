import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { inKernelScope } from './scope.js';

/**
 * `Tile` as a broadcast: the shipped wasm kernel is a naive loop (~40x slower than a
 * broadcasting Add of the same output size), and batch-norm gradients tile per-channel
 * vectors up to the activation's size. Each axis of size `a` repeated `r` times
 * becomes `[r, a]` (or just `[r]` when a = 1), filled by adding `x` to zeros;
 * past the 6 axes the broadcast supports, or for bool, the shipped kernel runs.
 */
export function tileKernel(backendName: string, original: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const { x } = args.inputs as { x: TensorInfo };
    const { reps } = args.attrs as unknown as { reps: number[] };
    const xShape: number[] = [];
    const zShape: number[] = [];
    x.shape.forEach((a, i) => {
      const r = reps[i] as number;
      if (r === 1) {
        xShape.push(a);
        zShape.push(1);
      } else if (a === 1) {
        xShape.push(1);
        zShape.push(r);
      } else {
        xShape.push(1, a);
        zShape.push(r, 1);
      }
    });
    if (xShape.length > 6 || (x.dtype !== 'float32' && x.dtype !== 'int32')) return original.kernelFunc(args);
    return inKernelScope(args.backend, backendName, (s) => {
      const zeros = s.run('Fill', {}, { shape: zShape, value: 0, dtype: x.dtype });
      const sum = s.run('Add', { a: s.reshape(x, xShape), b: zeros });
      return s.reshape(sum, x.shape.map((a, i) => a * (reps[i] as number)));
    });
  };
  return { ...original, kernelFunc };
}
