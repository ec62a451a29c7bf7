import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { inKernelScope, type KernelScope } from './scope.js';

/** Swaps the last two axes. */
function transposeLast2(s: KernelScope, x: TensorInfo): TensorInfo {
  const perm = x.shape.map((_, i) => i);
  const r = perm.length;
  [perm[r - 2], perm[r - 1]] = [perm[r - 1] as number, perm[r - 2] as number];
  return s.transpose(x, perm);
}

/**
 * `a @ b` with the transposes done first by a real `Transpose`, so the product takes
 * the fast (XNNPACK) path: the shipped wasm `BatchMatMul` falls back to a naive loop
 * whenever a transpose flag is set, and matMul's gradient always sets one.
 */
export function matMulNoFlags(s: KernelScope, original: KernelFunc, a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean): TensorInfo {
  const a2 = transposeA ? transposeLast2(s, a) : a;
  const b2 = transposeB ? transposeLast2(s, b) : b;
  return s.track(original({ inputs: { a: a2, b: b2 }, backend: s.backend, attrs: { transposeA: false, transposeB: false } }) as TensorInfo);
}

export function batchMatMulKernel(backendName: string, original: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
    const { transposeA, transposeB } = args.attrs as { transposeA: boolean; transposeB: boolean };
    if (!transposeA && !transposeB) return original.kernelFunc(args);
    return inKernelScope(args.backend, backendName, (s) => matMulNoFlags(s, original.kernelFunc, a, b, transposeA, transposeB));
  };
  return { ...original, kernelFunc };
}
