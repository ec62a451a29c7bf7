import type { CaptureInfo, Layout, RowChunk } from '@mtl-fd/capture';
import type { CaptureSource } from '../../src/score/source.js';

export interface MemoryCapture {
  file?: string;
  step?: number;
  run?: string;
  layout: Layout;
  shape: number[];
  tasks: string[];
  features: ArrayLike<number>;
  grads: ArrayLike<number>[];
  losses?: Record<string, number>;
  paramGram?: number[];
  weights?: Record<string, number>;
}

/** A capture served from memory in chunks of `rowsPerChunk` rows (float64 values). */
export function memorySource(c: MemoryCapture, rowsPerChunk = 1): CaptureSource {
  const rowSize = c.shape.slice(1).reduce((a, b) => a * b, 1);
  const info: CaptureInfo = {
    file: c.file ?? 'memory.safetensors',
    meta: { format: 'mtl-fd/capture@1', step: c.step ?? 0, tasks: c.tasks, layout: c.layout, ...(c.run ? { run: c.run } : {}) },
    shape: c.shape,
    dtype: 'F64',
    rowSize,
    losses: c.losses ?? {},
    ...(c.paramGram ? { paramGram: Float64Array.from(c.paramGram) } : {}),
    ...(c.weights ? { weights: c.weights } : {}),
  };
  const B = c.shape[0]!;
  return {
    info,
    async *chunks(): AsyncGenerator<RowChunk> {
      for (let r = 0; r < B; r += rowsPerChunk) {
        const rows = Math.min(rowsPerChunk, B - r);
        const slice = (a: ArrayLike<number>) => Float64Array.from({ length: rows * rowSize }, (_, i) => a[r * rowSize + i]!);
        yield { rowStart: r, rows, rowSize, features: slice(c.features), grads: c.grads.map(slice) };
      }
    },
  };
}
