import type { CaptureData, DType, Layout } from '../src/types.js';

/** A small shape of the right rank for each layout. */
export const SAMPLE_SHAPES: Record<Layout, number[]> = {
  NC: [3, 5],
  NLC: [2, 3, 4],
  NCL: [2, 4, 3],
  NHWC: [2, 3, 2, 4],
  NCHW: [2, 4, 3, 2],
};

/**
 * Deterministic values that every capture dtype represents exactly (k/64 with
 * |k| <= 48 needs 6 significant bits; bfloat16 has 8), zeros included, so round
 * trips can be compared with toEqual.
 */
export function patternValues(n: number, seed: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = ((i * (seed + 7) + 13 * seed) % 97 - 48) / 64;
  return out;
}

export interface SampleOptions {
  layout?: Layout;
  shape?: number[];
  dtype?: DType;
  tasks?: string[];
  step?: number;
  /** add losses, param_gram and the optional metadata keys */
  extras?: boolean;
}

export function sampleCapture(opts: SampleOptions = {}): CaptureData {
  const layout = opts.layout ?? 'NC';
  const shape = opts.shape ?? SAMPLE_SHAPES[layout];
  const tasks = opts.tasks ?? ['seg', 'depth', 'normal'];
  const n = shape.reduce((a, b) => a * b, 1);
  const data: CaptureData = {
    meta: { step: opts.step ?? 1200, tasks, layout },
    shape,
    dtype: opts.dtype ?? 'F32',
    features: patternValues(n, 1),
    grads: Object.fromEntries(tasks.map((t, i) => [t, patternValues(n, i + 2)])),
  };
  if (opts.extras) {
    data.meta = { ...data.meta, epoch: 3, run: 'baseline run', producer: 'vitest' };
    data.losses = Object.fromEntries(tasks.map((t, i) => [t, 0.1 * (i + 1)]));
    data.paramGram = Float64Array.from({ length: tasks.length ** 2 }, (_, i) => i / 3 - 1);
  }
  return data;
}
