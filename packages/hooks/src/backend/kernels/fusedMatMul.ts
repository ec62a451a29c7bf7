import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { inKernelScope, type KernelScope } from './scope.js';
import { matMulNoFlags } from './batchMatMul.js';

type Activation = 'linear' | 'relu' | 'relu6' | 'prelu' | 'leakyrelu' | 'sigmoid' | 'elu';

function activate(s: KernelScope, x: TensorInfo, activation: Activation, prelu: TensorInfo | undefined, alpha: number | undefined): TensorInfo {
  switch (activation) {
    case 'linear':
      return x;
    case 'relu':
      return s.run('Relu', { x });
    case 'relu6':
      return s.run('Relu6', { x });
    case 'elu':
      return s.run('Elu', { x });
    case 'sigmoid':
      return s.run('Sigmoid', { x });
    case 'leakyrelu':
      return s.run('LeakyRelu', { x }, { alpha: alpha ?? 0.2 });
    case 'prelu':
      if (prelu == null) throw new Error('_FusedMatMul: prelu activation without weights');
      return s.run('Prelu', { x, alpha: prelu });
    default:
      throw new Error(`_FusedMatMul: unknown activation '${String(activation)}'`);
  }
}

/**
 * `_FusedMatMul` as matMul + bias + activation. The shipped wasm kernel gives wrong
 * values for batched (rank-3, batch > 1) products with a bias and always takes the
 * slow path when a transpose flag is set, so only the simple case is left to it:
 * batch 1, no transposes, a rank-1 bias or none.
 */
export function fusedMatMulKernel(backendName: string, original: KernelConfig, batchMatMul: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const { a, b, bias, preluActivationWeights } = args.inputs as Record<string, TensorInfo | null | undefined> & { a: TensorInfo; b: TensorInfo };
    const { transposeA, transposeB, activation, leakyreluAlpha } = args.attrs as unknown as {
      transposeA: boolean;
      transposeB: boolean;
      activation: Activation;
      leakyreluAlpha?: number;
    };
    const batch = (t: TensorInfo) => t.shape.slice(0, -2).reduce((p, q) => p * q, 1);
    const simple = !transposeA && !transposeB && batch(a) === 1 && batch(b) === 1 && (bias == null || bias.shape.length === 1);
    if (simple) return original.kernelFunc(args);
    return inKernelScope(args.backend, backendName, (s) => {
      let y = matMulNoFlags(s, batchMatMul.kernelFunc, a, b, transposeA, transposeB);
      if (bias != null) y = s.run('Add', { a: y, b: bias });
      return activate(s, y, activation, preluActivationWeights ?? undefined, leakyreluAlpha);
    });
  };
  return { ...original, kernelFunc };
}
