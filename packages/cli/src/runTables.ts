import { stat } from 'node:fs/promises';
import { dirname, extname, join, resolve } from 'node:path';
import { displayName, listCaptures, UserError } from '@mtl-fd/capture';
import { DEFAULT_SCORE_OPTIONS, readMetricsFile, readMetricsTable, type ScoreOptions, type TidyRow } from '@mtl-fd/metrics';
import { scoreSweep } from '@mtl-fd/sweep';
import { describeOptions, sameOptions } from './runMetrics.js';
import type { CliIO } from './io.js';
import type { DiagnoseView } from '@mtl-fd/diagnose';

/** One command-line argument of `plot` or `diagnose`, read as a tidy table. */
export interface LoadedRun {
  /** the argument as given */
  arg: string;
  /** the directory holding the run (the table file's directory for a file argument) */
  dir: string;
  rows: TidyRow[];
  /** the score options the table records, when it does */
  options?: Record<string, unknown>;
  /** the run's capture files (none for a table-file argument) */
  captures: string[];
}

async function kindOf(arg: string, path: string): Promise<'file' | 'dir'> {
  try {
    const st = await stat(path);
    if (st.isDirectory()) return 'dir';
    if (st.isFile()) return 'file';
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new UserError(`${arg}: no such file or directory`);
    throw err;
  }
  throw new UserError(`${arg}: not a run directory or a metrics file`);
}

async function hasDir(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

/**
 * An argument's tidy table, the one way every command (`plot`, `diagnose`, `rank`) loads a
 * run: a metrics.json / metrics.csv file as is; a run directory from its metrics.json,
 * else its metrics.csv, else its captures scored through the cached sweep (a re-run
 * scores nothing twice), said on stderr with the first of the scorer's warnings.
 * With `options` (the user gave score options) a table counts only when it records
 * exactly those options: its numbers would silently mean something else. A directory
 * then falls back to its captures; a table file is an error naming both. `say: false`
 * leaves out the note that a run is being scored (a command with its own progress display).
 */
export async function loadRunTable(arg: string, io: CliIO, command: string, options?: ScoreOptions, say = true): Promise<LoadedRun> {
  const path = resolve(io.cwd, arg);
  if ((await kindOf(arg, path)) === 'file') {
    const ext = extname(path).toLowerCase();
    if (ext !== '.json' && ext !== '.csv') throw new UserError(`${arg}: expected a run directory, a metrics.json or a metrics.csv`);
    const table = await readMetricsFile(path);
    if (options && !sameOptions(table.options, options)) {
      throw new UserError(`${arg}: scored with ${describeOptions(table.options)}, not the requested ${describeOptions(options)}: score it again (mtl-fd score) or give its run directory`);
    }
    return { arg, dir: dirname(path), rows: table.rows, options: table.options, captures: [] };
  }
  const captures = (await hasDir(join(path, 'captures'))) ? await listCaptures(path) : [];
  const table = await readMetricsTable(path);
  if (table && (!options || sameOptions(table.options, options))) return { arg, dir: path, rows: table.rows, options: table.options, captures };
  if (captures.length === 0) {
    throw new UserError(table ? `${arg}: its metrics table was scored with ${describeOptions(table.options)}, not ${describeOptions(options)}, and it has no captures/ to score again` : `${arg}: no metrics.json, metrics.csv or captures/ to ${command}`);
  }
  const used = options ?? DEFAULT_SCORE_OPTIONS;
  if (say) io.stderr(`mtl-fd ${command}: ${arg}: ${table ? 'its metrics table has other score options' : 'no metrics table'}, scoring its ${captures.length} capture(s) with ${options ? 'the given' : 'the default'} score options\n`);
  // worker threads pay off only past a few captures (their start-up dominates small runs)
  const scored = await scoreSweep([path], used, { workers: captures.length >= 4 ? undefined : 0 });
  // the scorer's warnings (null fd_task, infinite cond...) are what findings explain: count them, show the first
  if (scored.warnings.length) io.stderr(`mtl-fd ${command}: ${arg}: scoring gave ${scored.warnings.length} warning(s), the first: ${displayName(scored.warnings[0]!)}\n`);
  return { arg, dir: path, rows: scored.rows, options: { ...scored.options }, captures };
}

/**
 * The run names the arguments bring, in argument order. Two arguments may not bring
 * the same run: their rows would merge into one run's lines.
 */
export function distinctRunNames(loaded: readonly LoadedRun[]): string[] {
  const from = new Map<string, string>();
  for (const { arg, rows } of loaded) {
    for (const run of new Set(rows.map((r) => r.run))) {
      const other = from.get(run);
      if (other !== undefined && other !== arg) {
        throw new UserError(`run '${run}' comes from both ${other} and ${arg}: give one a distinct name (capture metadata "run")`);
      }
      from.set(run, arg);
    }
  }
  return [...from.keys()];
}

/** The view the tables show: weighted only when every one was scored weighted. */
export function viewOf(loaded: readonly LoadedRun[]): DiagnoseView {
  return loaded.length > 0 && loaded.every((l) => l.options?.weighted === true) ? 'weighted' : 'unweighted';
}

