import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UserError } from '@mtl-fd/capture';
import { fromPerfCSV, type PerfMetric, type ScoreOptions, type TidyRow } from '@mtl-fd/metrics';
import type { CliIO } from '../io.js';
import { createProgress } from '../progress.js';
import { loadRunTable } from '../runTables.js';

export interface RankInputs {
  perf: PerfMetric[];
  rows: TidyRow[];
  /** run names, in the order their directories were given */
  runs: string[];
}

/**
 * The performance CSV and every run directory's rows, for `mtl-fd rank`. Each run
 * must come from one directory only, and every run the CSV names must be among
 * them (a CSV row for a run not given is a typo or a forgotten directory: either
 * way the table would silently rank fewer runs than the CSV promises).
 */
export async function loadRankInputs(io: CliIO, command: string, perfFile: string, dirs: readonly string[], options: ScoreOptions): Promise<RankInputs> {
  const perf = await readPerfFile(io, perfFile);

  const rows: TidyRow[] = [];
  const runFrom = new Map<string, string>();
  const progress = createProgress(io, command, 'runs loaded', dirs.length);
  try {
    for (const [i, p] of dirs.entries()) {
      const dir = resolve(io.cwd, p);
      const isDir = await stat(dir).then(
        (s) => s.isDirectory(),
        () => false,
      );
      if (!isDir) throw new UserError(`${p}: not a run directory`);
      const got = await loadRunTable(p, io, command, options, false);
      for (const run of new Set(got.rows.map((r) => r.run))) {
        const other = runFrom.get(run);
        if (other !== undefined) throw new UserError(`run '${run}' comes from both ${other} and ${p}: give one a distinct name (capture metadata "run")`);
        runFrom.set(run, p);
      }
      for (const row of got.rows) rows.push(row);
      progress.update(i + 1, p);
    }
  } finally {
    progress.finish();
  }
  const runs = [...runFrom.keys()];
  checkPerfRuns(io, command, perfFile, perf, runs);
  return { perf, rows, runs };
}

/** The performance CSV (`--perf`), read and checked (a one-line error naming the file). */
export async function readPerfFile(io: CliIO, perfFile: string): Promise<PerfMetric[]> {
  const perfText = await readFile(resolve(io.cwd, perfFile), 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') throw new UserError(`${perfFile}: no such file`);
    throw err;
  });
  return fromPerfCSV(perfText, perfFile);
}

/** Every run the CSV names must be among `runs` (an error otherwise); a run without results is a warning. */
export function checkPerfRuns(io: CliIO, command: string, perfFile: string, perf: readonly PerfMetric[], runs: readonly string[]): void {
  const runFrom = new Set(runs);
  const strangers = [...new Set(perf.flatMap((pm) => [...pm.values.keys()]))].filter((r) => !runFrom.has(r));
  if (strangers.length > 0) {
    throw new UserError(
      `${perfFile}: run${strangers.length > 1 ? 's' : ''} ${strangers.map((r) => `'${r}'`).join(', ')} not among the runs given (${runs.join(', ')}): add the run directory or drop its rows`,
    );
  }
  const unmatched = runs.filter((r) => !perf.some((pm) => pm.values.has(r)));
  if (unmatched.length > 0) io.stderr(`mtl-fd ${command}: warning: no test results in ${perfFile} for run(s) ${unmatched.map((r) => `'${r}'`).join(', ')}\n`);
}
