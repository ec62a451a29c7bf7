import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { UserError } from '@mtl-fd/capture';
import { diagnoseWithCaptures } from '@mtl-fd/diagnose';
import { parseRanking, type Ranking, writeReport } from '@mtl-fd/plots';
import type { Command } from '../command.js';
import { numberOption, parseCommandArgs, UsageError } from '../args.js';
import { distinctRunNames, loadRunTable, type LoadedRun } from '../runTables.js';

const NAME = 'plot';

const USAGE = `Usage: mtl-fd plot <run dir | metrics.json | metrics.csv>... [options]

Draws the runs' tidy metrics as charts and writes a report: index.html (self-contained,
interactive, opens from disk with no network) and one .vl.json, .svg and .png per chart:
FD trajectory beside loss_ratio, rel_rate, grad_cos_mean and grad_conflict_frac; pairwise
fd_pair and grad_cos at one step and over training; task ownership (grad_norm_share);
Ranking Similarity when --rank is given. The findings of \`mtl-fd diagnose\` come first.

A run directory is read from its metrics.json, else its metrics.csv, else its captures/
are scored with the default score options. Prints the path of index.html.

Options:
  --out <dir>      where to write (default <run dir>/report for one run,
                   ./mtl-fd-report for several)
  --rank <json>    output of \`mtl-fd rank --format json\` (one object or an array);
                   repeat for several files
  --step <n>       step of the pairwise matrices: each run's capture nearest to it
                   (default each run's last capture)
  --title <text>   page title (default "mtl-fd report: <runs>")
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
      step: { type: 'string' },
      title: { type: 'string' },
      'no-diagnose': { type: 'boolean' },
    });
    if (positionals.length === 0) throw new UsageError('give at least one run directory (see mtl-fd plot --help)');
    const step = values.step === undefined ? undefined : numberOption('step', values.step as string, 0, 0);
    const ranking = await readRankings(strings(values.rank), io.cwd);

    const loaded: LoadedRun[] = [];
    for (const arg of positionals) {
      const run = await loadRunTable(arg, io, NAME);
      if (run.rows.length === 0) throw new UserError(`${arg}: the metrics table has no rows: nothing to plot`);
      loaded.push(run);
    }
    distinctRunNames(loaded);
    const rows = loaded.flatMap((l) => l.rows);
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
      step,
      title: typeof values.title === 'string' ? values.title : undefined,
    });
    for (const s of result.skipped) {
      if (s.id === 'ranking-similarity' && !ranking) continue;
      io.stderr(`mtl-fd ${NAME}: not drawn: ${s.reason}\n`);
    }
    io.stdout(`${result.index}\n`);
    return 0;
  },
};
