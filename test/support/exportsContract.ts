import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script of the repository, without type declarations
import { apiSection } from '../../scripts/api-reference.mjs';

/**
 * The contract every package's exports test checks (as ml-matrix's exports test does):
 * the index exports exactly `values`, and the package README's API reference is the one
 * `scripts/api-reference.mjs` generates from that index today.
 */
export function describeExports(pkg: string, api: object, values: readonly string[]): void {
  describe(`@mtl-fd/${pkg} exports`, () => {
    it('exports exactly its documented values', () => {
      expect(Object.keys(api).sort()).toEqual([...values]);
    });

    it('documents every export in its README (API reference, up to date)', () => {
      const readme = readFileSync(new URL(`../../packages/${pkg}/README.md`, import.meta.url), 'utf8');
      expect(readme).toContain((apiSection as (name: string) => string)(pkg));
    });
  });
}
