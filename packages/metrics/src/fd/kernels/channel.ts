import type { FloatArray } from '@mtl-fd/capture';
import type { UnitGeometry } from '../geometry.js';

/**
 * Adds the saliency of `rows` whole batch rows to per-channel sums
 * `acc[t * C + c]` (channel granularity accumulates over every batch row of every
 * chunk before any entropy is taken). Returns the non-finite sentinel: 0 exactly
 * when every value read was finite.
 */
export function addChannelSums(
  f: FloatArray,
  g: readonly FloatArray[],
  rows: number,
  geo: UnitGeometry,
  gxa: boolean,
  acc: Float64Array,
): number {
  const { channels: C, positions: P } = geo;
  const n = rows * geo.rowSize;
  const T = g.length;
  let chk = gxa ? 0 : featureSentinel(f, n);
  for (let t = 0; t < T; t++) {
    const gt = g[t]!;
    const off = t * C;
    if (geo.channelsLast) {
      for (let base = 0; base < n; base += C) {
        if (gxa) for (let c = 0; c < C; c++) acc[off + c] += Math.abs(gt[base + c]! * f[base + c]!);
        else for (let c = 0; c < C; c++) acc[off + c] += Math.abs(gt[base + c]!);
      }
    } else {
      for (let base = 0; base < n; base += P) {
        const c = (base / P) % C;
        let s = 0;
        if (gxa) for (let p = 0; p < P; p++) s += Math.abs(gt[base + p]! * f[base + p]!);
        else for (let p = 0; p < P; p++) s += Math.abs(gt[base + p]!);
        acc[off + c] += s;
      }
    }
  }
  for (let k = 0; k < T * C; k++) chk += acc[k]! * 0;
  return chk;
}

/** 0 when every feature value is finite, NaN otherwise (no branch per element). */
export function featureSentinel(f: FloatArray, n: number): number {
  let chk = 0;
  for (let i = 0; i < n; i++) chk += f[i]! * 0;
  return chk;
}
