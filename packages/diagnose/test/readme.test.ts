import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DIAGNOSE_OPTIONS, DIAGNOSE_OPTION_SPECS } from '../src/index.js';
import { FINDING_KINDS } from '../src/types.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const section = readme.slice(readme.indexOf('<!-- diagnose:start -->'), readme.indexOf('<!-- diagnose:end -->'));

describe('README diagnose section', () => {
  it('exists between its markers', () => {
    expect(section.length).toBeGreaterThan(100);
  });

  it('documents every threshold with its flag and current default, in spec order', () => {
    const rows = [...section.matchAll(/^\| `(\w+)` \| `--([\w-]+)` \| ([^|]+) \|/gm)].map((m) => [m[1], m[2], Number(m[3]!.trim())]);
    expect(rows).toEqual(DIAGNOSE_OPTION_SPECS.map((s) => [s.name, s.flag, DEFAULT_DIAGNOSE_OPTIONS[s.name]]));
  });

  it('documents every kind', () => {
    const kinds = [...section.matchAll(/^\| `(\w+)` \| (critical|warning|info) \|/gm)].map((m) => m[1]);
    expect(kinds).toEqual([...FINDING_KINDS]);
  });
});
