import type { FloatArray } from '@mtl-fd/capture';
import { float32Bits, lnFloat32 } from '../lnFloat32.js';
import type { FdSums } from '../sums.js';

// Element granularity, temperature 0: the hot loop of a scoring pass.
//
// Each unit's entropy is taken as ln S - (sum_t R_t ln R_t) / S: one log per task
// plus one, and every pair entropy reuses the same R ln R terms (one more log per
// pair instead of two). The error of that form is ~eps * |ln R| absolute, far
// below the 1e-6 contract, for any finite input that does not overflow.
//
// At element granularity grad_x_act only rescales every task of a unit by |z|, so
// the entropies come from |g| in both modes and w = |z| (or 1) weights the sums.
// `gxa` is loop-invariant: the branch on it costs nothing measurable.
//
// Inputs must be finite and far from overflow: the returned sentinel is 0 exactly
// when they were (NaN otherwise; x * 0 is NaN only for NaN and +-Infinity), and the
// caller redoes a block that was not clean on the careful path.
//
// T = 2 and T = 3 have kernels of their own with every sum in a local variable,
// about 1.5x faster in V8 than the loops over tasks of the general kernel. Float32
// gradients are read in place, and ln |g| comes from their bits (lnFloat32).

/** Adds the element units `[0, n)` to `sums`. Returns the non-finite sentinel. */
export function addElementUnits(f: FloatArray, g: readonly FloatArray[], n: number, gxa: boolean, sums: FdSums): number {
  const bits = g.map((x) => (x instanceof Float32Array ? float32Bits(x) : null));
  if (g.length === 2) return elementT2(f, g[0]!, g[1]!, bits[0]!, bits[1]!, n, gxa, sums);
  if (g.length === 3) return elementT3(f, g[0]!, g[1]!, g[2]!, bits[0]!, bits[1]!, bits[2]!, n, gxa, sums);
  return elementAnyT(f, g, bits, n, gxa, sums);
}

/** r ln r for r = |g[i]| > 0, from the float32 bits when there are any. */
function xlnx(r: number, bits: Int32Array | null, i: number): number {
  return r * (bits !== null ? lnFloat32(bits[i]! & 0x7fffffff, r) : Math.log(r));
}

const INV_LN2 = 1 / Math.LN2;

/** h2 in bits of a pair with both saliencies > 0, from s = ra + rb and xa + xb = ra ln ra + rb ln rb. */
function h2(s: number, xab: number): number {
  const e = (Math.log(s) - xab / s) * INV_LN2;
  return e < 0 ? 0 : e > 1 ? 1 : e;
}

function elementT2(
  f: FloatArray,
  g0: FloatArray,
  g1: FloatArray,
  b0: Int32Array | null,
  b1: Int32Array | null,
  n: number,
  gxa: boolean,
  sums: FdSums,
): number {
  // with two tasks h is the pair entropy itself
  let live = 0;
  let dead = 0;
  let sumH = 0;
  let massH = 0;
  let m0 = 0;
  let m1 = 0;
  let h0 = 0;
  let h1 = 0;
  let chk = 0;
  for (let i = 0; i < n; i++) {
    const z = f[i]!;
    chk += z * 0;
    const w = gxa ? Math.abs(z) : 1;
    const r0 = Math.abs(g0[i]!);
    const r1 = Math.abs(g1[i]!);
    const S = r0 + r1;
    if (S === 0 || w === 0) {
      chk += S * 0;
      dead++;
      continue;
    }
    const h = r0 > 0 && r1 > 0 ? h2(S, xlnx(r0, b0, i) + xlnx(r1, b1, i)) : 0;
    chk += S * 0 + h * 0;
    live++;
    sumH += h;
    const w0 = w * r0;
    const w1 = w * r1;
    massH += (w0 + w1) * h;
    m0 += w0;
    m1 += w1;
    h0 += w0 * h;
    h1 += w1 * h;
  }
  sums.live += live;
  sums.dead += dead;
  sums.sumH += sumH;
  sums.massH += massH;
  sums.taskMass[0] += m0;
  sums.taskMass[1] += m1;
  sums.taskH[0] += h0;
  sums.taskH[1] += h1;
  // every live unit is live for the only pair, with the same weight and entropy
  sums.pairMass[0] += m0 + m1;
  sums.pairH[0] += massH;
  return chk;
}

