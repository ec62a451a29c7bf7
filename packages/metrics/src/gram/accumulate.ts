import type { FloatArray } from '@mtl-fd/capture';

// Dot products over tiles small enough to stay in cache, one pair at a time with
// a local accumulator: several times faster in V8 than an inner loop over pairs.
const TILE = 4096;

/**
 * K = G G^T of the flattened task gradients (docs/metrics.md §5), accumulated
 * in float64 over chunks. Values must be finite (the scoring pass hands it the
 * chunk its FD accumulator returns, with skipped elements zeroed).
 */
export class GramAccumulator {
  readonly T: number;
  private readonly K: Float64Array;

  constructor(T: number) {
    this.T = T;
    this.K = new Float64Array(T * T);
  }

  /** Adds elements `[0, n)` of each task's gradient. */
  add(grads: readonly FloatArray[], n = grads[0]?.length ?? 0): void {
    const T = this.T;
    if (grads.length !== T) throw new RangeError(`expected ${T} gradients, got ${grads.length}`);
    for (let i0 = 0; i0 < n; i0 += TILE) {
      const i1 = Math.min(n, i0 + TILE);
      for (let a = 0; a < T; a++) {
        const ga = grads[a]!;
        for (let b = a; b < T; b++) this.K[a * T + b] += dot(ga, grads[b]!, i0, i1);
      }
    }
  }

  /** The full symmetric T x T matrix, row-major (a copy). */
  matrix(): Float64Array {
    const T = this.T;
    const out = new Float64Array(T * T);
    for (let a = 0; a < T; a++) {
      for (let b = a; b < T; b++) out[a * T + b] = out[b * T + a] = this.K[a * T + b]!;
    }
    return out;
  }
}

function dot(x: FloatArray, y: FloatArray, i0: number, i1: number): number {
  let s0 = 0;
  let s1 = 0;
  let i = i0;
  for (; i + 1 < i1; i += 2) {
    s0 += x[i]! * y[i]!;
    s1 += x[i + 1]! * y[i + 1]!;
  }
  if (i < i1) s0 += x[i]! * y[i]!;
  return s0 + s1;
}

/** K of gradients held in memory. */
export function gramOf(grads: readonly FloatArray[]): Float64Array {
  const acc = new GramAccumulator(grads.length);
  acc.add(grads);
  return acc.matrix();
}
