import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { RankingTable } from '@mtl-fd/metrics';
import type { RunSummary } from '../src/demo/runSummary.js';
import { reportTables, resultTables } from '../src/demo/resultTables.js';

const summaryFile = fileURLToPath(new URL('../../../fixtures/demo/summary.json', import.meta.url));

describe('resultTables', async () => {
  const s = JSON.parse(await readFile(summaryFile, 'utf8')) as { runs: RunSummary[]; ranking: RankingTable; options: { testSize: number } };

  it('builds the results table (one row per run) and the ranking table from the demo summary', () => {
    const t = resultTables({ runs: s.runs, ranking: s.ranking, testSize: s.options.testSize, at: 'mean' });
    expect(t.results.header.slice(0, 2)).toEqual(['run', 'method']);
    expect(t.results.header).toContain('Delta m maninis %');
    expect(t.results.rows.map((r) => r[0])).toEqual(s.runs.map((r) => r.name));
    for (const row of t.results.rows) expect(row).toHaveLength(t.results.header.length);
    expect(t.results.note).toContain(`Held-out results (${s.options.testSize} MultiMNIST pairs`);
    expect(t.ranking!.header.slice(0, 2)).toEqual(['identifier', 'predicts']);
    const labels = t.ranking!.rows.map((r) => r[0]);
    for (const l of ['fd', 'fd_task [left]', 'fd_task [mean of tasks]', 'grad_gms [left, right]', 'rel_rate [mean of tasks]']) expect(labels).toContain(l);
    expect(t.ranking!.note).toContain('identifier value: mean over captures');
    // a cell: tau-b and its exact p-value (6 runs); rel_rate over the tasks is n/a by rule, with the reason in the note
    const fd = t.ranking!.rows.find((r) => r[0] === 'fd')!;
    const cell = s.ranking.cells.find((c) => c.identifier === 'fd' && c.perf_metric === 'left_acc')!;
    expect(fd[2]).toBe(`${cell.tau_b! >= 0 ? '+' : ''}${cell.tau_b!.toFixed(2)} p=${cell.p_value!.toFixed(3)}${cell.p_value! < 0.05 ? '*' : ''}`);
    const rel = t.ranking!.rows.find((r) => r[0] === 'rel_rate [mean of tasks]')!;
    expect(rel.slice(2)).toEqual(['', '', '', 'n/a']);
    expect(t.ranking!.note).toContain('rel_rate [mean of tasks]: rel_rate averaged over the tasks is 1 for every run by construction');
    expect(t.ranking!.note).toContain('exact over the 6! orderings');
    const tables = reportTables(t);
    expect(tables.map((x) => x.id)).toEqual(['results', 'ranking']);
    expect(tables[0]!.rows).toBe(t.results.rows);
  });

  it('has no ranking table without a ranking', () => {
    const t = resultTables({ runs: s.runs, ranking: null, testSize: 10, at: 'final' });
    expect(t.ranking).toBeUndefined();
    expect(reportTables(t).map((x) => x.id)).toEqual(['results']);
  });
});
