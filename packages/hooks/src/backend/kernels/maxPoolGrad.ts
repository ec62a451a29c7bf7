import { backend_util, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';

interface HeapBackend {
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array;
}

/**
 * `MaxPoolGrad` as a plain loop over the wasm heap. The shipped wasm kernel starts
 * its running maximum at FLT_MIN (the smallest *positive* float), so a window whose
 * values are all <= 0 passes no gradient at all, and it breaks ties toward the last
 * maximum. This one matches the cpu backend: the first maximum of each window takes
 * that output's gradient (summed where windows overlap).
 */
export function maxPoolGradKernel(backendName: string): KernelConfig {
  const kernelFunc: KernelFunc = ({ inputs, backend, attrs }) => {
    const { dy, input } = inputs as { dy: TensorInfo; input: TensorInfo };
    const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as {
      filterSize: number | [number, number];
      strides: number | [number, number];
      pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
      dimRoundingMode?: 'floor' | 'round' | 'ceil';
    };
    const heap = backend as HeapBackend;
    const info = backend_util.computePool2DInfo(input.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode);
    const out = heap.makeOutput(input.shape, 'float32');
    // views taken after the allocation above (a heap growth detaches older views)
    const x = heap.typedArrayFromHeap(input);
    const g = heap.typedArrayFromHeap(dy);
    const dx = heap.typedArrayFromHeap(out);
    dx.fill(0);
    const { batchSize, inHeight, inWidth, inChannels: c, outHeight, outWidth, strideHeight, strideWidth } = info;
    const fh = info.effectiveFilterHeight;
    const fw = info.effectiveFilterWidth;
    const top = info.padInfo.top;
    const left = info.padInfo.left;
    let o = 0;
    for (let b = 0; b < batchSize; b++) {
      const base = b * inHeight * inWidth * c;
      for (let oy = 0; oy < outHeight; oy++) {
        const y0 = Math.max(0, oy * strideHeight - top);
        const y1 = Math.min(inHeight, oy * strideHeight - top + fh);
        for (let ox = 0; ox < outWidth; ox++) {
          const x0 = Math.max(0, ox * strideWidth - left);
          const x1 = Math.min(inWidth, ox * strideWidth - left + fw);
          for (let ch = 0; ch < c; ch++, o++) {
            let best = Number.NEGATIVE_INFINITY;
            let at = -1;
            for (let yy = y0; yy < y1; yy++) {
              for (let xx = x0; xx < x1; xx++) {
                const i = base + (yy * inWidth + xx) * c + ch;
                const v = x[i] as number;
                if (v > best) {
                  best = v;
                  at = i;
                }
              }
            }
            if (at >= 0) dx[at] = (dx[at] as number) + (g[o] as number);
          }
        }
      }
    }
    return out;
  };
  return { kernelName: 'MaxPoolGrad', backendName, kernelFunc };
}
