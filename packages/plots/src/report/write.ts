import { UserError, writeFileAtomic } from '@mtl-fd/capture';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { buildCharts } from '../charts/index.js';
import { runsOf } from '../data.js';
import { parseRanking } from '../ranking.js';
import { renderSvg, svgToPng } from '../render.js';
import { CHART_IDS, type ReportInput, type ReportResult } from '../types.js';
import { reportHtml } from './html.js';
import { summarize } from './summary.js';

/**
 * Writes the report into `outDir` (created if needed): per drawn chart `<id>.vl.json`, `<id>.svg`
 * and `<id>.png`, then a self-contained `index.html` (findings first, options, interactive charts,
 * summary table). Every file is written to a temporary name and renamed. Files of charts not drawn
 * this time (left from an earlier report) are removed. Throws a UserError for an empty table.
 */
export async function writeReport(outDir: string, input: ReportInput): Promise<ReportResult> {
  const rows = input.rows ?? [];
  if (rows.length === 0) throw new UserError('nothing to plot: the metrics table has no rows');
  const ranking = input.ranking === undefined ? undefined : parseRanking(input.ranking);
  const charts = buildCharts(rows, { step: input.step, ranking });
  const runs = runsOf(rows);
  const dir = resolve(outDir);
  await mkdir(dir, { recursive: true });

  const written: ReportResult['charts'] = [];
  for (const chart of charts) {
    if (!chart.spec) continue;
    const files = {
      id: chart.id,
      spec: join(dir, `${chart.id}.vl.json`),
      svg: join(dir, `${chart.id}.svg`),
      png: join(dir, `${chart.id}.png`),
    };
    const svg = await renderSvg(chart.spec, input.onWarning);
    await writeFileAtomic(files.spec, `${JSON.stringify(chart.spec, null, 2)}\n`);
    await writeFileAtomic(files.svg, svg);
    await writeFileAtomic(files.png, svgToPng(svg, { scale: input.pngScale }));
    written.push(files);
  }
  await removeStale(dir, new Set(written.map((w) => w.id)));

  const html = reportHtml({
    title: input.title ?? `mtl-fd report: ${runs.join(', ')}`,
    runs,
    charts,
    options: input.options,
    settings: [
      ['pairwise matrices at', input.step === undefined ? 'each run\u2019s last capture' : `the capture nearest step ${input.step}`],
      ['ranking', ranking ? `${ranking.length} identifier${ranking.length === 1 ? '' : 's'}` : 'none given'],
      ['rows in the table', String(rows.length)],
    ],
    summary: summarize(rows),
    findings: input.findings,
    tables: input.tables,
  });
  const index = join(dir, 'index.html');
  await writeFileAtomic(index, html);
  return {
    index,
    charts: written,
    skipped: charts.filter((c) => !c.spec).map((c) => ({ id: c.id, reason: c.unavailable ?? 'no data' })),
  };
}

/** Removes `<id>.{vl.json,svg,png}` of known charts that this report did not draw. */
async function removeStale(dir: string, drawn: Set<string>): Promise<void> {
  const names = new Set(await readdir(dir));
  for (const id of CHART_IDS) {
    if (drawn.has(id)) continue;
    for (const ext of ['vl.json', 'svg', 'png']) {
      const name = `${id}.${ext}`;
      if (names.has(name)) await rm(join(dir, name), { force: true });
    }
  }
}
