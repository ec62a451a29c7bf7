import type { CaptureInfo, RowChunk } from '@mtl-fd/capture';

/**
 * What scoring reads: a capture's info and its row chunks. `openCapture` returns
 * one; tests and in-memory callers can build their own.
 */
export interface CaptureSource {
  readonly info: CaptureInfo;
  chunks(): AsyncIterable<RowChunk>;
}

/**
 * Views of `chunk` of whole batch rows and at most about `maxElements` values
 * each (never less than one row), sharing its memory: cache-sized pieces for the
 * kernels of one pass.
 */
export function* rowBlocks(chunk: RowChunk, maxElements: number): Generator<RowChunk> {
  const { rowSize, rows } = chunk;
  const step = Math.max(1, Math.floor(maxElements / Math.max(1, rowSize)));
  if (step >= rows) {
    yield chunk;
    return;
  }
  for (let r = 0; r < rows; r += step) {
    const n = Math.min(step, rows - r);
    const a = r * rowSize;
    const b = a + n * rowSize;
    yield {
      rowStart: chunk.rowStart + r,
      rows: n,
      rowSize,
      features: chunk.features.subarray(a, b),
      grads: chunk.grads.map((g) => g.subarray(a, b)),
    };
  }
}

/** Iterates with the next chunk already requested, so reading overlaps scoring. */
export async function* prefetched<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
  const it = source[Symbol.asyncIterator]();
  let next = it.next();
  try {
    for (;;) {
      const r = await next;
      if (r.done) return;
      next = it.next();
      // if the consumer stops (or throws) before awaiting it, a failed read must not go unhandled
      next.catch(() => undefined);
      yield r.value;
    }
  } finally {
    await it.return?.();
  }
}
