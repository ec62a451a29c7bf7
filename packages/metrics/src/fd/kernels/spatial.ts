import type { FloatArray } from '@mtl-fd/capture';
import type { UnitGeometry } from '../geometry.js';
import type { FdSums } from '../sums.js';
import { featureSentinel } from './channel.js';

/**
 * Adds the spatial units (one per sample and position, saliency summed over
 * channels) of `rows` whole batch rows to `sums`. `buf` is scratch of at least
 * T * rows * P values. Returns the non-finite sentinel.
 */
export function addSpatialUnits(
  f: FloatArray,
  g: readonly FloatArray[],
  rows: number,
  geo: UnitGeometry,
  gxa: boolean,
  sums: FdSums,
  buf: Float64Array,
): number {
  const { channels: C, positions: P, rowSize } = geo;
  const T = g.length;
  const units = rows * P;
  const n = rows * rowSize;
  let chk = gxa ? 0 : featureSentinel(f, n);
  buf.fill(0, 0, T * units);
  for (let t = 0; t < T; t++) {
    const gt = g[t]!;
    const off = t * units;
    if (geo.channelsLast) {
      for (let u = 0; u < units; u++) {
        const base = u * C;
        let s = 0;
        if (gxa) for (let c = 0; c < C; c++) s += Math.abs(gt[base + c]! * f[base + c]!);
        else for (let c = 0; c < C; c++) s += Math.abs(gt[base + c]!);
        buf[off + u] = s;
      }
    } else {
      for (let row = 0; row < rows; row++) {
        const uo = off + row * P;
        for (let c = 0; c < C; c++) {
          const base = row * rowSize + c * P;
          if (gxa) for (let p = 0; p < P; p++) buf[uo + p] += Math.abs(gt[base + p]! * f[base + p]!);
          else for (let p = 0; p < P; p++) buf[uo + p] += Math.abs(gt[base + p]!);
        }
      }
    }
  }
  const R = new Float64Array(T);
  for (let u = 0; u < units; u++) {
    let S = 0;
    for (let t = 0; t < T; t++) {
      const v = buf[t * units + u]!;
      R[t] = v;
      S += v;
    }
    chk += S * 0;
    if (S === S) sums.addUnit(R);
  }
  return chk;
}
