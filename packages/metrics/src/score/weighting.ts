import type { CaptureInfo, FloatArray, RowChunk } from '@mtl-fd/capture';
import type { CaptureSource } from './source.js';

/**
 * The weighted view (score option `weighted`): the capture's per-task loss weights
 * `w_t` in `meta.tasks` order, or all ones when the capture carries none (absent
 * `weight.*` means the training did not weight its tasks, docs/capture-format.md §3).
 */
export function taskWeights(info: CaptureInfo): number[] {
  return info.meta.tasks.map((t) => info.weights?.[t] ?? 1);
}

/**
 * `source` seen through the weights: each chunk's `g_t` scaled by `w_t` (in a fresh
 * array of the same type), `param_gram` by `w_a w_b`, so every identifier is computed
 * on the gradients the shared layers actually receive. Losses stay as measured.
 */
export function weightedSource(source: CaptureSource): CaptureSource {
  const w = taskWeights(source.info);
  if (w.every((x) => x === 1)) return source;
  const info: CaptureInfo = { ...source.info };
  if (info.paramGram) {
    const T = w.length;
    info.paramGram = info.paramGram.map((k, i) => k * w[Math.floor(i / T)]! * w[i % T]!);
  }
  return {
    info,
    async *chunks(): AsyncGenerator<RowChunk> {
      for await (const chunk of source.chunks()) yield { ...chunk, grads: chunk.grads.map((g, t) => scaled(g, w[t]!)) };
    },
  };
}

function scaled(g: FloatArray, w: number): FloatArray {
  const out = g instanceof Float32Array ? new Float32Array(g.length) : new Float64Array(g.length);
  for (let i = 0; i < g.length; i++) out[i] = g[i]! * w;
  return out;
}
