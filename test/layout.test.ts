import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The layout rules of ARCHITECTURE.md, checked on the sources: data flows one way, so a
// package imports only packages below it; the format and the maths know no tfjs, no
// charts and no threads; libraries never import the CLI.
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ORDER = ['capture', 'metrics', 'sweep', 'diagnose', 'hooks', 'plots', 'cli'] as const;
/** What each package may not import at all, beyond the packages above it. */
const FORBIDDEN: Record<string, RegExp> = {
  capture: /^(@tensorflow\/|vega|@resvg\/|node:worker_threads$|worker_threads$|ml-matrix$|arquero$)/,
  metrics: /^(@tensorflow\/|vega|@resvg\/|node:worker_threads$|worker_threads$)/,
  sweep: /^(@tensorflow\/|vega|@resvg\/)/,
  diagnose: /^(@tensorflow\/|vega|@resvg\/|node:worker_threads$|worker_threads$)/,
  plots: /^(@tensorflow\/)/,
};

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : name.endsWith('.ts') ? [path] : [];
  });
}

function importsOf(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/(?:^|\s)(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)) out.push((m[1] ?? m[2])!);
  return out;
}

describe('package layout', () => {
  for (const pkg of ORDER) {
    const files = sources(join(ROOT, 'packages', pkg, 'src'));
    const below = ORDER.slice(0, ORDER.indexOf(pkg));

    it(`${pkg} imports only the packages below it${FORBIDDEN[pkg] ? ', and none of what it must not know' : ''}`, () => {
      const problems: string[] = [];
      for (const file of files) {
        for (const spec of importsOf(readFileSync(file, 'utf8'))) {
          const rel = file.slice(ROOT.length);
          const own = /^@mtl-fd\/([a-z]+)/.exec(spec);
          if (own && own[1] !== pkg && !below.includes(own[1] as (typeof ORDER)[number])) problems.push(`${rel}: imports @mtl-fd/${own[1]}, which is not below ${pkg}`);
          if (own && own[1] === pkg) problems.push(`${rel}: imports its own package by name`);
          if (FORBIDDEN[pkg]?.test(spec)) problems.push(`${rel}: imports ${spec}`);
          if (spec.startsWith('.') && /\/(?:\.\.\/)*\.\.\/\.\.\//.test(`/${spec}`) && !join(file, '..', spec).startsWith(join(ROOT, 'packages', pkg, 'src'))) {
            problems.push(`${rel}: reaches outside its package with ${spec}`);
          }
        }
      }
      expect(problems).toEqual([]);
    });
  }

  it('every package index names its exports (no export *)', () => {
    const star = ORDER.filter((pkg) => /^export \*/m.test(readFileSync(join(ROOT, 'packages', pkg, 'src', 'index.ts'), 'utf8')));
    expect(star).toEqual([]);
  });
});
