import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { inKernelScope } from './scope.js';

/**
 * `UnsortedSegmentSum` (missing from wasm; it is the gradient of `gather`, e.g. of an
 * Embedding layer) as a product with a one-hot matrix:
 * `out[s] = sum_i [ids_i = s] x_i` = `oneHot(ids)^T @ x`.
 */
export function unsortedSegmentSumKernel(backendName: string): KernelConfig {
  const kernelFunc: KernelFunc = ({ inputs, backend, attrs }) => {
    const { x, segmentIds } = inputs as { x: TensorInfo; segmentIds: TensorInfo };
    const { numSegments } = attrs as { numSegments: number };
    if (x.dtype !== 'float32') throw new Error(`UnsortedSegmentSum: only float32 is supported on wasm (got ${x.dtype})`);
    const n = segmentIds.shape.reduce((p, q) => p * q, 1);
    const rest = x.shape.slice(segmentIds.shape.length);
    const width = rest.reduce((p, q) => p * q, 1);
    return inKernelScope(backend, backendName, (s) => {
      const ids = s.reshape(segmentIds, [n]);
      const idsInt = ids.dtype === 'int32' ? ids : s.run('Cast', { x: ids }, { dtype: 'int32' });
      // the wasm OneHot writes int32 whatever dtype it is asked for
      const hotInt = s.run('OneHot', { indices: idsInt }, { depth: numSegments, onValue: 1, offValue: 0, dtype: 'int32' });
      const hot = s.run('Cast', { x: hotInt }, { dtype: 'float32' });
      const hotT = s.reshape(s.transpose(hot, [1, 0]), [1, numSegments, n]);
      const flat = s.reshape(x, [1, n, width]);
      const prod = s.run('BatchMatMul', { a: hotT, b: flat }, { transposeA: false, transposeB: false });
      return s.reshape(prod, [numSegments, ...rest]);
    });
  };
  return { kernelName: 'UnsortedSegmentSum', backendName, kernelFunc };
}
