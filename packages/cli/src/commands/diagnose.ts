import { DEFAULT_DIAGNOSE_OPTIONS, DIAGNOSE_OPTION_SPECS, diagnoseReport, diagnoseWithCaptures, findingsExitCode, formatFindingsText, formatNumber, resolveDiagnoseOptions, tableLossWarnings, type DiagnoseOptions } from '@mtl-fd/diagnose';
import { DEFAULT_SCORE_OPTIONS } from '@mtl-fd/metrics';
import type { Command } from '../command.js';
import { parseCommandArgs, UsageError } from '../args.js';
import { distinctRunNames, loadRunTable, viewOf, type LoadedRun } from '../runTables.js';
import { warn } from '../output.js';

const NAME = 'diagnose';
const FORMATS = ['text', 'json'] as const;
const VIEW_TEXT = {
  unweighted: "unweighted (each task's own gradient; --weighted for w_t * g_t)",
  weighted: 'weighted (w_t * g_t, the gradients the shared layers receive)',
} as const;

function usage(): string {
  const flags = DIAGNOSE_OPTION_SPECS.map((s) => `  --${s.flag} <${s.integer ? 'n' : 'x'}>`);
  const width = flags.map((f) => f.length).reduce((acc, v) => Math.max(acc, v), -Infinity);
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
    '  --format text|json   output format (default text); json is {"version": 2,',
    '                       "view": ..., "options": {...}, "findings": [...]}',
    '  --weighted           read the gradients as the method weighted them (w_t * g_t,',
    '                       from the captures\' weight.<task>); default each task\'s own',
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

export const diagnoseCommand: Command = {
  name: NAME,
  usage: usage(),
  async run(argv, io) {
    const options: Record<string, { type: 'string' | 'boolean' }> = { format: { type: 'string' }, 'no-scan': { type: 'boolean' }, weighted: { type: 'boolean' } };
    for (const s of DIAGNOSE_OPTION_SPECS) options[s.flag] = { type: 'string' };
    const { values, positionals } = parseCommandArgs(argv, options);
    const format = (values.format as string | undefined) ?? 'text';
    if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be ${FORMATS.join(' or ')} (got '${format}')`);
    const thresholds = thresholdOptions(values);
    if (positionals.length === 0) throw new UsageError('give at least one run directory or metrics file (see mtl-fd diagnose --help)');

    const loaded: LoadedRun[] = [];
    const scoreOptions = values.weighted === true ? { ...DEFAULT_SCORE_OPTIONS, weighted: true } : undefined;
    for (const arg of positionals) loaded.push(await loadRunTable(arg, io, NAME, scoreOptions));
    const view = viewOf(loaded);
    const runs = distinctRunNames(loaded);
    for (const l of loaded) if (l.rows.length === 0) io.stderr(`mtl-fd ${NAME}: ${l.arg}: the metrics table has no rows\n`);
    for (const w of tableLossWarnings(loaded.flatMap((l) => l.rows))) warn(io, NAME, w);

    const captures = values['no-scan'] === true ? [] : loaded.flatMap((l) => l.captures);
    const sorted = await diagnoseWithCaptures(loaded.flatMap((l) => l.rows), captures, thresholds);
    const scanned = [...new Set(sorted.map((f) => f.run))].filter((r) => !runs.includes(r));
    if (format === 'json') io.stdout(`${JSON.stringify(diagnoseReport(sorted, thresholds, view), null, 2)}\n`);
    else io.stdout(`view: ${VIEW_TEXT[view]}\n${formatFindingsText(sorted, [...runs, ...scanned])}`);
    return findingsExitCode(sorted);
  },
};

