/** Relative spread under which values count as one value: far below float32 resolution (~1e-7), far above float64 rounding (~1e-16). */
export const SAME_VALUE_TOLERANCE = 1e-12;

/**
 * True when all values are equal up to rounding: max - min <= 1e-12 * max |v|. A
 * mean of per-task values that is 1 by construction comes out 1 +- 2e-16, and a
 * tau-b of that noise means nothing.
 */
export function sameForAllRuns(values: readonly number[]): boolean {
  if (values.length === 0) return true;
  let lo = Infinity;
  let hi = -Infinity;
  let scale = 0;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
    scale = Math.max(scale, Math.abs(v));
  }
  return hi - lo <= SAME_VALUE_TOLERANCE * scale;
}
