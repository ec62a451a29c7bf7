/**
 * Kendall's tau-b between x and y, ties handled (Knight's O(n log n) algorithm, as
 * in scipy): (n0 - n1 - n2 + n3 - 2 D) / sqrt((n0 - n1)(n0 - n2)), with n0 all
 * pairs, n1 / n2 pairs tied in x / y, n3 tied in both, D discordant pairs.
 * NaN when fewer than 2 values or when x or y is constant. Values must be finite.
 */
export function kendallTauB(x: readonly number[], y: readonly number[]): number {
  const n = x.length;
  if (y.length !== n) throw new RangeError(`kendallTauB: ${n} x values but ${y.length} y values`);
  if (n < 2) return NaN;
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => x[i]! - x[j]! || y[i]! - y[j]!);
  const n0 = (n * (n - 1)) / 2;
  let n1 = 0;
  let n3 = 0;
  for (let i = 0; i < n; ) {
    let j = i + 1;
    while (j < n && x[order[j]!] === x[order[i]!]) j++;
    n1 += ((j - i) * (j - i - 1)) / 2;
    // within an x-tie group y is sorted, so joint ties are runs
    for (let k = i; k < j; ) {
      let l = k + 1;
      while (l < j && y[order[l]!] === y[order[k]!]) l++;
      n3 += ((l - k) * (l - k - 1)) / 2;
      k = l;
    }
    i = j;
  }
  const ys = order.map((i) => y[i]!);
  const discordant = countInversions(ys);
  // ys is now sorted: ties in y are runs
  let n2 = 0;
  for (let i = 0; i < n; ) {
    let j = i + 1;
    while (j < n && ys[j] === ys[i]) j++;
    n2 += ((j - i) * (j - i - 1)) / 2;
    i = j;
  }
  const den = Math.sqrt((n0 - n1) * (n0 - n2));
  if (den === 0) return NaN;
  return Math.max(-1, Math.min(1, (n0 - n1 - n2 + n3 - 2 * discordant) / den));
}

/** Pairs i < j with a[i] > a[j], counted by a merge sort that sorts `a` in place. */
function countInversions(a: number[]): number {
  const tmp = new Array<number>(a.length);
  let count = 0;
  for (let width = 1; width < a.length; width *= 2) {
    for (let lo = 0; lo < a.length; lo += 2 * width) {
      const mid = Math.min(lo + width, a.length);
      const hi = Math.min(lo + 2 * width, a.length);
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) {
        if (a[j]! < a[i]!) {
          count += mid - i;
          tmp[k++] = a[j++]!;
        } else tmp[k++] = a[i++]!;
      }
      while (i < mid) tmp[k++] = a[i++]!;
      while (j < hi) tmp[k++] = a[j++]!;
      for (let m = lo; m < hi; m++) a[m] = tmp[m]!;
    }
  }
  return count;
}
