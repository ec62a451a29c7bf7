/** Task pairs a < b in row-major order: (0,1), (0,2), ..., (1,2), ... */
export interface TaskPairs {
  count: number;
  a: Int32Array;
  b: Int32Array;
}

export function taskPairs(T: number): TaskPairs {
  const count = (T * (T - 1)) / 2;
  const a = new Int32Array(count);
  const b = new Int32Array(count);
  let p = 0;
  for (let i = 0; i < T; i++) {
    for (let j = i + 1; j < T; j++) {
      a[p] = i;
      b[p] = j;
      p++;
    }
  }
  return { count, a, b };
}

/** Index of pair (a, b), a < b, in `taskPairs(T)` order. */
export function pairIndex(T: number, a: number, b: number): number {
  return a * T - (a * (a + 1)) / 2 + (b - a - 1);
}
