import { pairEntropy, unitEntropy } from './entropy.js';
import { taskPairs, type TaskPairs } from './pairs.js';

/**
 * Running sums from which every FD score follows (docs/metrics.md §4). Units are
 * added one at a time (`addUnit`) or by the fast kernels, which write the same
 * fields; two sums over disjoint units merge by addition.
 */
export class FdSums {
  readonly T: number;
  readonly tau: number;
  readonly pairs: TaskPairs;
  live = 0;
  dead = 0;
  /** sum of h over live units */
  sumH = 0;
  /** sum of (sum_t R_t) h over live units */
  massH = 0;
  /** M_t = sum_j R_t(j) */
  readonly taskMass: Float64Array;
  /** sum_j R_t(j) h(j) */
  readonly taskH: Float64Array;
  /** per pair a < b: sum of (R_a + R_b) over units live for the pair */
  readonly pairMass: Float64Array;
  /** per pair a < b: sum of (R_a + R_b) h2 */
  readonly pairH: Float64Array;

  constructor(T: number, tau: number) {
    this.T = T;
    this.tau = tau;
    this.pairs = taskPairs(T);
    this.taskMass = new Float64Array(T);
    this.taskH = new Float64Array(T);
    this.pairMass = new Float64Array(this.pairs.count);
    this.pairH = new Float64Array(this.pairs.count);
  }

  /** Adds one unit with finite saliencies `R[0..T)` (any temperature). */
  addUnit(R: ArrayLike<number>): void {
    const T = this.T;
    let S = 0;
    for (let t = 0; t < T; t++) S += R[t]!;
    if (S === 0) {
      this.dead++;
      return;
    }
    const h = unitEntropy(R, T, this.tau);
    this.live++;
    this.sumH += h;
    this.massH += S * h;
    for (let t = 0; t < T; t++) {
      this.taskMass[t] += R[t]!;
      this.taskH[t] += R[t]! * h;
    }
    const { a, b, count } = this.pairs;
    for (let p = 0; p < count; p++) {
      const ra = R[a[p]!]!;
      const rb = R[b[p]!]!;
      const s = ra + rb;
      if (s > 0) {
        this.pairMass[p] += s;
        this.pairH[p] += s * pairEntropy(ra, rb, this.tau);
      }
    }
  }

  merge(other: FdSums): void {
    this.live += other.live;
    this.dead += other.dead;
    this.sumH += other.sumH;
    this.massH += other.massH;
    for (let t = 0; t < this.T; t++) {
      this.taskMass[t] += other.taskMass[t]!;
      this.taskH[t] += other.taskH[t]!;
    }
    for (let p = 0; p < this.pairs.count; p++) {
      this.pairMass[p] += other.pairMass[p]!;
      this.pairH[p] += other.pairH[p]!;
    }
  }

  reset(): void {
    this.live = this.dead = this.sumH = this.massH = 0;
    this.taskMass.fill(0);
    this.taskH.fill(0);
    this.pairMass.fill(0);
    this.pairH.fill(0);
  }
}
