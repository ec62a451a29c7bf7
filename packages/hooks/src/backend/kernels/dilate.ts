import type { TensorInfo } from '@tensorflow/tfjs';
import type { KernelScope } from './scope.js';

/**
 * Inserts `stride - 1` zeros after every row and column of an NHWC tensor
 * (`[N, H, W, C]` -> `[N, H*sH, W*sW, C]`): reshape to `[N, H, 1, W, 1, C]`, pad the
 * unit axes, reshape back.
 */
export function dilateNHWC(s: KernelScope, x: TensorInfo, strideH: number, strideW: number): TensorInfo {
  if (strideH === 1 && strideW === 1) return x;
  const [n, h, w, c] = x.shape as [number, number, number, number];
  const six = s.reshape(x, [n, h, 1, w, 1, c]);
  const padded = s.run('PadV2', { x: six }, {
    paddings: [[0, 0], [0, 0], [0, strideH - 1], [0, 0], [0, strideW - 1], [0, 0]],
    constantValue: 0,
  });
  return s.reshape(padded, [n, h * strideH, w * strideW, c]);
}