function elementT3(
  f: FloatArray,
  g0: FloatArray,
  g1: FloatArray,
  g2: FloatArray,
  b0: Int32Array | null,
  b1: Int32Array | null,
  b2: Int32Array | null,
  n: number,
  gxa: boolean,
  sums: FdSums,
): number {
  const invLnT = 1 / Math.log(3);
  let live = 0;
  let dead = 0;
  let sumH = 0;
  let massH = 0;
  let m0 = 0;
  let m1 = 0;
  let m2 = 0;
  let h0 = 0;
  let h1 = 0;
  let h2s = 0;
  let p01 = 0;
  let p02 = 0;
  let p12 = 0;
  let q01 = 0;
  let q02 = 0;
  let q12 = 0;
  let chk = 0;
  for (let i = 0; i < n; i++) {
    const z = f[i]!;
    chk += z * 0;
    const w = gxa ? Math.abs(z) : 1;
    const r0 = Math.abs(g0[i]!);
    const r1 = Math.abs(g1[i]!);
    const r2 = Math.abs(g2[i]!);
    const S = r0 + r1 + r2;
    if (S === 0 || w === 0) {
      chk += S * 0;
      dead++;
      continue;
    }
    const x0 = r0 > 0 ? xlnx(r0, b0, i) : 0;
    const x1 = r1 > 0 ? xlnx(r1, b1, i) : 0;
    const x2 = r2 > 0 ? xlnx(r2, b2, i) : 0;
    const hh = (Math.log(S) - (x0 + x1 + x2) / S) * invLnT;
    chk += hh * 0;
    const h = hh < 0 ? 0 : hh > 1 ? 1 : hh;
    live++;
    sumH += h;
    massH += w * S * h;
    const w0 = w * r0;
    const w1 = w * r1;
    const w2 = w * r2;
    m0 += w0;
    m1 += w1;
    m2 += w2;
    h0 += w0 * h;
    h1 += w1 * h;
    h2s += w2 * h;
    // a pair with one saliency 0 has h2 = 0: weight only, no log
    p01 += w0 + w1;
    if (r0 > 0 && r1 > 0) q01 += (w0 + w1) * h2(r0 + r1, x0 + x1);
    p02 += w0 + w2;
    if (r0 > 0 && r2 > 0) q02 += (w0 + w2) * h2(r0 + r2, x0 + x2);
    p12 += w1 + w2;
    if (r1 > 0 && r2 > 0) q12 += (w1 + w2) * h2(r1 + r2, x1 + x2);
  }
  sums.live += live;
  sums.dead += dead;
  sums.sumH += sumH;
  sums.massH += massH;
  const { taskMass, taskH, pairMass, pairH } = sums;
  taskMass[0] += m0;
  taskMass[1] += m1;
  taskMass[2] += m2;
  taskH[0] += h0;
  taskH[1] += h1;
  taskH[2] += h2s;
  pairMass[0] += p01;
  pairMass[1] += p02;
  pairMass[2] += p12;
  pairH[0] += q01;
  pairH[1] += q02;
  pairH[2] += q12;
  return chk;
}

function elementAnyT(
  f: FloatArray,
  g: readonly FloatArray[],
  bits: readonly (Int32Array | null)[],
  n: number,
  gxa: boolean,
  sums: FdSums,
): number {
  const T = sums.T;
  const { a: pa, b: pb, count: P } = sums.pairs;
  const r = new Float64Array(T);
  const x = new Float64Array(T);
  const { taskMass, taskH, pairMass, pairH } = sums;
  const invLnT = 1 / Math.log(T);
  let live = 0;
  let dead = 0;
  let sumH = 0;
  let massH = 0;
  let chk = 0;
  for (let i = 0; i < n; i++) {
    const z = f[i]!;
    chk += z * 0;
    const w = gxa ? Math.abs(z) : 1;
    let S = 0;
    let X = 0;
    for (let t = 0; t < T; t++) {
      const v = Math.abs(g[t]![i]!);
      r[t] = v;
      S += v;
      const xv = v > 0 ? xlnx(v, bits[t]!, i) : 0;
      x[t] = xv;
      X += xv;
    }
    if (S === 0 || w === 0) {
      chk += S * 0;
      dead++;
      continue;
    }
    const hh = (Math.log(S) - X / S) * invLnT;
    chk += hh * 0;
    const h = hh < 0 ? 0 : hh > 1 ? 1 : hh;
    live++;
    sumH += h;
    massH += w * S * h;
    for (let t = 0; t < T; t++) {
      const wr = w * r[t]!;
      taskMass[t] += wr;
      taskH[t] += wr * h;
    }
    for (let p = 0; p < P; p++) {
      const A = pa[p]!;
      const B = pb[p]!;
      const ra = r[A]!;
      const rb = r[B]!;
      const s = ra + rb;
      if (s > 0) {
        pairMass[p] += w * s;
        if (ra > 0 && rb > 0) pairH[p] += w * s * h2(s, x[A]! + x[B]!);
      }
    }
  }
  sums.live += live;
  sums.dead += dead;
  sums.sumH += sumH;
  sums.massH += massH;
  return chk;
}

/**
 * Element units at any temperature, one `addUnit` per element: the general path,
 * used for temperature > 0. Returns the non-finite sentinel.
 */
export function addElementUnitsGeneral(
  f: FloatArray,
  g: readonly FloatArray[],
  n: number,
  gxa: boolean,
  sums: FdSums,
): number {
  const T = sums.T;
  const R = new Float64Array(T);
  let chk = 0;
  for (let i = 0; i < n; i++) {
    const z = f[i]!;
    const w = gxa ? Math.abs(z) : 1;
    let S = 0;
    for (let t = 0; t < T; t++) {
      const v = Math.abs(g[t]![i]!) * w;
      R[t] = v;
      S += v;
    }
    chk += z * 0 + S * 0;
    if (S === S) sums.addUnit(R);
  }
  return chk;
}
