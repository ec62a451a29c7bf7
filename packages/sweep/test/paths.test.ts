import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { join, relative, resolve, sep } from 'node:path';
import { safePathSegment } from '../src/paths.js';

describe('safePathSegment', () => {
  it('keeps plain names and rewrites anything that could leave a directory', () => {
    expect(safePathSegment('mgda-seed1')).toBe('mgda-seed1');
    expect(safePathSegment('a.b_c-d')).toBe('a.b_c-d');
    for (const name of ['..', '.', '', '../x', 'a/b', 'a\\b', '/abs', '.hidden', 'x\u0000y', 'é', 'a'.repeat(300)]) {
      const s = safePathSegment(name);
      expect(s).toMatch(/^[A-Za-z0-9_-][A-Za-z0-9_.-]*$/);
      expect(s.length).toBeLessThanOrEqual(100);
    }
    expect(safePathSegment('a/b')).not.toBe(safePathSegment('a_b'));
  });

  it('never escapes the directory it is joined to, and keeps distinct names distinct (property)', () => {
    const base = resolve('/base/dir');
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 120 }), fc.string({ unit: 'binary', maxLength: 120 }), (a, b) => {
        const p = join(base, safePathSegment(a));
        const rel = relative(base, p);
        if (rel === '' || rel.startsWith('..') || rel.includes(sep)) return false;
        return a === b || safePathSegment(a) !== safePathSegment(b);
      }),
      { numRuns: 2000 },
    );
  });
});
