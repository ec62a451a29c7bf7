import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UserError } from '@mtl-fd/capture';
import { declaredDirection, fromPerfCSV, identifierSeries, parseAt, parseDirection, rankingSimilarity, valueAt, type At, type Direction, type TidyRow } from '@mtl-fd/metrics';
import type { Command } from '../command.js';
import { SCORE_OPTION_FLAGS, scoreOptionsFrom } from '../scoreOptionArgs.js';
import { oneOf, parseCommandArgs, UsageError } from '../args.js';
import { emit } from '../output.js';
import { createProgress } from '../progress.js';
import { runRows } from '../runMetrics.js';

const NAME = 'rank';
const FORMATS = ['text', 'json'] as const;

const USAGE = `Usage: mtl-fd rank --identifier <metric> --perf <csv> <run dir>... [options]

Ranking Similarity (docs/metrics.md §7): how well an identifier, read per run,
orders the runs as their test results do. For each test metric of the CSV prints
Kendall's tau-b and Spearman's rho (ties handled; +1 = same order), after turning
both sides so that larger = better, and says which directions were used.

Options:
  --identifier <metric>       a metric of the tidy table: fd, fd_task, grad_cond, ...
  --task <t>, --task-b <t>    the task (and second task of a pair metric) to read
  --at final|mean|<step>      a run's value: its last capture, the mean over its
                              captures (default), or the capture nearest <step>
  --direction higher-better|lower-better
                              the direction the identifier is taken to predict;
                              default: the declared one (fd, fd_mass, fd_task,
                              *_cos_mean, *_gms, *_norm_share: higher-better;
                              *_conflict_frac, *_cond, loss_ratio, rel_rate:
                              lower-better); other metrics need this option
  --perf <csv>                columns run,metric,value,direction; direction is
                              higher or lower (higher-is-better / lower-is-better
                              are accepted too); run matches the runs' names
  --format text|json          json: {identifier, task, task_b, at, direction,
                              direction_source, options, results: [{perf_metric,
                              perf_direction, n_runs, tau_b, rho}]}
  --out <file>                write there atomically instead of stdout
  --saliency, --granularity, --temperature, --nonfinite
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
  summary: 'Ranking Similarity: Kendall tau-b and Spearman rho of an identifier against test results over runs',
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
      ...SCORE_OPTION_FLAGS,
    });
    const str = (k: string) => values[k] as string | undefined;
    const identifier = str('identifier');
    if (!identifier) throw new UsageError('--identifier <metric> is required');
    const perfFile = str('perf');
    if (!perfFile) throw new UsageError('--perf <csv> is required');
    if (positionals.length < 2) throw new UsageError(`needs at least 2 run directories to rank (got ${positionals.length})`);
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
      if (!d) throw new UsageError(`'${identifier}' declares no direction: pass --direction higher-better or lower-better`);
      direction = d;
      directionSource = 'declared';
    }
    const options = scoreOptionsFrom(values);
    const format = oneOf('format', str('format'), FORMATS, 'text');
    const out = str('out') === undefined ? undefined : resolve(io.cwd, str('out')!);

    const perfPath = resolve(io.cwd, perfFile);
    const perfText = await readFile(perfPath, 'utf8').catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') throw new UserError(`${perfFile}: no such file`);
      throw err;
    });
    const perf = fromPerfCSV(perfText, perfFile);

    // every run directory's rows, each run coming from one directory only
    const rows: TidyRow[] = [];
    const runFrom = new Map<string, string>();
    const progress = createProgress(io, NAME, 'runs loaded', positionals.length);
    try {
      for (const [i, p] of positionals.entries()) {
        const dir = resolve(io.cwd, p);
        const isDir = await stat(dir).then(
          (s) => s.isDirectory(),
          () => false,
        );
        if (!isDir) throw new UserError(`${p}: not a run directory`);
        const got = await runRows(dir, options);
        for (const run of new Set(got.rows.map((r) => r.run))) {
          const other = runFrom.get(run);
          if (other !== undefined) throw new UserError(`run '${run}' comes from both ${other} and ${p}: give one a distinct name (capture metadata "run")`);
          runFrom.set(run, p);
        }
        rows.push(...got.rows);
        if (got.warnings.length > 0) io.stderr(`mtl-fd ${NAME}: ${p}: scoring gave ${got.warnings.length} warning(s), the first: ${got.warnings[0]}\n`);
        progress.update(i + 1, p);
      }
    } finally {
      progress.finish();
    }

    const series = identifierSeries(rows, { metric: identifier, task, task_b: taskB });
    if (series.size === 0) throw new UserError(missingIdentifier(rows, identifier, task, taskB));
    const runs = [...runFrom.keys()];
    const x = runs.map((r) => valueAt(series.get(r) ?? [], at));
    const results: RankResult[] = perf.map((pm) => {
      const sim = rankingSimilarity(
        x,
        runs.map((r) => pm.values.get(r) ?? null),
        { identifier: direction, performance: pm.direction },
      );
      return { perf_metric: pm.metric, perf_direction: pm.direction, n_runs: sim.n_runs, tau_b: orNull(sim.tau_b), rho: orNull(sim.rho) };
    });
    const unmatched = runs.filter((r) => !perf.some((pm) => pm.values.has(r)));
    if (unmatched.length > 0) io.stderr(`mtl-fd ${NAME}: warning: no test results in ${perfFile} for run(s) ${unmatched.map((r) => `'${r}'`).join(', ')}\n`);

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
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
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
    return `no run has the metric '${metric}' (the runs have: ${metrics.join(', ')})`;
  }
  const keys = [...new Set(same.map((r) => (r.task_b ? `--task ${r.task} --task-b ${r.task_b}` : r.task ? `--task ${r.task}` : '(no --task)')))];
  return `'${metric}' has no rows for ${task ? `task '${task}'${taskB ? ` and '${taskB}'` : ''}` : 'no task'}; choose one of: ${keys.join('; ')}`;
}

function wrapUsage<T>(fn: () => T, flag: string): T {
  try {
    return fn();
  } catch (err) {
    throw new UsageError(`${flag}: ${(err as Error).message}`);
  }
}
