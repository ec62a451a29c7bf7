import type { FloatArray, RowChunk } from '@mtl-fd/capture';

/** Where the first non-finite value of a chunk sits. */
export interface NonFiniteHit {
  /** 'features' or 'grad.<task>' */
  tensor: string;
  /** flat index into the whole `[B, ...]` tensor */
  index: number;
  value: number;
}

/**
 * The first element (in storage order) of a chunk holding NaN or +-Infinity in
 * the features or any gradient; at one element, features are named before the
 * gradients, which go in task order. Null when the chunk is clean.
 */
export function firstNonFinite(chunk: RowChunk, tasks: readonly string[]): NonFiniteHit | null {
  const n = chunk.rows * chunk.rowSize;
  const first = chunk.rowStart * chunk.rowSize;
  const all: FloatArray[] = [chunk.features, ...chunk.grads];
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < all.length; k++) {
      const v = all[k]![i]!;
      if (!Number.isFinite(v)) return { tensor: k === 0 ? 'features' : `grad.${tasks[k - 1]}`, index: first + i, value: v };
    }
  }
  return null;
}

/**
 * A copy of the chunk in which every element holding a non-finite value in the
 * features or any gradient is zeroed in all of them, so it adds nothing to any
 * sum; `skipped` counts those elements.
 */
export function zeroNonFinite(chunk: RowChunk): { chunk: RowChunk; skipped: number } {
  const n = chunk.rows * chunk.rowSize;
  const features = chunk.features.slice(0, n);
  const grads = chunk.grads.map((g) => g.slice(0, n));
  let skipped = 0;
  for (let i = 0; i < n; i++) {
    let ok = Number.isFinite(features[i]!);
    for (let t = 0; ok && t < grads.length; t++) ok = Number.isFinite(grads[t]![i]!);
    if (ok) continue;
    skipped++;
    features[i] = 0;
    for (const g of grads) g[i] = 0;
  }
  return { chunk: { ...chunk, features, grads }, skipped };
}

/** `[b, i, j, ...]` of a flat index into a tensor of `shape`. */
export function multiIndex(index: number, shape: readonly number[]): number[] {
  const out = new Array<number>(shape.length).fill(0);
  let rest = index;
  for (let d = shape.length - 1; d >= 0; d--) {
    const size = shape[d]!;
    out[d] = size > 0 ? rest % size : 0;
    rest = size > 0 ? Math.floor(rest / size) : 0;
  }
  return out;
}
