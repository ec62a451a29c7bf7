import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { UserError } from '@mtl-fd/capture';
import { diagnoseWithCaptures } from '@mtl-fd/diagnose';
import { DEFAULT_SCORE_OPTIONS, parseAt, rankingTable, type At, type RankingTable, type TidyRow } from '@mtl-fd/metrics';
import { parseRanking, rankingsFromCells, type Ranking, type ReportTable, writeReport } from '@mtl-fd/plots';
import type { Command } from '../command.js';
import type { CliIO } from '../io.js';
import { numberOption, parseCommandArgs, UsageError } from '../args.js';
import { distinctRunNames, loadRunTable, type LoadedRun } from '../runTables.js';
import { checkPerfRuns, readPerfFile } from '../rank/loadRankInputs.js';
import { rankingResultTable } from '../rank/reportTable.js';

const NAME = 'plot';

const USAGE = `Usage: mtl-fd plot <run dir | metrics.json | metrics.csv>... [options]

Draws the runs' tidy metrics as charts and writes a report: index.html (self-contained,
interactive, opens from disk with no network) and one .vl.json, .svg and .png per chart:
FD trajectory beside loss_ratio, rel_rate, grad_cos_mean and grad_conflict_frac; task gradient
norms, probe losses and the parameter-level identifiers (param_*); pairwise
fd_pair and grad_cos at one step and over training; task ownership (grad_norm_share);
Ranking Similarity with --perf (computed here, as \`mtl-fd rank\` does: the chart and
the table with p-values) or --rank. The findings of \`mtl-fd diagnose\` come first.

A run directory is read from its metrics.json, else its metrics.csv, else its captures/
are scored with the default score options. Prints the path of index.html.

Options:
  --out <dir>      where to write (default <run dir>/report for one run,
                   ./mtl-fd-report for several); the directory is replaced whole
                   once the new report is complete (other files in it are kept);
                   a symbolic link there is refused
  --perf <csv>     test results (run,metric,value,direction[,task], as for mtl-fd rank):
                   the report gets the Ranking Similarity table of every identifier
                   (tau-b, rho, permutation p-value; n/a by rule) and its chart
  --at <final|mean|step>  with --perf: a run's identifier value (default mean)
  --rank <json>    instead of --perf: the JSON of \`mtl-fd rank --identifier ... --format
                   json\` (one object or an array); repeat for several files
  --step <n>       step of the pairwise matrices: each run's capture nearest to it
                   (default each run's last capture)
  --title <text>   page title (default "mtl-fd report: <runs>")
  --weighted       score and diagnose the gradients as the method weighted them
                   (w_t * g_t, from the captures' weight.<task>); the report says
                   which view it shows
  --no-diagnose    leave out the Findings section (default: diagnose the runs with
                   the default thresholds, as \`mtl-fd diagnose\` does)
`;

/** The options to show: the shared ones, or each argument's when they differ. */
function reportOptions(loaded: readonly LoadedRun[]): Record<string, unknown> | undefined {
  const recorded = loaded.filter((l) => l.options !== undefined);
  if (recorded.length === 0) return undefined;
  const same = recorded.length === loaded.length && recorded.every((l) => JSON.stringify(l.options) === JSON.stringify(recorded[0]!.options));
  if (same) return recorded[0]!.options;
  return Object.fromEntries(loaded.map((l) => [l.arg, l.options ?? 'not recorded']));
}

async function readRankings(files: readonly string[], cwd: string): Promise<Ranking[] | undefined> {
  if (files.length === 0) return undefined;
  const all: Ranking[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(resolve(cwd, file), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new UserError(`--rank ${file}: no such file`);
      throw err;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      throw new UserError(`--rank ${file}: not valid JSON (${(err as Error).message})`);
    }
    for (const item of parseRanking(json, file)) all.push(item);
  }
  return all;
}

