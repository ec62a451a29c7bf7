import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LAYOUT_RANK, MAX_HEADER_BYTES, OPTIONAL_METADATA_KEYS, REQUIRED_METADATA_KEYS, SAFETENSORS_DTYPE_SIZES, TASK_NAME_PATTERN } from '@mtl-fd/capture';
import { DEFAULT_DIAGNOSE_OPTIONS, DIAGNOSE_OPTION_SPECS, FINDING_KINDS } from '@mtl-fd/diagnose';
import { IDENTIFIER_DIRECTIONS, METRIC_ORDER } from '@mtl-fd/metrics';
import { checkCitations, CITED_DOCS, outlineOf, type CitationProblem, type DocOutline } from './support/docCitations.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** What is scanned for citations: the packages, the root README, the notebooks, the docs, benches and fixtures. */
const SCANNED = ['packages', 'README.md', 'notebooks', 'docs', 'bench', 'fixtures'];
const TEXT_FILE = /\.(ts|mts|cts|js|mjs|cjs|md|py|ipynb)$/;
const SKIPPED_DIRS = new Set(['node_modules', 'dist']);

/** Text files under a repository path, as repository paths with `/` separators. */
function textFiles(repoPath: string): string[] {
  const abs = join(ROOT, repoPath);
  if (!existsSync(abs)) return [];
  if (statSync(abs).isFile()) return TEXT_FILE.test(repoPath) ? [repoPath] : [];
  const out: string[] = [];
  for (const entry of readdirSync(abs, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || SKIPPED_DIRS.has(entry.name)) continue;
    const child = `${repoPath}/${entry.name}`;
    if (entry.isDirectory()) out.push(...textFiles(child));
    else if (entry.isFile() && TEXT_FILE.test(entry.name)) out.push(child);
  }
  return out;
}

const read = (repoPath: string) => readFileSync(join(ROOT, repoPath), 'utf8');
const docs = new Map<string, DocOutline>(CITED_DOCS.map((name) => [name, outlineOf(read(`docs/${name}`))]));
const exists = (repoPath: string) => !repoPath.startsWith('..') && existsSync(join(ROOT, repoPath));
const show = (ps: CitationProblem[]) => ps.map((p) => `${p.file}:${p.line}: ${p.problem}`);

describe('citation checker', () => {
  const fake = new Map<string, DocOutline>([
    ['metrics.md', outlineOf('# Metrics\n## 1. Inputs\n## 7. Ranking Similarity\n### 7.1 Directions\n')],
    ['capture-format.md', outlineOf('# Format\n## 3. Tensors\n')],
  ]);
  const check = (file: string, text: string) => show(checkCitations(file, text, fake, (p) => p === 'docs/metrics.md' || p === 'docs/capture-format.md'));

  it('accepts docs/ citations of existing sections, ranges and links', () => {
    expect(check('packages/a/src/x.ts', '// docs/metrics.md §7 and docs/capture-format.md §3; docs/metrics.md §1-7, §7.1')).toEqual([]);
    expect(check('packages/a/src/x.ts', '/** see docs/metrics.md §1 and §7 */')).toEqual([]);
    expect(check('packages/a/README.md', '[docs/metrics.md §7](../../docs/metrics.md#7-ranking-similarity)')).toEqual([]);
    expect(check('docs/metrics.md', 'as [§7](#7-ranking-similarity) and [capture-format.md §3](capture-format.md#3-tensors); see §1')).toEqual([]);
  });

  it('flags a document named without docs/', () => {
    expect(check('packages/a/src/x.ts', '// metrics.md section 7')).toEqual([
      "packages/a/src/x.ts:1: cites metrics.md; cite the project's reference as docs/metrics.md",
    ]);
    expect(check('README.md', 'see `capture-format.md`')).toHaveLength(1);
  });

  it('flags a section the cited document does not have', () => {
    expect(check('packages/a/src/x.ts', 'x\n// docs/metrics.md §9')).toEqual([
      'packages/a/src/x.ts:2: cites docs/metrics.md §9, which is no section of docs/metrics.md',
    ]);
    expect(check('packages/a/src/x.ts', '// docs/metrics.md sections 1-4')).toHaveLength(1);
    expect(check('packages/a/src/x.ts', '// docs/capture-format.md §7')).toHaveLength(1);
    expect(check('docs/metrics.md', 'see §4')).toHaveLength(1);
  });

  it('flags a section number that names no document', () => {
    expect(check('packages/a/src/x.ts', '// as in section 7')).toHaveLength(1);
    expect(check('packages/a/src/x.ts', '// (§7)')).toHaveLength(1);
  });

  it('flags links to missing files, missing anchors and anchors of another section', () => {
    expect(check('packages/a/README.md', '[m](../docs/metrics.md)')).toHaveLength(1);
    expect(check('packages/a/README.md', '[m](../../docs/metrics.md#8-delta-m)')).toHaveLength(1);
    expect(check('packages/a/README.md', '[docs/metrics.md §1](../../docs/metrics.md#7-ranking-similarity)')).toHaveLength(1);
  });
});

