import { displayName, removeDeadTempDirectories, replaceDirectory, tempPathFor, UserError } from '@mtl-fd/capture';
import { copyFile, cp, link, lstat, mkdir, readdir, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { buildCharts } from '../charts/index.js';
import { runsOf } from '../data.js';
import { parseRanking } from '../ranking.js';
import { renderSvg, svgToPng } from '../render.js';
import { CHART_IDS, type ReportInput, type ReportResult } from '../types.js';
import { safeFinding, safeOptions, safeRanking, safeRows, safeTable } from './displaySafe.js';
import { reportHtml } from './html.js';
import { summarize } from './summary.js';

/** The names a report writes: index.html and each chart's `<id>.{vl.json,svg,png}`. */
const REPORT_FILES = new Set(['index.html', ...CHART_IDS.flatMap((id) => [`${id}.vl.json`, `${id}.svg`, `${id}.png`])]);

/**
 * Writes the report as the directory `outDir`: per drawn chart `<id>.vl.json`, `<id>.svg`
 * and `<id>.png`, then a self-contained `index.html` (findings first, options, interactive
 * charts, summary table). The whole directory is made under a temporary name beside
 * `outDir` and renamed into place (replaceDirectory), so a failure or a kill leaves the
 * previous report as it was, never a half-written one (a killed writer's temporary
 * directory goes at the next report). Files of the user's in an older
 * report directory are kept (hard-linked, else copied, into the new one); files of charts
 * not drawn this time go. Names are shown with displayName. Throws a UserError for an empty
 * table, and for an `outDir` that is a symbolic link or not a directory.
 */
export async function writeReport(outDir: string, input: ReportInput): Promise<ReportResult> {
  const rows = safeRows(input.rows ?? []);
  if (rows.length === 0) throw new UserError('nothing to plot: the metrics table has no rows');
  const ranking = input.ranking === undefined ? undefined : parseRanking(input.ranking).map(safeRanking);
  const target = resolve(outDir);
  const old = await existingReportDir(target);
  const charts = buildCharts(rows, { step: input.step, ranking });
  const runs = runsOf(rows);

  await mkdir(dirname(target), { recursive: true });
  await removeDeadTempDirectories(target); // what a killed earlier plot left half-written
  const temp = tempPathFor(target);
  await mkdir(temp);
  try {
    const written: ReportResult['charts'] = [];
    for (const chart of charts) {
      if (!chart.spec) continue;
      const svg = await renderSvg(chart.spec, input.onWarning);
      await writeFile(join(temp, `${chart.id}.vl.json`), `${JSON.stringify(chart.spec, null, 2)}\n`);
      await writeFile(join(temp, `${chart.id}.svg`), svg);
      await writeFile(join(temp, `${chart.id}.png`), svgToPng(svg, { scale: input.pngScale }));
      written.push({ id: chart.id, spec: join(target, `${chart.id}.vl.json`), svg: join(target, `${chart.id}.svg`), png: join(target, `${chart.id}.png`) });
    }
    const html = reportHtml({
      title: displayName(input.title ?? `mtl-fd report: ${runs.join(', ')}`),
      runs,
      charts,
      options: safeOptions(input.options),
      settings: [
        ['pairwise matrices at', input.step === undefined ? 'each run\u2019s last capture' : `the capture nearest step ${input.step}`],
        ['ranking', ranking ? `${ranking.length} identifier${ranking.length === 1 ? '' : 's'}` : 'none given'],
        ['rows in the table', String(rows.length)],
      ],
      summary: summarize(rows),
      findings: input.findings?.map(safeFinding),
      tables: input.tables?.map(safeTable),
    });
    await writeFile(join(temp, 'index.html'), html);
    if (old) await carryUserFiles(target, temp);
    await replaceDirectory(temp, target);
    return {
      index: join(target, 'index.html'),
      charts: written,
      skipped: charts.filter((c) => !c.spec).map((c) => ({ id: c.id, reason: c.unavailable ?? 'no data' })),
    };
  } catch (err) {
    await rm(temp, { recursive: true, force: true }).catch(() => undefined);
    throw err;
  }
}

/** Whether `target` is an existing directory to replace; a symlink or a file there is refused. */
async function existingReportDir(target: string): Promise<boolean> {
  const st = await lstat(target).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw err;
  });
  if (st === undefined) return false;
  if (st.isSymbolicLink()) {
    throw new UserError(`${target}: is a symbolic link; the report is not written through it (remove the link, or give --out a real directory)`);
  }
  if (!st.isDirectory()) throw new UserError(`${target}: exists and is not a directory; the report is a directory`);
  return true;
}

/**
 * Puts what the old report directory holds besides the report's own files into the new
 * one: hard links (copies where the file system has none; symlinks as symlinks), so the
 * old directory keeps every file until the new one has replaced it.
 */
async function carryUserFiles(from: string, to: string): Promise<void> {
  for (const name of await readdir(from)) {
    if (REPORT_FILES.has(name)) continue;
    const src = join(from, name);
    const dst = join(to, name);
    const st = await lstat(src);
    if (st.isSymbolicLink()) await symlink(await readlink(src), dst);
    else if (st.isDirectory()) await cp(src, dst, { recursive: true, verbatimSymlinks: true });
    else await link(src, dst).catch(() => copyFile(src, dst));
  }
}
