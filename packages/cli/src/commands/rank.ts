import { resolve } from 'node:path';
import {
  declaredDirection,
  identifierSeries,
  METRIC_ORDER,
  parseAt,
  parseDirection,
  rankingSimilarity,
  rankingTable,
  valueAt,
  type At,
  type Direction,
  type ScoreOptions,
  type TidyRow,
} from '@mtl-fd/metrics';
import { UserError } from '@mtl-fd/capture';
import type { CliIO } from '../io.js';
import type { Command } from '../command.js';
import { SCORE_OPTION_FLAGS, scoreOptionsFrom } from '../scoreOptionArgs.js';
import { numberOption, oneOf, parseCommandArgs, UsageError } from '../args.js';
import { didYouMean } from '../didYouMean.js';
import { emit } from '../output.js';
import { loadRankInputs } from '../rank/loadRankInputs.js';
import { tableCsv } from '../rank/tableCsv.js';
import { tableText } from '../rank/tableText.js';

const NAME = 'rank';
const FORMATS = ['text', 'json', 'csv'] as const;

const USAGE = `Usage: mtl-fd rank --perf <csv> <run dir>... [options]
       mtl-fd rank --identifier <metric> --perf <csv> <run dir>... [options]

Ranking Similarity (docs/metrics.md §7): how well an identifier, read per run,
orders the runs as their test results do: Kendall's tau-b and Spearman's rho (ties
handled; +1 = same order), after turning both sides so that larger = better.

Without --identifier: the whole table. Every identifier the runs have that declares
a direction: a global one against every test metric; a per-task (pair) one against
its task's (either task's) metrics and, averaged over the tasks (pairs), against
the whole-run metrics. Each cell also gets the one-sided permutation p-value of its
tau-b (exact over all n! orderings up to 9 runs, a seeded Monte Carlo of 100,000
orderings above) and a 95% percentile bootstrap interval over runs (from 5 runs).
Cells constant by construction (rel_rate averaged over the tasks is 1) or the same
for every run are n/a, with the reason. A test metric belongs to a task by the CSV's
optional task column, else by its name (<task>_...).

With --identifier <metric>: that identifier's row, for each test metric of the CSV.

Options:
  --identifier <metric>       one metric of the tidy table: fd, fd_task, grad_cond, ...
  --task <t>, --task-b <t>    with --identifier: the task (and second task of a pair
                              metric) to read
  --at final|mean|<step>      a run's value: its last capture, the mean over its
                              captures, or the capture nearest <step>; the table
                              takes a comma list (default final,mean), --identifier
                              one value (default mean)
  --direction higher-better|lower-better
                              the direction the identifier is taken to predict;
                              default: the declared one (fd, fd_mass, fd_task,
                              *_cos_mean, *_gms, *_norm_share: higher-better;
                              *_conflict_frac, *_cond, loss_ratio, rel_rate:
                              lower-better); other metrics need this option
  --perf <csv>                columns run,metric,value,direction[,task]; direction
                              is higher or lower (higher-is-better / lower-is-better
                              are accepted too); run matches the runs' names, and
                              every run it names must be given
  --format text|json|csv      the table: text; json {options, cells: [{identifier,
                              task, task_b, at, perf_metric, perf_direction,
                              direction, n_runs, tau_b, rho, p_value, p_method,
                              ci_low, ci_high, na_reason}]}; csv, one row per cell.
                              --identifier: text or json {identifier, task, task_b,
                              at, direction, direction_source, options, results:
                              [{perf_metric, perf_direction, n_runs, tau_b, rho}]}
  --seed <n>                  the table's seed for Monte Carlo orderings and
                              bootstrap resamples (default 0)
  --resamples <n>             bootstrap resamples per cell (default 2000)
  --out <file>                write there atomically instead of stdout
  --saliency, --granularity, --temperature, --nonfinite, --weighted
                              score options (as for mtl-fd score, same defaults)

A run directory's metrics.json is used when it records the same score options
(metrics.csv likewise, with its metrics.csv.options.json); otherwise its captures
are scored. Runs without a value (null, or missing) are left out; n_runs says how
many were compared.
`;

