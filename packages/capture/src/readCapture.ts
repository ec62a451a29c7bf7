import { openCapture } from './openCapture.js';
import type { CaptureData, CaptureInfo, CaptureMeta, DType, FloatArray } from './types.js';

/** A whole capture in memory: CaptureData (so it can be written back as is) plus the reader's info. */
export interface LoadedCapture extends CaptureData {
  info: CaptureInfo;
  meta: CaptureMeta;
  dtype: DType;
  features: FloatArray;
  /** per task name, in `meta.tasks` order */
  grads: Record<string, FloatArray>;
  losses: Record<string, number>;
  paramGram?: Float64Array;
  weights?: Record<string, number>;
}

/**
 * Reads a whole capture into memory, for small files and tests; big ones belong to
 * `openCapture(...).chunks()`. Every size allocated is one the file's size justifies.
 */
export async function readCapture(file: string): Promise<LoadedCapture> {
  const reader = await openCapture(file);
  try {
    const { info } = reader;
    let only: { features: FloatArray; grads: FloatArray[] } | undefined;
    for await (const chunk of reader.chunks({ rowsPerChunk: info.shape[0]! })) only = chunk;
    const { features, grads } = only!;
    const loaded: LoadedCapture = {
      info,
      meta: info.meta,
      shape: info.shape,
      dtype: info.dtype,
      features,
      grads: Object.fromEntries(info.meta.tasks.map((t, i) => [t, grads[i]!])),
      losses: info.losses,
    };
    if (info.paramGram) loaded.paramGram = info.paramGram;
    if (info.weights) loaded.weights = info.weights;
    return loaded;
  } finally {
    await reader.close();
  }
}
