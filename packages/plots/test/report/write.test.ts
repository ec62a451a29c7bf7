import { UserError } from '@mtl-fd/capture';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildCharts } from '../../src/charts/index.js';
import { renderSvg } from '../../src/render.js';
import { writeReport } from '../../src/report/write.js';
import { CHART_IDS } from '../../src/types.js';
import { finding, fixtureRanking, fixtureRows } from '../fixtures.js';

const tmp = mkdtempSync(join(tmpdir(), 'mtl-fd-plots-report-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('writeReport', () => {
  it('writes a spec, an SVG and a PNG per chart and index.html, replacing stale chart files, with no temporary file left', async () => {
    const out = join(tmp, 'full');
    const first = await writeReport(out, {
      rows: fixtureRows(),
      options: { saliency: 'grad', granularity: 'channel', temperature: 0.5 },
      ranking: fixtureRanking,
      findings: [finding({})],
      step: 200,
      pngScale: 1,
      tables: [{ id: 'results', title: 'Held-out results', columns: ['run', 'acc'], rows: [['ew', 0.9]] }],
    });
    expect(first.charts.map((c) => c.id)).toEqual([...CHART_IDS]);
    expect(first.skipped).toEqual([]);
    expect(readdirSync(out).sort()).toEqual([...CHART_IDS.flatMap((id) => [`${id}.png`, `${id}.svg`, `${id}.vl.json`]), 'index.html'].sort());
    for (const c of first.charts) {
      expect(JSON.parse(readFileSync(c.spec, 'utf8')).$schema).toMatch(/vega-lite\/v6/);
      const svg = readFileSync(c.svg, 'utf8');
      expect(svg).toMatch(/^<svg/);
      const png = readFileSync(c.png);
      expect(png.subarray(1, 4).toString()).toBe('PNG');
      expect(png.readUInt32BE(16)).toBe(Number(/width="(\d+)"/.exec(svg)![1])); // pngScale 1
    }
    const html = readFileSync(first.index, 'utf8');
    expect(html).toContain('the capture nearest step 200');
    expect(html).toContain('<th>granularity</th><td><code>channel</code>');
    expect(html).toContain('<section class="result-table" id="table-results"><h2>Held-out results</h2>');

    // again with one task: no pair charts, no ranking; their old files go, a file of the user's stays
    writeFileSync(join(out, 'notes.txt'), 'mine');
    const second = await writeReport(out, { rows: fixtureRows({ tasks: ['solo'] }), pngScale: 1 });
    expect(second.skipped.map((s) => s.id)).toEqual(['pair-fd', 'pair-fd-evolution', 'pair-grad-cos', 'pair-grad-cos-evolution', 'pair-param-cos-evolution', 'ranking-similarity']);
    expect(second.skipped[0]!.reason).toMatch(/no fd_pair rows/);
    const files = readdirSync(out);
    expect(files.filter((f) => f.startsWith('pair-') || f.startsWith('ranking-'))).toEqual([]);
    expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(files).toContain('notes.txt');
    expect(readFileSync(second.index, 'utf8')).toContain('Not drawn: no ranking given');
    expect(readFileSync(second.index, 'utf8')).not.toContain('id="table-results"');
  });

  it('draws edge-case tables without error: one capture, one pair, nulls, runs of different lengths', async () => {
    const tables = {
      one: fixtureRows({ runs: [{ name: 'one', steps: [10], skew: 0 }] }),
      pair: fixtureRows({ tasks: ['a', 'b'] }),
      // nulls and NaN at two of the four captures
      nulls: fixtureRows().map((r, i) => (r.step === 100 && i % 2 ? { ...r, value: null } : r.step === 200 && i % 3 === 0 ? { ...r, value: Number.NaN } : r)),
      ragged: fixtureRows({
        runs: [
          { name: 'long', steps: [0, 100, 200, 300, 400, 500], skew: 0 },
          { name: 'short', steps: [0, 250], skew: 1 },
        ],
      }),
    };
    for (const rows of Object.values(tables)) {
      const charts = buildCharts(rows, { step: 120 });
      expect(charts.filter((c) => c.spec).map((c) => c.id)).toEqual(CHART_IDS.filter((id) => id !== 'ranking-similarity'));
      for (const c of charts) if (c.spec) expect(await renderSvg(c.spec)).toMatch(/^<svg/);
    }
    const res = await writeReport(join(tmp, 'edge-one'), { rows: tables.one, pngScale: 1 });
    expect(readFileSync(res.index, 'utf8')).toContain('last step 10');
  });

  it('refuses an empty table with a clear message and writes nothing', async () => {
    await expect(writeReport(join(tmp, 'empty'), { rows: [] })).rejects.toThrow(UserError);
    await expect(writeReport(join(tmp, 'empty'), { rows: [] })).rejects.toThrow('nothing to plot: the metrics table has no rows');
    expect(existsSync(join(tmp, 'empty'))).toBe(false);
  });

  it('checks the ranking it is given', async () => {
    await expect(writeReport(join(tmp, 'bad-rank'), { rows: fixtureRows(), ranking: [{ identifier: '', results: [] }] })).rejects.toThrow(
      /'identifier' must be a non-empty string/,
    );
  });
});
