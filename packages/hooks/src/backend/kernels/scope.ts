import { getKernel, type KernelBackend, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs';

/**
 * Runs other kernels of the same backend from inside a kernel, keeping track of the
 * intermediate results so that every one but the returned result is released.
 * (A kernel must not call ops: the engine would record them on the gradient tape.)
 */
export class KernelScope {
  private readonly made: TensorInfo[] = [];

  constructor(
    readonly backend: KernelBackend,
    readonly backendName: string,
  ) {}

  run(kernelName: string, inputs: Record<string, TensorInfo>, attrs: object = {}): TensorInfo {
    const config = getKernel(kernelName, this.backendName);
    if (config === undefined) throw new Error(`kernel ${kernelName} is not registered for backend ${this.backendName}`);
    const out = config.kernelFunc({ inputs, backend: this.backend, attrs: attrs as NamedAttrMap }) as TensorInfo;
    this.made.push(out);
    return out;
  }

  /** Adopts a result made by a kernel function called directly. */
  track(t: TensorInfo): TensorInfo {
    this.made.push(t);
    return t;
  }

  reshape(x: TensorInfo, shape: number[]): TensorInfo {
    return this.run('Reshape', { x }, { shape });
  }

  transpose(x: TensorInfo, perm: number[]): TensorInfo {
    return this.run('Transpose', { x }, { perm });
  }

  slice(x: TensorInfo, begin: number[], size: number[]): TensorInfo {
    return this.run('Slice', { x }, { begin, size });
  }

  /** Releases every intermediate except `keep`. */
  release(keep: TensorInfo): void {
    for (const t of this.made) if (t !== keep) this.backend.disposeData(t.dataId);
    this.made.length = 0;
  }
}

/** Calls `body` with a scope and releases its intermediates, on error too. */
export function inKernelScope(backend: unknown, backendName: string, body: (s: KernelScope) => TensorInfo): TensorInfo {
  const scope = new KernelScope(backend as KernelBackend, backendName);
  let out: TensorInfo | undefined;
  try {
    out = body(scope);
    return out;
  } finally {
    scope.release(out as TensorInfo);
  }
}