/** The Ranking Similarity table of the plotted runs against `--perf`, read `at`. */
async function rankingFor(io: CliIO, perfFile: string, rows: readonly TidyRow[], at: At): Promise<RankingTable> {
  const perf = await readPerfFile(io, perfFile);
  const runs = [...new Set(rows.map((r) => r.run))];
  checkPerfRuns(io, NAME, perfFile, perf, runs);
  if (runs.length < 2) throw new UserError(`--perf ${perfFile}: ranking needs at least 2 runs (got ${runs.length})`);
  let table: RankingTable;
  try {
    table = rankingTable(rows, perf, { at: [at], runs });
  } catch (err) {
    if (err instanceof UserError) throw new UserError(`${perfFile}: ${err.message}`);
    throw err;
  }
  if (table.cells.length === 0) throw new UserError(`--perf ${perfFile}: no identifier with a declared direction in the runs, or no test metric to rank them against`);
  return table;
}

function strings(value: unknown): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
}

export const plotCommand: Command = {
  name: NAME,
  usage: USAGE,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, {
      out: { type: 'string' },
      rank: { type: 'string', multiple: true },
      perf: { type: 'string' },
      at: { type: 'string' },
      step: { type: 'string' },
      title: { type: 'string' },
      'no-diagnose': { type: 'boolean' },
      weighted: { type: 'boolean' },
    });
    const scoreOptions = values.weighted === true ? { ...DEFAULT_SCORE_OPTIONS, weighted: true } : undefined;
    if (positionals.length === 0) throw new UsageError('give at least one run directory (see mtl-fd plot --help)');
    const step = values.step === undefined ? undefined : numberOption('step', values.step as string, 0, 0);
    const perfFile = typeof values.perf === 'string' ? values.perf : undefined;
    if (perfFile !== undefined && strings(values.rank).length > 0) throw new UsageError('give --perf (the ranking is computed) or --rank (a ranking JSON), not both');
    if (values.at !== undefined && perfFile === undefined) throw new UsageError('--at needs --perf');
    const at: At | undefined = values.at === undefined ? 'mean' : parseAt(values.at as string);
    if (at === undefined) throw new UsageError(`--at must be final, mean or a step number (got '${values.at}')`);
    let ranking = await readRankings(strings(values.rank), io.cwd);

    const loaded: LoadedRun[] = [];
    for (const arg of positionals) {
      const run = await loadRunTable(arg, io, NAME, scoreOptions);
      if (run.rows.length === 0) throw new UserError(`${arg}: the metrics table has no rows: nothing to plot`);
      loaded.push(run);
    }
    distinctRunNames(loaded);
    const rows = loaded.flatMap((l) => l.rows);
    let tables: ReportTable[] | undefined;
    if (perfFile !== undefined) {
      const table = await rankingFor(io, perfFile, rows, at);
      ranking = rankingsFromCells(table.cells);
      const t = rankingResultTable(table, at);
      tables = [{ id: 'ranking', title: 'Ranking Similarity (tau-b, p-value)', note: t.note, columns: t.header, rows: t.rows }];
    }
    const findings =
      values['no-diagnose'] === true ? undefined : await diagnoseWithCaptures(rows, loaded.flatMap((l) => l.captures));

    const out =
      typeof values.out === 'string'
        ? resolve(io.cwd, values.out)
        : loaded.length === 1
          ? join(loaded[0]!.dir, 'report')
          : resolve(io.cwd, 'mtl-fd-report');
    const result = await writeReport(out, {
      rows,
      options: reportOptions(loaded),
      ranking,
      findings,
      tables,
      step,
      title: typeof values.title === 'string' ? values.title : undefined,
    });
    for (const s of result.skipped) {
      if (s.id === 'ranking-similarity' && !ranking) continue;
      // param_cos needs param_gram in the captures, which is optional: its absence is no news
      if (s.id === 'pair-param-cos-evolution' && !rows.some((r) => r.metric === 'param_cos')) continue;
      io.stderr(`mtl-fd ${NAME}: not drawn: ${s.reason}\n`);
    }
    io.stdout(`${result.index}\n`);
    return 0;
  },
};
