/**
 * Padding arithmetic for writing convolution gradients as plain convolutions, one
 * spatial axis at a time. Negative paddings (rows the forward pass never read or
 * wrote) become crops of the input instead, since the convolution kernels only pad.
 */
export interface AxisPlan {
  /** zeros added before / after the (cropped) input */
  padBefore: number;
  padAfter: number;
  /** elements dropped from the start of the input, and how many remain */
  cropStart: number;
  keep: number;
}

function plan(length: number, padBefore: number, padAfter: number): AxisPlan {
  const cropStart = Math.max(0, -padBefore);
  const cropEnd = Math.max(0, -padAfter);
  return { padBefore: Math.max(0, padBefore), padAfter: Math.max(0, padAfter), cropStart, keep: length - cropStart - cropEnd };
}

/**
 * Filter gradient: `dW[k] = sum_o xpad[k*dilation + o*stride] * dy[o]`, a convolution of
 * the padded input (stride = dilation, dilation = stride) whose output has exactly
 * `kernel` positions once the trailing rows the forward pass never reached are dropped.
 */
export function filterGradAxis(inSize: number, padBefore: number, padAfter: number, kernel: number, stride: number, dilation: number, outSize: number): AxisPlan {
  const used = (outSize - 1) * stride + (kernel - 1) * dilation + 1;
  const extra = inSize + padBefore + padAfter - used;
  return plan(inSize, padBefore, padAfter - extra);
}

/**
 * Input gradient: the correlation of `dy` dilated by the stride (`outSize * stride`
 * long, trailing zeros included) with the spatially flipped filter, padded so that the
 * result has `inSize` positions.
 */
export function inputGradAxis(inSize: number, padBefore: number, kernel: number, stride: number, dilation: number, outSize: number): AxisPlan {
  const span = (kernel - 1) * dilation + 1;
  const length = outSize * stride;
  const before = span - 1 - padBefore;
  const after = inSize + span - 1 - length - before;
  return plan(length, before, after);
}