describe('the repository cites its own reference documents', () => {
  const files = SCANNED.flatMap(textFiles);

  it('scans the packages, the README, the notebooks and the docs', () => {
    expect(files).toContain('README.md');
    expect(files).toContain('docs/metrics.md');
    expect(files.filter((f) => f.startsWith('packages/')).length).toBeGreaterThan(100);
    expect(files.some((f) => f.startsWith('notebooks/'))).toBe(true);
  });

  it('numbers the sections of both documents', () => {
    expect([...docs.get('metrics.md')!.sections].filter((s) => !s.includes('.'))).toEqual(Array.from({ length: 12 }, (_, i) => String(i + 1)));
    expect(docs.get('capture-format.md')!.sections.size).toBeGreaterThanOrEqual(13);
  });

  it('every citation names docs/<document> and a section that exists there', () => {
    const problems = files.flatMap((f) => checkCitations(f, read(f), docs, exists));
    expect(show(problems)).toEqual([]);
  });
});

describe('docs/metrics.md agrees with the code', () => {
  const metrics = read('docs/metrics.md');
  const section = (n: number) => metrics.slice(metrics.indexOf(`\n## ${n}. `), metrics.indexOf(`\n## ${n + 1}. `) >>> 0);

  it('§12 lists every diagnose threshold with its flag and default, in the code order', () => {
    const rows = [...section(12).matchAll(/^\| `(\w+)` \| `--([\w-]+)` \| ([^|]+) \|/gm)].map((m) => [m[1], m[2], Number(m[3]!.trim())]);
    expect(rows).toEqual(DIAGNOSE_OPTION_SPECS.map((s) => [s.name, s.flag, DEFAULT_DIAGNOSE_OPTIONS[s.name]]));
  });

  it('§12 lists every finding kind, in the code order', () => {
    const kinds = [...section(12).matchAll(/^\| `(\w+)` \| (critical|warning|info) \|/gm)].map((m) => m[1]);
    expect(kinds).toEqual([...FINDING_KINDS]);
  });

  it('§10 lists the metrics in the table order', () => {
    const table = section(10).slice(section(10).indexOf('| metric | task |'));
    const names = [...table.slice(0, table.indexOf('\n\n')).matchAll(/`(\w+)`/g)].map((m) => m[1]).filter((n) => METRIC_ORDER.includes(n!));
    expect(names).toEqual([...METRIC_ORDER]);
  });

  it('§7 declares the directions the code declares', () => {
    const row = (label: string) => {
      const line = section(7).split('\n').find((l) => l.startsWith(`| ${label} |`))!;
      return [...line.matchAll(/`(\w+)`/g)].map((m) => m[1]!).sort();
    };
    const declared = (d: string) => Object.keys(IDENTIFIER_DIRECTIONS).filter((k) => IDENTIFIER_DIRECTIONS[k] === d).sort();
    expect(row('higher predicts better')).toEqual(declared('higher-better'));
    expect(row('higher predicts worse')).toEqual(declared('lower-better'));
  });
});

describe('docs/capture-format.md agrees with the code', () => {
  const format = read('docs/capture-format.md');
  const section = (n: number) => format.slice(format.indexOf(`\n## ${n}. `), format.indexOf(`\n## ${n + 1}. `) >>> 0);

  it('§2 lists every dtype the container knows, with its size', () => {
    const table = section(2).slice(section(2).indexOf('| dtype | bytes |'));
    const pairs = [...table.slice(0, table.indexOf('\n\n')).matchAll(/`(\w+)` \| (\d+)/g)].map((m) => [m[1], Number(m[2])]);
    expect(new Map(pairs as [string, number][])).toEqual(new Map(SAFETENSORS_DTYPE_SIZES));
  });

  it('§2 and §7 state the header limit the reader applies', () => {
    const limit = MAX_HEADER_BYTES.toLocaleString('en-US');
    expect(section(2)).toContain(limit);
    expect(section(7)).toContain(limit);
  });

  it('§4 lists the required and optional metadata keys', () => {
    const keys = (required: string) =>
      [...section(4).matchAll(new RegExp(`^\\| \`(\\w+)\` \\|.*\\| ${required} \\|$`, 'gm'))].map((m) => m[1]);
    expect(keys('yes')).toEqual([...REQUIRED_METADATA_KEYS]);
    expect(keys('no')).toEqual([...OPTIONAL_METADATA_KEYS]);
  });

  it('§5 gives the task-name pattern and §6 the rank of every layout', () => {
    expect(section(5)).toContain(TASK_NAME_PATTERN.source);
    const ranks = [...section(6).matchAll(/^\| `(\w+)` \| (\d) \|/gm)].map((m) => [m[1], Number(m[2])]);
    expect(Object.fromEntries(ranks)).toEqual(LAYOUT_RANK);
  });
});
