import { EigenvalueDecomposition, Matrix } from 'ml-matrix';

/**
 * cond = sqrt(lambda_max(K) / lambda_min(K)) of a symmetric positive semidefinite
 * Gram matrix (docs/metrics.md §5); +Infinity when lambda_min <= 0. An eigenvalue
 * below T * eps * lambda_max is rounding noise of a singular K (the rank cut-off
 * numpy's matrix_rank uses) and counts as 0. NaN when K holds a non-finite value.
 */
export function conditionNumber(K: ArrayLike<number>, T: number): number {
  const rows: number[][] = [];
  for (let a = 0; a < T; a++) {
    const row: number[] = [];
    for (let b = 0; b < T; b++) {
      const v = K[a * T + b]!;
      if (!Number.isFinite(v)) return NaN;
      row.push(v);
    }
    rows.push(row);
  }
  const eig = new EigenvalueDecomposition(new Matrix(rows), { assumeSymmetric: true });
  const values = eig.realEigenvalues;
  const max = values.reduce((acc, v) => Math.max(acc, v), -Infinity);
  const min = values.reduce((acc, v) => Math.min(acc, v), Infinity);
  if (!(max > 0)) return Infinity;
  if (min <= max * T * Number.EPSILON) return Infinity;
  return Math.sqrt(max / min);
}
