/**
 * Normalised task entropy of one live unit (docs/metrics.md §3): `R` holds the
 * unit's saliency per task (finite, >= 0, sum > 0). Returns h in [0, 1].
 *
 * tau = 0 uses q = R / S directly; tau > 0 the stable softmax of q / tau.
 */
export function unitEntropy(R: ArrayLike<number>, T: number, tau: number): number {
  let S = 0;
  for (let t = 0; t < T; t++) S += R[t]!;
  let H = 0;
  if (tau === 0) {
    for (let t = 0; t < T; t++) {
      const q = R[t]! / S;
      if (q > 0) H -= q * Math.log(q);
    }
  } else {
    // -sum p ln p with ln p_t = a_t - m - ln Z, a = q / tau, m = max a
    let m = -Infinity;
    for (let t = 0; t < T; t++) m = Math.max(m, R[t]! / S / tau);
    let Z = 0;
    let Ea = 0;
    for (let t = 0; t < T; t++) {
      const d = R[t]! / S / tau - m;
      const e = Math.exp(d);
      Z += e;
      Ea += e * d;
    }
    H = Math.log(Z) - Ea / Z;
  }
  return clamp01(H / Math.log(T));
}

/**
 * Binary entropy in bits of the pair distribution (ra, rb) / (ra + rb), or of its
 * two-task softmax at temperature tau > 0 (docs/metrics.md §4). ra + rb > 0.
 */
export function pairEntropy(ra: number, rb: number, tau: number): number {
  const s = ra + rb;
  const qa = ra / s;
  const qb = rb / s;
  if (tau === 0) {
    let H = 0;
    if (qa > 0) H -= qa * Math.log(qa);
    if (qb > 0) H -= qb * Math.log(qb);
    return clamp01(H / Math.LN2);
  }
  // softmax over two logits is a sigmoid of their difference d; with u = e^-|d|,
  // H = ln(1 + u) + |d| u / (1 + u), stable for any d
  const d = Math.abs(qa - qb) / tau;
  const u = Math.exp(-d);
  return clamp01((Math.log1p(u) + (d * u) / (1 + u)) / Math.LN2);
}

/** Rounding can leave an entropy a few ulps outside [0, 1]. */
export function clamp01(h: number): number {
  return h < 0 ? 0 : h > 1 ? 1 : h;
}
