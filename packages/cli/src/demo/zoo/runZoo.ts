import { basename, join, relative } from 'node:path';
import { captureStepOf, listCaptures, writeFileAtomic } from '@mtl-fd/capture';
import { diagnoseWithCaptures, type Finding } from '@mtl-fd/diagnose';
import { scoreCaptures, toCSV, type TidyRow } from '@mtl-fd/metrics';
import { writeReport } from '@mtl-fd/plots';
import type { CliIO } from '../../io.js';
import { VERSION } from '../../version.js';
import { prepareOut, runSetupOf, type DemoOptions } from '../experiment.js';
import { ProgressBoard } from '../progress.js';
import type { CaptureHooks, RunSpec } from '../train.js';
import { trainRuns } from '../trainRuns.js';
import { FLOAT32_TWIN, healthyEntry, PATHOLOGIES, type ZooEntry } from './pathologies.js';
import { zooTable } from './zooTable.js';
import { zooScore, zooVerdict, type ZooScore, type ZooVerdict } from './zooVerdict.js';

export interface ZooResult {
  verdicts: ZooVerdict[];
  score: ZooScore;
  findings: Finding[];
  rows: TidyRow[];
  jsonFile: string;
  reportIndex: string | null;
}

/** Directory of a zoo run inside the zoo's output. */
const runDirOf = (out: string, name: string) => join(out, 'runs', name);

/**
 * The pathology zoo: every PATHOLOGIES run at `opts.seed` and a healthy
 * equal-weighting run at each of `opts.seeds` seeds (opts.seed, opts.seed + 1, ...),
 * all on the demo's real MultiMNIST with its model; then every capture scored in the
 * weighted view, diagnosed (with the float16 scan), and each run judged against what
 * it should raise. Writes runs/, metrics.csv, zoo.json and a report.
 */
export async function runZoo(opts: DemoOptions, io: CliIO, hooks: CaptureHooks): Promise<ZooResult> {
  const t0 = performance.now();
  await prepareOut(opts.out);
  const seeds = Array.from({ length: opts.seeds }, (_, i) => opts.seed + i);
  const groups = seeds.map((seed) => ({ seed, entries: seed === opts.seed ? [...PATHOLOGIES, FLOAT32_TWIN, healthyEntry(seed)] : [healthyEntry(seed)] }));
  const entries: ZooEntry[] = groups.flatMap((g) => g.entries);
  io.stderr(`zoo: ${PATHOLOGIES.length} pathology runs at seed ${opts.seed}, healthy runs at seeds ${seeds.join(', ')}; ${opts.epochs} epochs of ${opts.trainSize} MultiMNIST pairs each\n`);

  // one call, so that the healthy runs of other seeds share the workers with the rest
  const specs: RunSpec[] = groups.flatMap((g) =>
    g.entries.map((e) => ({ name: e.name, kind: 'mtl' as const, method: 'ew' as const, tasks: e.tasks, runDir: runDirOf(opts.out, e.name), tweak: e.tweak, seed: g.seed })),
  );
  await trainRuns(specs, runSetupOf(opts), { board: new ProgressBoard(io), jobs: opts.jobs, backend: opts.backend, hooks, io });

  const files: string[] = [];
  const stepsOf = new Map<string, number[]>();
  for (const e of entries) {
    const own = await listCaptures(runDirOf(opts.out, e.name));
    for (const f of own) files.push(f);
    stepsOf.set(e.name, own.map((f) => captureStepOf(basename(f))!).sort((a, b) => a - b));
  }
  const scored = await scoreCaptures(files, { weighted: true });
  for (const w of scored.warnings) io.stderr(`zoo: ${w}\n`);
  const findings = await diagnoseWithCaptures(scored.rows, files);
  const stepsPerEpoch = Math.ceil(opts.trainSize / opts.batchSize);
  const verdicts = entries.map((e) => zooVerdict(e, findings, stepsOf.get(e.name) ?? [], stepsPerEpoch));
  const score = zooScore(verdicts);
  const table = zooTable(verdicts, score);
  // the tidy table, its score options (the weighted view) beside it as `mtl-fd score --out` writes them
  await writeFileAtomic(join(opts.out, 'metrics.csv'), toCSV(scored.rows));
  await writeFileAtomic(join(opts.out, 'metrics.csv.options.json'), `${JSON.stringify({ options: scored.options }, null, 2)}\n`);

  let reportIndex: string | null = null;
  if (opts.report) {
    const report = await writeReport(join(opts.out, 'report'), {
      rows: scored.rows,
      options: { ...scored.options },
      findings,
      tables: [{ id: 'zoo', title: 'The pathology zoo: what each run must raise, and what it raised', note: table.note, columns: table.header, rows: table.rows }],
      title: `mtl-fd zoo: ${PATHOLOGIES.length} pathologies and ${seeds.length} healthy seeds on MultiMNIST`,
    });
    reportIndex = report.index;
  }
  const jsonFile = join(opts.out, 'zoo.json');
  await writeFileAtomic(
    jsonFile,
    `${JSON.stringify(
      {
        format: 'mtl-fd/demo-zoo@1',
        version: VERSION,
        options: { ...opts, out: undefined, methods: undefined, baselines: undefined },
        view: 'weighted',
        recall: score.recall,
        false_alarms: score.falseAlarms,
        runs: verdicts.map((v) => ({
          ...v,
          how: entries.find((e) => e.name === v.run)!.how,
          dir: relative(opts.out, runDirOf(opts.out, v.run)),
        })),
        report: reportIndex ? relative(opts.out, reportIndex) : null,
        seconds: (performance.now() - t0) / 1000,
      },
      null,
      2,
    )}\n`,
  );
  return { verdicts, score, findings, rows: scored.rows, jsonFile, reportIndex };
}
