import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { RankCell } from '../src/demo/analysis.js';
import type { RunSummary } from '../src/demo/runSummary.js';
import { reportTables, resultTables } from '../src/demo/resultTables.js';

const summaryFile = fileURLToPath(new URL('../../../fixtures/demo/summary.json', import.meta.url));

describe('resultTables', async () => {
  const s = JSON.parse(await readFile(summaryFile, 'utf8')) as { runs: RunSummary[]; ranking: { cells: RankCell[] }; options: { testSize: number } };

  it('builds the results table (one row per run) and the ranking table from the demo summary', () => {
    const t = resultTables({ runs: s.runs, ranking: s.ranking.cells, testSize: s.options.testSize, at: 'mean' });
    expect(t.results.header.slice(0, 2)).toEqual(['run', 'method']);
    expect(t.results.header).toContain('Delta m maninis %');
    expect(t.results.rows.map((r) => r[0])).toEqual(s.runs.map((r) => r.name));
    for (const row of t.results.rows) expect(row).toHaveLength(t.results.header.length);
    expect(t.results.note).toContain(`Held-out results (${s.options.testSize} MultiMNIST pairs`);
    expect(t.ranking!.header.slice(0, 2)).toEqual(['identifier', 'predicts']);
    expect(t.ranking!.rows.map((r) => r[0])).toContain('fd_task [task]');
    expect(t.ranking!.note).toContain('identifier value: mean over captures');
    const tables = reportTables(t);
    expect(tables.map((x) => x.id)).toEqual(['results', 'ranking']);
    expect(tables[0]!.rows).toBe(t.results.rows);
  });

  it('has no ranking table without ranking cells', () => {
    const t = resultTables({ runs: s.runs, ranking: [], testSize: 10, at: 'final' });
    expect(t.ranking).toBeUndefined();
    expect(reportTables(t).map((x) => x.id)).toEqual(['results']);
  });
});
