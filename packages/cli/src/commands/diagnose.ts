import { readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import {
  DEFAULT_DIAGNOSE_OPTIONS,
  DIAGNOSE_OPTION_SPECS,
  UserError,
  diagnoseReport,
  diagnoseWithCaptures,
  findingsExitCode,
  formatFindingsText,
  formatNumber,
  fromCSV,
  fromJSON,
  listCaptures,
  resolveDiagnoseOptions,
  scoreCaptures,
  type DiagnoseOptions,
  type TidyRow,
} from '@mtl-fd/metrics';
import type { Command } from '../command.js';
import { parseCommandArgs, UsageError } from '../args.js';
import type { CliIO } from '../io.js';

const NAME = 'diagnose';
const FORMATS = ['text', 'json'] as const;

function usage(): string {
  const flags = DIAGNOSE_OPTION_SPECS.map((s) => `  --${s.flag} <${s.integer ? 'n' : 'x'}>`);
  const width = Math.max(...flags.map((f) => f.length));
  return [
    'Usage: mtl-fd diagnose <run dir | metrics.json | metrics.csv>... [options]',
    '',
    'Turns each run\'s metrics into findings: dead, starved or lagging tasks, gradient',
    'conflict, dominance-driven or collapsing FD, ill-conditioned gradients, and float16',
    'underflow in the captures. A run directory is read from its metrics.json, else its',
    'metrics.csv, else its captures are scored (default score options); its float16 and',
    'bfloat16 captures are also scanned for underflow.',
    '',
    'Exit code: 0 no findings (or info only), 1 warnings, 3 critical findings, 2 errors.',
    'Notes (scoring, empty tables) go to stderr; stdout holds only the findings.',
    '',
    'Options:',
    '  --format text|json   output format (default text); json is',
    '                       {"version": 1, "options": {...}, "findings": [...]}',
    '  --no-scan            do not scan capture files for float16 underflow',
    '',
    'Thresholds (default in brackets):',
    ...DIAGNOSE_OPTION_SPECS.map((s, i) => `${flags[i]!.padEnd(width)}  ${s.summary} [${formatNumber(DEFAULT_DIAGNOSE_OPTIONS[s.name])}]`),
    '',
  ].join('\n');
}

/** Parses the threshold flags into DiagnoseOptions (validated, defaults filled in). */
function thresholdOptions(values: Record<string, unknown>): DiagnoseOptions {
  const partial: Partial<DiagnoseOptions> = {};
  for (const s of DIAGNOSE_OPTION_SPECS) {
    const raw = values[s.flag];
    if (typeof raw !== 'string') continue;
    const n = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--${s.flag} must be a number (got '${raw}')`);
    partial[s.name] = n;
  }
  return resolveDiagnoseOptions(partial);
}

async function kindOf(path: string): Promise<'file' | 'dir'> {
  try {
    const st = await stat(path);
    if (st.isDirectory()) return 'dir';
    if (st.isFile()) return 'file';
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new UserError(`${path}: no such file or directory`);
    throw err;
  }
  throw new UserError(`${path}: not a file or directory`);
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
}

/** Rows of a metrics.json / metrics.csv file; a problem names the file. */
async function readTable(file: string): Promise<TidyRow[]> {
  const text = await readFile(file, 'utf8');
  try {
    return extname(file).toLowerCase() === '.csv' ? fromCSV(text) : fromJSON(text).rows;
  } catch (err) {
    if (err instanceof UserError) throw new UserError(`${file}: ${err.message}`);
    throw err;
  }
}

interface LoadedRun {
  path: string;
  rows: TidyRow[];
  captures: string[];
}

/** One argument: a table file, or a run directory (its table, else its scored captures). */
async function loadRun(path: string, io: CliIO): Promise<LoadedRun> {
  if ((await kindOf(path)) === 'file') {
    const ext = extname(path).toLowerCase();
    if (ext !== '.json' && ext !== '.csv') throw new UserError(`${path}: expected a run directory, a metrics.json or a metrics.csv`);
    return { path, rows: await readTable(path), captures: [] };
  }
  const hasCaptures = await stat(join(path, 'captures')).then(
    (s) => s.isDirectory(),
    () => false,
  );
  const captures = hasCaptures ? await listCaptures(path) : [];
  for (const name of ['metrics.json', 'metrics.csv']) {
    const file = join(path, name);
    if (await exists(file)) return { path, rows: await readTable(file), captures };
  }
  if (captures.length === 0) throw new UserError(`${path}: no metrics.json, metrics.csv or captures to diagnose`);
  io.stderr(`mtl-fd ${NAME}: ${path}: no metrics table, scoring its ${captures.length} capture(s) with the default score options\n`);
  const { rows, warnings } = await scoreCaptures(captures);
  // the scorer's warnings (null fd_task, infinite cond...) are what the findings explain: count them, show the first
  if (warnings.length) io.stderr(`mtl-fd ${NAME}: ${path}: scoring gave ${warnings.length} warning(s), the first: ${warnings[0]}\n`);
  return { path, rows, captures };
}

/** Run names in argument order; two arguments may not both bring the same run. */
function runNames(loaded: readonly LoadedRun[]): string[] {
  const from = new Map<string, string>();
  for (const { path, rows } of loaded) {
    for (const run of new Set(rows.map((r) => r.run))) {
      const other = from.get(run);
      if (other !== undefined && other !== path) {
        throw new UserError(`run '${run}' comes from both ${other} and ${path}: give one a distinct name (capture metadata "run")`);
      }
      from.set(run, path);
    }
  }
  return [...from.keys()];
}

export const diagnoseCommand: Command = {
  name: NAME,
  summary: 'turn runs\' metrics into findings (dead tasks, conflict, dominance...); exit 1 warnings, 3 critical',
  usage: usage(),
  async run(argv, io) {
    const options: Record<string, { type: 'string' | 'boolean' }> = { format: { type: 'string' }, 'no-scan': { type: 'boolean' } };
    for (const s of DIAGNOSE_OPTION_SPECS) options[s.flag] = { type: 'string' };
    const { values, positionals } = parseCommandArgs(argv, options);
    const format = (values.format as string | undefined) ?? 'text';
    if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be ${FORMATS.join(' or ')} (got '${format}')`);
    const thresholds = thresholdOptions(values);
    if (positionals.length === 0) throw new UsageError('give at least one run directory or metrics file (see mtl-fd diagnose --help)');

    const loaded: LoadedRun[] = [];
    for (const path of positionals) loaded.push(await loadRun(path, io));
    const runs = runNames(loaded);
    for (const l of loaded) if (l.rows.length === 0) io.stderr(`mtl-fd ${NAME}: ${l.path}: the metrics table has no rows\n`);

    const captures = values['no-scan'] === true ? [] : loaded.flatMap((l) => l.captures);
    const sorted = await diagnoseWithCaptures(loaded.flatMap((l) => l.rows), captures, thresholds);
    const scanned = [...new Set(sorted.map((f) => f.run))].filter((r) => !runs.includes(r));
    if (format === 'json') io.stdout(`${JSON.stringify(diagnoseReport(sorted, thresholds), null, 2)}\n`);
    else io.stdout(formatFindingsText(sorted, [...runs, ...scanned]));
    return findingsExitCode(sorted);
  },
};

