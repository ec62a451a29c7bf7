import { clamp01 } from './entropy.js';
import type { FdSums } from './sums.js';

/** The FD scores of one capture (docs/metrics.md §4). NaN where a score is undefined. */
export interface FdScores {
  fd: number;
  fd_mass: number;
  /** per task; NaN when M_t = 0 */
  fd_task: number[];
  /** T x T, symmetric, diagonal 1; NaN for a pair with no live unit */
  fd_pair: number[][];
  /** units scored (live + dead); under nonFinite 'skip', skipped elements are not element units */
  units: number;
  dead_units: number;
  /** elements left out under nonFinite 'skip' (0 otherwise) */
  skipped: number;
}

/** Scores from finished sums. */
export function fdFromSums(sums: FdSums, skipped = 0): FdScores {
  const { T, pairs } = sums;
  let M = 0;
  for (let t = 0; t < T; t++) M += sums.taskMass[t]!;
  const fd_task: number[] = [];
  for (let t = 0; t < T; t++) {
    const Mt = sums.taskMass[t]!;
    fd_task.push(Mt > 0 ? clamp01(1 - sums.taskH[t]! / Mt) : NaN);
  }
  const fd_pair: number[][] = Array.from({ length: T }, (_, i) => Array.from({ length: T }, (_, j) => (i === j ? 1 : NaN)));
  for (let p = 0; p < pairs.count; p++) {
    const w = sums.pairMass[p]!;
    const v = w > 0 ? clamp01(1 - sums.pairH[p]! / w) : NaN;
    fd_pair[pairs.a[p]!]![pairs.b[p]!] = v;
    fd_pair[pairs.b[p]!]![pairs.a[p]!] = v;
  }
  return {
    fd: sums.live > 0 ? clamp01(1 - sums.sumH / sums.live) : NaN,
    fd_mass: M > 0 ? clamp01(1 - sums.massH / M) : NaN,
    fd_task,
    fd_pair,
    units: sums.live + sums.dead,
    dead_units: sums.dead,
    skipped,
  };
}
