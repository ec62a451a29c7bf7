import { expect } from 'vitest';

// Tolerance matchers for the spec's "1e-6 relative" contract. null and NaN are
// the same missing value (the tidy table writes NaN as null).

type Nested = number | null | readonly Nested[];

function closeness(actual: unknown, expected: Nested, rel: number, abs: number, path: string): string | null {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) && !ArrayBuffer.isView(actual)) return `${path}: expected an array, got ${String(actual)}`;
    const a = Array.from(actual as ArrayLike<unknown>);
    if (a.length !== expected.length) return `${path}: length ${a.length}, expected ${expected.length}`;
    for (let i = 0; i < a.length; i++) {
      const m = closeness(a[i], expected[i] as Nested, rel, abs, `${path}[${i}]`);
      if (m) return m;
    }
    return null;
  }
  const missingA = actual === null || (typeof actual === 'number' && Number.isNaN(actual));
  const missingE = expected === null || Number.isNaN(expected as number);
  if (missingA || missingE) return missingA === missingE ? null : `${path}: got ${String(actual)}, expected ${String(expected)}`;
  if (typeof actual !== 'number') return `${path}: got ${String(actual)}, expected a number`;
  const e = expected as number;
  if (actual === e) return null;
  const err = Math.abs(actual - e);
  if (err <= abs || err <= rel * Math.abs(e)) return null;
  return `${path}: got ${actual}, expected ${e} (abs error ${err.toExponential(2)}, rel ${(err / Math.abs(e)).toExponential(2)}, allowed rel ${rel} / abs ${abs})`;
}

expect.extend({
  /** number (or nested arrays of numbers) within `rel` relative or `abs` absolute error; null matches NaN */
  toBeRelClose(received: unknown, expected: Nested, rel = 1e-6, abs = 1e-12) {
    const message = closeness(received, expected, rel, abs, 'value');
    return { pass: message === null, message: () => message ?? `expected ${JSON.stringify(received)} not to be close to ${JSON.stringify(expected)}` };
  },
});

interface ToleranceMatchers<R = unknown> {
  toBeRelClose(expected: Nested, rel?: number, abs?: number): R;
}

declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface Matchers<T = any> extends ToleranceMatchers<T> {}
}

export {};
