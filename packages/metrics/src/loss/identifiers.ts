/**
 * Loss-based identifiers of one run (docs/metrics.md §6). Rows of `L` are the
 * captures k = 0, 1, ... in step order, columns the tasks; NaN marks a missing
 * loss. Every output is K x T with NaN where the formula is undefined (a missing
 * or zero reference loss, k < 2 for dwa; loss_share at a capture with a negative loss).
 */
export interface LossIdentifiers {
  loss_ratio: number[][];
  rel_rate: number[][];
  loss_share: number[][];
  dwa: number[][];
}

export function lossIdentifiers(L: readonly (readonly number[])[]): LossIdentifiers {
  const K = L.length;
  const T = L[0]?.length ?? 0;
  const loss_ratio: number[][] = [];
  const rel_rate: number[][] = [];
  const loss_share: number[][] = [];
  const dwa: number[][] = [];
  for (let k = 0; k < K; k++) {
    const row = L[k]!;
    const ratio = row.map((v, t) => ratio0(v, L[0]![t]!));
    const meanRatio = ratio.reduce((s, v) => s + v, 0) / T;
    const total = row.reduce((s, v) => s + v, 0);
    // a share is a part of a whole only when no part is negative: keeps loss_share in [0, 1]
    const shareable = row.every((v) => v >= 0);
    loss_ratio.push(ratio);
    rel_rate.push(ratio.map((v) => ratio0(v, meanRatio)));
    loss_share.push(row.map((v) => (shareable ? ratio0(v, total) : NaN)));
    dwa.push(k < 2 ? row.map(() => NaN) : dwaWeights(L[k - 1]!, L[k - 2]!));
  }
  return { loss_ratio, rel_rate, loss_share, dwa };
}

/** Dynamic Weight Average at temperature 2: T exp(w_t / 2) / sum_s exp(w_s / 2), w_t = prev_t / prev2_t. */
export function dwaWeights(prev: readonly number[], prev2: readonly number[], temperature = 2): number[] {
  const T = prev.length;
  const w = prev.map((v, t) => ratio0(v, prev2[t]!) / temperature);
  const m = w.reduce((acc, v) => Math.max(acc, v), -Infinity);
  if (!Number.isFinite(m)) return w.map(() => NaN);
  // shifting by the max changes nothing mathematically and keeps exp finite
  const e = w.map((v) => Math.exp(v - m));
  const Z = e.reduce((s, v) => s + v, 0);
  return e.map((v) => (T * v) / Z);
}

/** a / b, NaN unless both are finite and b != 0. */
function ratio0(a: number, b: number): number {
  return Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? a / b : NaN;
}
