/**
 * The numerator of Kendall's tau-b, S = sum over pairs i < j of
 * sign(x_i - x_j) * sign(y_i - y_j) (concordant minus discordant pairs, tied
 * pairs counting 0), for x reordered against a fixed y. Permuting x keeps its tie
 * counts, so tau-b's denominator is the same for every ordering and comparing
 * tau-b values is comparing integers S: no rounding enters a permutation test.
 */
export class ConcordanceAgainst {
  readonly n: number;
  /** sign(y_i - y_j), row-major n x n */
  readonly ySign: Int8Array;

  constructor(y: readonly number[]) {
    const n = y.length;
    this.n = n;
    this.ySign = new Int8Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) this.ySign[i * n + j] = Math.sign(y[i]! - y[j]!);
  }

  /** S for x (length n) against y */
  statistic(x: ArrayLike<number>): number {
    const { n, ySign } = this;
    let s = 0;
    for (let i = 0; i < n; i++) {
      const xi = x[i]!;
      const row = i * n;
      for (let j = i + 1; j < n; j++) {
        const d = xi - x[j]!;
        // sign(d) without a call: this is the inner loop of every permutation test
        s += ((d > 0 ? 1 : 0) - (d < 0 ? 1 : 0)) * ySign[row + j]!;
      }
    }
    return s;
  }

  /**
   * How S changes when x[a] and x[b] swap places (a != b), in O(n): only the pairs
   * holding a or b change.
   */
  swapDelta(x: ArrayLike<number>, a: number, b: number): number {
    const { n, ySign } = this;
    const xa = x[a]!;
    const xb = x[b]!;
    if (xa === xb) return 0;
    const ra = a * n;
    const rb = b * n;
    let d = 0;
    for (let k = 0; k < n; k++) {
      if (k === a || k === b) continue;
      const xk = x[k]!;
      d += (Math.sign(xb - xk) - Math.sign(xa - xk)) * (ySign[ra + k]! - ySign[rb + k]!);
    }
    // the pair (a, b) itself flips sign
    return d - 2 * Math.sign(xa - xb) * ySign[ra + b]!;
  }
}
