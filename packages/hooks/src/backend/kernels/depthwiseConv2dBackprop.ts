import { backend_util, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';
import { inKernelScope } from './scope.js';
import { filterGradAxis, inputGradAxis } from './convGeometry.js';
import { dilateNHWC } from './dilate.js';

interface DepthwiseAttrs {
  strides: number | [number, number];
  dilations: number | [number, number];
  pad: 'same' | 'valid' | number | backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/**
 * `DepthwiseConv2dNativeBackpropInput` (missing from wasm): the depthwise correlation of
 * `dy` (dilated by the stride) with the flipped filter, one output channel per
 * `(channel, multiplier)` pair, then summed over the multiplier.
 */
export function depthwiseBackpropInputKernel(backendName: string): KernelConfig {
  const kernelFunc: KernelFunc = ({ inputs, backend, attrs }) => {
    const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
    const a = attrs as unknown as DepthwiseAttrs & { inputShape: [number, number, number, number] };
    const [kh, kw, inC, mult] = filter.shape as [number, number, number, number];
    const info = backend_util.computeConv2DInfo(
      a.inputShape, [kh, kw, inC, mult], a.strides, a.dilations ?? 1, a.pad, a.dimRoundingMode, true);
    const rows = inputGradAxis(info.inHeight, info.padInfo.top, kh, info.strideHeight, info.dilationHeight, info.outHeight);
    const cols = inputGradAxis(info.inWidth, info.padInfo.left, kw, info.strideWidth, info.dilationWidth, info.outWidth);
    return inKernelScope(backend, backendName, (s) => {
      let d = dilateNHWC(s, dy, info.strideHeight, info.strideWidth);
      const [n, dh, dw, c] = d.shape as [number, number, number, number];
      if (rows.keep !== dh || cols.keep !== dw) d = s.slice(d, [0, rows.cropStart, cols.cropStart, 0], [n, rows.keep, cols.keep, c]);
      const flipped = s.run('Reverse', { x: filter }, { dims: [0, 1] });
      const f = s.reshape(flipped, [kh, kw, inC * mult, 1]);
      const y = s.run('DepthwiseConv2dNative', { x: d, filter: f }, {
        strides: [1, 1],
        dilations: [info.dilationHeight, info.dilationWidth],
        pad: [[0, 0], [rows.padBefore, rows.padAfter], [cols.padBefore, cols.padAfter], [0, 0]],
      });
      if (mult === 1) return y;
      const split = s.reshape(y, [n, info.inHeight, info.inWidth, inC, mult]);
      return s.run('Sum', { x: split }, { axis: [4], keepDims: false });
    });
  };
  return { kernelName: 'DepthwiseConv2dNativeBackpropInput', backendName, kernelFunc };
}

/**
 * `DepthwiseConv2dNativeBackpropFilter` (missing from wasm): batch and channels are
 * folded into one channel axis (`x` as `[1, H, W, N*C]`, `dy` as a
 * `[outH, outW, N*C, mult]` filter), one depthwise convolution gives
 * `[1, kH, kW, N*C*mult]`, and the batch is summed out.
 */
export function depthwiseBackpropFilterKernel(backendName: string): KernelConfig {
  const kernelFunc: KernelFunc = ({ inputs, backend, attrs }) => {
    const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
    const a = attrs as unknown as DepthwiseAttrs & { filterShape: [number, number, number, number] };
    const [n, h, w, inC] = x.shape as [number, number, number, number];
    const [kh, kw, , mult] = a.filterShape;
    const info = backend_util.computeConv2DInfo(
      [n, h, w, inC], a.filterShape, a.strides, a.dilations ?? 1, a.pad, a.dimRoundingMode, true);
    const rows = filterGradAxis(h, info.padInfo.top, info.padInfo.bottom, kh, info.strideHeight, info.dilationHeight, info.outHeight);
    const cols = filterGradAxis(w, info.padInfo.left, info.padInfo.right, kw, info.strideWidth, info.dilationWidth, info.outWidth);
    return inKernelScope(backend, backendName, (s) => {
      let xs = x;
      if (rows.keep !== h || cols.keep !== w) xs = s.slice(x, [0, rows.cropStart, cols.cropStart, 0], [n, rows.keep, cols.keep, inC]);
      const xT = s.reshape(s.transpose(xs, [1, 2, 0, 3]), [1, rows.keep, cols.keep, n * inC]);
      const f = s.reshape(s.transpose(dy, [1, 2, 0, 3]), [info.outHeight, info.outWidth, n * inC, mult]);
      const g = s.run('DepthwiseConv2dNative', { x: xT, filter: f }, {
        strides: [info.dilationHeight, info.dilationWidth],
        dilations: [info.strideHeight, info.strideWidth],
        pad: [[0, 0], [rows.padBefore, rows.padAfter], [cols.padBefore, cols.padAfter], [0, 0]],
      });
      const perSample = s.reshape(g, [kh, kw, n, inC * mult]);
      const summed = s.run('Sum', { x: perSample }, { axis: [2], keepDims: false });
      return s.reshape(summed, [kh, kw, inC, mult]);
    });
  };
  return { kernelName: 'DepthwiseConv2dNativeBackpropFilter', backendName, kernelFunc };
}
