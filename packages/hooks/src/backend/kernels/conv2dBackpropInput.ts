import { backend_util, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';
import { inKernelScope } from './scope.js';
import { inputGradAxis } from './convGeometry.js';
import { dilateNHWC } from './dilate.js';

/**
 * `Conv2DBackpropInput` as one forward convolution (the shipped wasm kernel is a naive
 * loop, ~7-10x slower than the forward pass): `dy` dilated by the stride, correlated
 * with the filter flipped in space and with its channel axes swapped.
 */
export function conv2dBackpropInputKernel(backendName: string): KernelConfig {
  const kernelFunc: KernelFunc = ({ inputs, backend, attrs }) => {
    const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
    const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as {
      strides: number | [number, number];
      pad: 'same' | 'valid' | number | backend_util.ExplicitPadding;
      dataFormat: 'NHWC' | 'NCHW';
      dimRoundingMode?: 'floor' | 'round' | 'ceil';
      inputShape: [number, number, number, number];
    };
    if (dataFormat === 'NCHW') throw new Error('Conv2DBackpropInput: only NHWC is supported on wasm');
    const fShape = filter.shape as [number, number, number, number];
    const info = backend_util.computeConv2DInfo(inputShape, fShape, strides, 1, pad, dimRoundingMode, false, 'channelsLast');
    const rows = inputGradAxis(info.inHeight, info.padInfo.top, info.filterHeight, info.strideHeight, 1, info.outHeight);
    const cols = inputGradAxis(info.inWidth, info.padInfo.left, info.filterWidth, info.strideWidth, 1, info.outWidth);
    return inKernelScope(backend, backendName, (s) => {
      let d = dilateNHWC(s, dy, info.strideHeight, info.strideWidth);
      const [n, dh, dw, c] = d.shape as [number, number, number, number];
      if (rows.keep !== dh || cols.keep !== dw) d = s.slice(d, [0, rows.cropStart, cols.cropStart, 0], [n, rows.keep, cols.keep, c]);
      const flipped = s.run('Reverse', { x: filter }, { dims: [0, 1] });
      const f = s.transpose(flipped, [0, 1, 3, 2]);
      return s.run('Conv2D', { x: d, filter: f }, {
        strides: [1, 1],
        dilations: [1, 1],
        pad: [[0, 0], [rows.padBefore, rows.padAfter], [cols.padBefore, cols.padAfter], [0, 0]],
        dataFormat: 'NHWC',
      });
    });
  };
  return { kernelName: 'Conv2DBackpropInput', backendName, kernelFunc };
}
