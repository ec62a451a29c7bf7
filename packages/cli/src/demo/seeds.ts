import { join, relative } from 'node:path';
import { writeFileAtomic } from '@mtl-fd/capture';
import { acrossSeeds, type AcrossSeeds, type TidyRow } from '@mtl-fd/metrics';
import { writeReport } from '@mtl-fd/plots';
import type { CliIO } from '../io.js';
import { VERSION } from '../version.js';
import { prepareOut, runExperiment, type DemoOptions, type DemoResult } from './experiment.js';
import { seedsCsv, seedsTables } from './seedsTables.js';
import type { CaptureHooks } from './train.js';

/** The directory of one seed's experiment inside a multi-seed demo's output. */
export const seedDir = (seed: number) => `seed-${seed}`;

export interface SeedsResult {
  options: DemoOptions;
  /** one experiment per seed, in seed order */
  results: DemoResult[];
  summary: AcrossSeeds;
  jsonFile: string;
  csvFile: string;
  reportIndex: string | null;
}

/**
 * The experiment repeated over `opts.seeds` seeds (opts.seed, opts.seed + 1, ...),
 * each a whole demo in `<out>/seed-<s>/` (its runs trained `opts.jobs` at a time),
 * then the ranking tables of the seeds summarised cell by cell (acrossSeeds) into
 * seeds.json, seeds.csv and a report of all the seeds' runs with the summary tables.
 */
export async function runSeeds(opts: DemoOptions, io: CliIO, hooks: CaptureHooks): Promise<SeedsResult> {
  const t0 = performance.now();
  await prepareOut(opts.out);
  const seeds = Array.from({ length: opts.seeds }, (_, i) => opts.seed + i);
  const results: DemoResult[] = [];
  for (const [i, seed] of seeds.entries()) {
    io.stderr(`seed ${seed} (${i + 1}/${seeds.length}) -> ${join(opts.out, seedDir(seed))}\n`);
    results.push(await runExperiment({ ...opts, seed, seeds: 1, out: join(opts.out, seedDir(seed)) }, io, hooks));
  }
  const summary = acrossSeeds(results.map((r) => ({ seed: r.options.seed, cells: r.ranking?.cells ?? [] })));

  const jsonFile = join(opts.out, 'seeds.json');
  const csvFile = join(opts.out, 'seeds.csv');
  await writeFileAtomic(csvFile, seedsCsv(summary));

  let reportIndex: string | null = null;
  const rows: TidyRow[] = results.flatMap((r) => r.rows.map((x) => ({ ...x, run: seedRunName(x.run, r.options.seed) })));
  if (opts.report && rows.length > 0) {
    const report = await writeReport(join(opts.out, 'report'), {
      rows,
      tables: seedsTables(summary, results).map((t) => ({ id: t.id, title: t.title, note: t.note, columns: t.header, rows: t.rows })),
      title: `mtl-fd demo: MultiMNIST over ${seeds.length} seeds (${seeds.join(', ')})`,
    });
    reportIndex = report.index;
  }
  await writeFileAtomic(
    jsonFile,
    `${JSON.stringify(
      {
        format: 'mtl-fd/demo-seeds@1',
        version: VERSION,
        options: { ...opts, out: undefined },
        seeds: results.map((r) => ({
          seed: r.options.seed,
          dir: seedDir(r.options.seed),
          summary: relative(opts.out, r.summaryFile),
          delta_m_maninis: Object.fromEntries(r.runs.filter((x) => x.delta_m).map((x) => [x.name, x.delta_m!.maninis])),
        })),
        alpha: summary.alpha,
        note: 'per cell of the Ranking Similarity table: tau-b, rho and p-value (mean, sample sd, min, max) over the seeds that computed it; p_below: seeds with p < alpha; ranked_first: seeds in which the cell had the best tau-b of its column (ties all count); a cell n/a in every seed is n/a with its reason',
        cells: summary.cells,
        columns: summary.columns,
        report: reportIndex ? relative(opts.out, reportIndex) : null,
        seconds: (performance.now() - t0) / 1000,
      },
      null,
      2,
    )}\n`,
  );
  return { options: opts, results, summary, jsonFile, csvFile, reportIndex };
}

/** A run's name in the report of all seeds: the method and its seed. */
export const seedRunName = (run: string, seed: number) => `${run}@${seed}`;
