import { getKernel, registerKernel, unregisterKernel, type KernelConfig } from '@tensorflow/tfjs';
import { conv2dBackpropFilterKernel } from './conv2dBackpropFilter.js';
import { conv2dBackpropInputKernel } from './conv2dBackpropInput.js';
import { depthwiseBackpropFilterKernel, depthwiseBackpropInputKernel } from './depthwiseConv2dBackprop.js';
import { batchMatMulKernel } from './batchMatMul.js';
import { fusedMatMulKernel } from './fusedMatMul.js';
import { unsortedSegmentSumKernel } from './unsortedSegmentSum.js';
import { maxPoolGradKernel } from './maxPoolGrad.js';
import { tileKernel } from './tile.js';

/** Kernels this package adds to or replaces in the wasm backend (4.22). */
export const WASM_KERNEL_FIXES: Readonly<Record<string, string>> = {
  Conv2DBackpropFilter: 'missing: written as one forward convolution',
  Conv2DBackpropInput: 'naive loop, ~7-10x slower than the forward conv: written as one forward convolution',
  DepthwiseConv2dNativeBackpropFilter: 'missing: written as one depthwise convolution',
  DepthwiseConv2dNativeBackpropInput: 'missing: written as one depthwise convolution',
  BatchMatMul: 'transpose flags fall off XNNPACK (10-25x slower): explicit Transpose first',
  _FusedMatMul: 'wrong values for batched products with a bias: matMul + bias + activation',
  UnsortedSegmentSum: 'missing (gather gradient): one-hot product',
  Tile: 'a naive loop, ~40x slower than a broadcast (batch-norm gradients tile): a broadcasting Add',
  MaxPoolGrad: 'no gradient for windows with all values <= 0 (starts at FLT_MIN), last-max ties: a loop matching cpu',
};

const installed = new Set<string>();

function install(config: KernelConfig): void {
  if (getKernel(config.kernelName, config.backendName) !== undefined) unregisterKernel(config.kernelName, config.backendName);
  registerKernel(config);
}

/** The kernel fixes installed for `backendName` (none unless `installKernelFixes` ran). */
export function installedKernelFixes(backendName: string): string[] {
  return installed.has(backendName) ? Object.keys(WASM_KERNEL_FIXES) : [];
}

/**
 * Registers the replacement kernels for `backendName` (whose shipped kernels, the wasm
 * backend's, must be registered already: import the backend first). Idempotent.
 * Returns the kernel names.
 */
export function installKernelFixes(backendName = 'wasm'): string[] {
  const names = Object.keys(WASM_KERNEL_FIXES);
  if (installed.has(backendName)) return names;
  const batchMatMul = getKernel('BatchMatMul', backendName);
  const fused = getKernel('_FusedMatMul', backendName);
  const tile = getKernel('Tile', backendName);
  if (batchMatMul === undefined || fused === undefined || tile === undefined) throw new Error(`backend ${backendName} has no BatchMatMul/_FusedMatMul/Tile kernel to wrap`);
  const configs: KernelConfig[] = [
    conv2dBackpropFilterKernel(backendName),
    conv2dBackpropInputKernel(backendName),
    depthwiseBackpropFilterKernel(backendName),
    depthwiseBackpropInputKernel(backendName),
    batchMatMulKernel(backendName, batchMatMul),
    fusedMatMulKernel(backendName, fused, batchMatMul),
    unsortedSegmentSumKernel(backendName),
    maxPoolGradKernel(backendName),
    tileKernel(backendName, tile),
  ];
  for (const c of configs) install(c);
  installed.add(backendName);
  return names;
}
