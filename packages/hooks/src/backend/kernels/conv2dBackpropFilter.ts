import { backend_util, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';
import { inKernelScope } from './scope.js';
import { filterGradAxis } from './convGeometry.js';

/**
 * `Conv2DBackpropFilter` (missing from the wasm backend in 4.22) as one forward
 * convolution: batch and input channels swap roles, so `x` transposed to
 * `[inC, H, W, N]` is convolved with `dy` transposed to `[outH, outW, N, outC]`
 * (stride and dilation swapped), giving `[inC, kH, kW, outC]`.
 */
export function conv2dBackpropFilterKernel(backendName: string): KernelConfig {
  const kernelFunc: KernelFunc = ({ inputs, backend, attrs }) => {
    const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
    const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as {
      strides: number | [number, number];
      pad: 'same' | 'valid' | number | backend_util.ExplicitPadding;
      dataFormat: 'NHWC' | 'NCHW';
      dimRoundingMode?: 'floor' | 'round' | 'ceil';
      filterShape: [number, number, number, number];
    };
    if (dataFormat === 'NCHW') throw new Error('Conv2DBackpropFilter: only NHWC is supported on wasm');
    const [n, h, w, inC] = x.shape as [number, number, number, number];
    const info = backend_util.computeConv2DInfo(
      [n, h, w, inC], filterShape, strides, 1, pad, dimRoundingMode, false, 'channelsLast');
    const rows = filterGradAxis(h, info.padInfo.top, info.padInfo.bottom, info.filterHeight, info.strideHeight, 1, info.outHeight);
    const cols = filterGradAxis(w, info.padInfo.left, info.padInfo.right, info.filterWidth, info.strideWidth, 1, info.outWidth);
    return inKernelScope(backend, backendName, (s) => {
      let xs = x;
      if (rows.keep !== h || cols.keep !== w) xs = s.slice(x, [0, rows.cropStart, cols.cropStart, 0], [n, rows.keep, cols.keep, inC]);
      const xT = s.transpose(xs, [3, 1, 2, 0]);
      const dyT = s.transpose(dy, [1, 2, 0, 3]);
      const g = s.run('Conv2D', { x: xT, filter: dyT }, {
        strides: [1, 1],
        dilations: [info.strideHeight, info.strideWidth],
        pad: [[0, 0], [rows.padBefore, rows.padAfter], [cols.padBefore, cols.padAfter], [0, 0]],
        dataFormat: 'NHWC',
      });
      return s.transpose(g, [1, 2, 0, 3]);
    });
  };
  return { kernelName: 'Conv2DBackpropFilter', backendName, kernelFunc };
}