interface RankResult {
  perf_metric: string;
  perf_direction: Direction;
  n_runs: number;
  tau_b: number | null;
  rho: number | null;
}

const orNull = (v: number) => (Number.isFinite(v) ? v : null);

function fmt(v: number | null): string {
  return v === null ? 'null' : v.toFixed(6);
}

export const rankCommand: Command = {
  name: NAME,
  usage: USAGE,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, {
      identifier: { type: 'string' },
      task: { type: 'string' },
      'task-b': { type: 'string' },
      at: { type: 'string' },
      direction: { type: 'string' },
      perf: { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string' },
      seed: { type: 'string' },
      resamples: { type: 'string' },
      ...SCORE_OPTION_FLAGS,
    });
    const str = (k: string) => values[k] as string | undefined;
    const identifier = str('identifier');
    const perfFile = str('perf');
    if (!perfFile) throw new UsageError('--perf <csv> is required');
    if (positionals.length < 2) throw new UsageError(`needs at least 2 run directories to rank (got ${positionals.length})`);
    const options = scoreOptionsFrom(values);
    const format = oneOf('format', str('format'), FORMATS, 'text');
    const out = str('out') === undefined ? undefined : resolve(io.cwd, str('out')!);
    if (identifier === undefined) return rankTable(io, str, perfFile, positionals, options, format, out);
    if (format === 'csv') throw new UsageError('--format csv is for the whole table (without --identifier)');
    for (const flag of ['seed', 'resamples']) if (str(flag) !== undefined) throw new UsageError(`--${flag} is for the whole table (without --identifier)`);
    const task = str('task') ?? '';
    const taskB = str('task-b') ?? '';
    const atText = str('at') ?? 'mean';
    const at: At | undefined = parseAt(atText);
    if (at === undefined) throw new UsageError(`--at must be final, mean or a step number (got '${atText}')`);
    let direction: Direction;
    let directionSource: 'declared' | 'option';
    if (str('direction') !== undefined) {
      direction = wrapUsage(() => parseDirection(str('direction')!), '--direction');
      directionSource = 'option';
    } else {
      const d = declaredDirection(identifier);
      if (!d && !METRIC_ORDER.includes(identifier)) {
        const near = didYouMean(identifier, METRIC_ORDER);
        throw new UsageError(
          `unknown identifier '${identifier}': not a metric of the tidy table${near ? `; did you mean '${near}'?` : ''} (known: ${METRIC_ORDER.join(', ')}; a metric of your own needs --direction)`,
        );
      }
      if (!d) throw new UsageError(`'${identifier}' declares no direction: pass --direction higher-better or lower-better`);
      direction = d;
      directionSource = 'declared';
    }

    const { perf, rows, runs } = await loadRankInputs(io, NAME, perfFile, positionals, options);
    const series = identifierSeries(rows, { metric: identifier, task, task_b: taskB });
    if (series.size === 0) throw new UserError(missingIdentifier(rows, identifier, task, taskB));
    const x = runs.map((r) => valueAt(series.get(r) ?? [], at));
    const results: RankResult[] = perf.map((pm) => {
      const sim = rankingSimilarity(
        x,
        runs.map((r) => pm.values.get(r) ?? null),
        { identifier: direction, performance: pm.direction },
      );
      return { perf_metric: pm.metric, perf_direction: pm.direction, n_runs: sim.n_runs, tau_b: orNull(sim.tau_b), rho: orNull(sim.rho) };
    });

    const report = {
      identifier,
      task: task === '' ? null : task,
      task_b: taskB === '' ? null : taskB,
      at,
      direction,
      direction_source: directionSource,
      options,
      results,
    };
    const text =
      format === 'json'
        ? `${JSON.stringify(report, null, 2)}\n`
        : textReport(identifier, task, taskB, at, direction, directionSource, runs.length, results);
    await emit(io, text, out);
    return 0;
  },
};

/** `mtl-fd rank` without --identifier: the whole table. */
async function rankTable(
  io: CliIO,
  str: (k: string) => string | undefined,
  perfFile: string,
  dirs: string[],
  options: ScoreOptions,
  format: (typeof FORMATS)[number],
  out: string | undefined,
): Promise<number> {
  for (const flag of ['task', 'task-b', 'direction']) {
    if (str(flag) !== undefined) throw new UsageError(`--${flag} needs --identifier (the table reads every task, each identifier in its declared direction)`);
  }
  const at = parseAtList(str('at') ?? 'final,mean');
  const seed = numberOption('seed', str('seed'), 0);
  const resamples = numberOption('resamples', str('resamples'), 2000, 1);
  if (!Number.isInteger(seed) || !Number.isInteger(resamples)) throw new UsageError('--seed and --resamples must be integers');
  const { perf, rows, runs } = await loadRankInputs(io, NAME, perfFile, dirs, options);
  let table;
  try {
    table = rankingTable(rows, perf, { at, runs, seed, bootstrap: { resamples } });
  } catch (err) {
    // the only bad input left is a task the CSV names
    if (err instanceof UserError) throw new UserError(`${perfFile}: ${err.message}`);
    throw err;
  }
  if (table.cells.length === 0) throw new UserError(`no identifier with a declared direction in the runs, or no test metric to rank them against (${perfFile})`);
  const text =
    format === 'json'
      ? `${JSON.stringify({ options: { ...options, ...table.settings }, cells: table.cells }, null, 2)}\n`
      : format === 'csv'
        ? tableCsv(table.cells)
        : tableText(table);
  await emit(io, text, out);
  return 0;
}

function textReport(
  identifier: string,
  task: string,
  taskB: string,
  at: At,
  direction: Direction,
  source: 'declared' | 'option',
  runs: number,
  results: readonly RankResult[],
): string {
  const what = `${identifier}${task ? ` [${task}${taskB ? `, ${taskB}` : ''}]` : ''}`;
  const when = typeof at === 'number' ? `the capture nearest step ${at}` : at === 'final' ? 'the final capture' : 'the mean over captures';
  const head = ['perf_metric', 'perf_direction', 'n_runs', 'tau_b', 'rho'];
  const body = results.map((r) => [r.perf_metric, r.perf_direction, String(r.n_runs), fmt(r.tau_b), fmt(r.rho)]);
  const widths = head.map((h, i) => body.map((b) => b[i]!.length).reduce((acc, v) => Math.max(acc, v), h.length));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [
    `identifier ${what} at ${when}, over ${runs} runs`,
    `identifier direction: ${direction} (${source === 'declared' ? 'declared in docs/metrics.md §7; --direction overrides' : 'from --direction'})`,
    '',
    line(head),
    ...body.map(line),
    '',
  ].join('\n');
}

function missingIdentifier(rows: readonly TidyRow[], metric: string, task: string, taskB: string): string {
  const same = rows.filter((r) => r.metric === metric);
  if (same.length === 0) {
    const metrics = [...new Set(rows.map((r) => r.metric))].sort();
    const near = didYouMean(metric, metrics);
    return `no run has the metric '${metric}'${near ? `: did you mean '${near}'?` : ''} (the runs have: ${metrics.join(', ')})`;
  }
  const keys = [...new Set(same.map((r) => (r.task_b ? `--task ${r.task} --task-b ${r.task_b}` : r.task ? `--task ${r.task}` : '(no --task)')))];
  return `'${metric}' has no rows for ${task ? `task '${task}'${taskB ? ` and '${taskB}'` : ''}` : 'no task'}; choose one of: ${keys.join('; ')}`;
}

/** `--at` for the table: a comma list of final, mean and step numbers, each once. */
function parseAtList(text: string): At[] {
  const out: At[] = [];
  for (const part of text.split(',')) {
    const at = parseAt(part.trim());
    if (at === undefined) throw new UsageError(`--at must be final, mean or a step number, or a comma list of them (got '${text}')`);
    if (!out.includes(at)) out.push(at);
  }
  return out;
}

function wrapUsage<T>(fn: () => T, flag: string): T {
  try {
    return fn();
  } catch (err) {
    throw new UsageError(`${flag}: ${(err as Error).message}`);
  }
}
