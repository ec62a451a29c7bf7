import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listCaptures } from '@mtl-fd/capture';
import { identifierSeries, kendallTauB, scoreCaptures, spearmanRho, toCSV, toJSON, valueAt, type TidyRow } from '@mtl-fd/metrics';
import { runCli } from '../src/cli.js';
import { bufferIO, writeRun } from './scoreHelpers.js';

const OPTIONS = { saliency: 'grad', granularity: 'element', temperature: 0, nonFinite: 'error', weighted: false };

let dir = '';
const scored: string[] = [];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mtl-fd-cli-rank-'));
  for (const [i, skew] of [1, 2, 4, 8].entries()) scored.push(await writeRun(dir, `m${i}`, { steps: [0, 50, 100], seed: 10 + i, skew }));
  await writeFile(
    join(dir, 'perf.csv'),
    ['run,metric,value,direction', 'm0,miou,0.30,higher', 'm1,miou,0.35,higher-is-better', 'm2,miou,0.33,higher', 'm3,miou,0.40,higher',
      'm0,abs_err,0.9,lower', 'm1,abs_err,0.5,lower-is-better', 'm2,abs_err,0.6,lower', 'm3,abs_err,0.7,lower'].join('\n'),
  );
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** A run directory holding only a metrics table (metrics.json, or metrics.csv with its options sidecar). */
async function tableRun(name: string, fd: number, how: 'json' | 'csv', options: object = OPTIONS): Promise<string> {
  const d = join(dir, 'tables', name);
  await mkdir(d, { recursive: true });
  const rows: TidyRow[] = [{ run: name, step: 10, metric: 'fd', task: '', task_b: '', value: fd }];
  if (how === 'json') await writeFile(join(d, 'metrics.json'), toJSON(rows, options));
  else {
    await writeFile(join(d, 'metrics.csv'), toCSV(rows));
    await writeFile(join(d, 'metrics.csv.options.json'), JSON.stringify({ options }));
  }
  return d;
}

async function failing(args: string[]): Promise<string> {
  const io = bufferIO(dir);
  expect(await runCli(['rank', ...args], io)).toBe(2);
  expect(io.out).toBe('');
  const lines = io.err.trimEnd().split('\n');
  expect(lines, io.err).toHaveLength(1);
  return lines[0]!;
}

describe('mtl-fd rank', () => {
  it('reproduces the worked check through run tables: tau-b 0.6, rho 0.8', async () => {
    const x = [1, 2, 3, 4, 5];
    const y = [2, 1, 4, 3, 5];
    const dirs = [];
    for (let i = 0; i < 5; i++) dirs.push(await tableRun(`w${i}`, x[i]! / 10, i % 2 ? 'csv' : 'json'));
    await writeFile(join(dir, 'wperf.csv'), `run,metric,value,direction\n${y.map((v, i) => `w${i},acc,${v},higher`).join('\n')}\n`);
    const io = bufferIO(dir);
    expect(await runCli(['rank', '--identifier', 'fd', '--perf', 'wperf.csv', '--format', 'json', ...dirs], io)).toBe(0);
    const report = JSON.parse(io.out);
    expect(report).toMatchObject({ identifier: 'fd', task: null, at: 'mean', direction: 'higher-better', direction_source: 'declared' });
    expect(report.results).toHaveLength(1);
    expect(report.results[0].perf_metric).toBe('acc');
    expect(report.results[0].perf_direction).toBe('higher-better');
    expect(report.results[0].n_runs).toBe(5);
    expect(report.results[0].tau_b).toBeCloseTo(0.6, 12);
    expect(report.results[0].rho).toBeCloseTo(0.8, 12);
  });

  it('scores run directories and agrees with the library, for each test metric and its direction', async () => {
    const io = bufferIO(dir);
    expect(await runCli(['rank', '--identifier', 'fd_task', '--task', 'seg', '--at', 'final', '--perf', 'perf.csv', '--format', 'json', ...scored], io)).toBe(0);
    const report = JSON.parse(io.out);
    const rows = (await scoreCaptures((await Promise.all(scored.map(listCaptures))).flat())).rows;
    const series = identifierSeries(rows, { metric: 'fd_task', task: 'seg' });
    const x = ['m0', 'm1', 'm2', 'm3'].map((r) => valueAt(series.get(r)!, 'final')!);
    const miou = [0.3, 0.35, 0.33, 0.4];
    const err = [0.9, 0.5, 0.6, 0.7].map((v) => -v);
    expect(report.results.map((r: { perf_metric: string }) => r.perf_metric)).toEqual(['miou', 'abs_err']);
    expect(report.results[0].tau_b).toBeCloseTo(kendallTauB(x, miou), 12);
    expect(report.results[0].rho).toBeCloseTo(spearmanRho(x, miou), 12);
    expect(report.results[1].perf_direction).toBe('lower-better');
    expect(report.results[1].tau_b).toBeCloseTo(kendallTauB(x, err), 12);
    expect(report.results[1].n_runs).toBe(4);
  });

  it('prints a text table that states the directions used, and --direction overrides the declared one', async () => {
    const io = bufferIO(dir);
    expect(await runCli(['rank', '--identifier', 'fd', '--perf', 'perf.csv', ...scored], io)).toBe(0);
    expect(io.out).toContain('identifier direction: higher-better (declared in docs/metrics.md §7; --direction overrides)');
    expect(io.out).toMatch(/miou\s+higher-better\s+4\s/);
    const json = async (...extra: string[]) => {
      const j = bufferIO(dir);
      expect(await runCli(['rank', '--identifier', 'fd', '--perf', 'perf.csv', '--format', 'json', ...extra, ...scored], j)).toBe(0);
      return JSON.parse(j.out);
    };
    const declared = await json();
    const flipped = await json('--direction', 'lower-better');
    expect(flipped.direction).toBe('lower-better');
    expect(flipped.direction_source).toBe('option');
    expect(flipped.results[0].tau_b).toBeCloseTo(-declared.results[0].tau_b, 12);
  });

  it('uses a metrics.json only when it records the same options', async () => {
    const base = join(dir, 'reuse');
    const dirs = [await writeRun(base, 'p0', { steps: [0, 10], seed: 40 }), await writeRun(base, 'p1', { steps: [0, 10], seed: 41, skew: 8 })];
    await writeFile(join(base, 'perf.csv'), 'run,metric,value,direction\np0,acc,1,higher\np1,acc,2,higher\n');
    const { rows } = await scoreCaptures((await Promise.all(dirs.map(listCaptures))).flat());
    const series = identifierSeries(rows, { metric: 'fd' });
    const fd = ['p0', 'p1'].map((r) => valueAt(series.get(r)!, 'mean')!);
    const fromCaptures = Math.sign(fd[1]! - fd[0]!);
    expect(fromCaptures).not.toBe(0);
    const rank = async () => {
      const io = bufferIO(base);
      expect(await runCli(['rank', '--identifier', 'fd', '--perf', 'perf.csv', '--format', 'json', '--out', 'r.json', ...dirs], io)).toBe(0);
      expect(io.out).toBe('');
      return JSON.parse(await readFile(join(base, 'r.json'), 'utf8')).results[0].tau_b as number;
    };
    // tables that order the runs the other way round
    const table = (i: number, options: object) =>
      writeFile(join(dirs[i]!, 'metrics.json'), toJSON([{ run: `p${i}`, step: 10, metric: 'fd', task: '', task_b: '', value: fd[1 - i]! }], options));
    await table(0, OPTIONS);
    await table(1, OPTIONS);
    expect(await rank()).toBe(-fromCaptures);
    await table(0, { ...OPTIONS, granularity: 'channel' });
    await table(1, { ...OPTIONS, granularity: 'channel' });
    expect(await rank()).toBe(fromCaptures);
  });

  it('warns about runs the performance CSV does not cover', async () => {
    const extra = await writeRun(join(dir, 'extra'), 'm-new', { steps: [0], seed: 3 });
    const io = bufferIO(dir);
    expect(await runCli(['rank', '--identifier', 'fd', '--perf', 'perf.csv', '--format', 'json', extra, ...scored], io)).toBe(0);
    expect(JSON.parse(io.out).results[0].n_runs).toBe(4);
    expect(io.err).toContain("no test results in perf.csv for run(s) 'm-new'");
  });

  it('fails in one line (exit 2) on missing or bad input', async () => {
    expect(await failing(['--identifier', 'fd', ...scored])).toContain('--perf');
    expect(await failing(['--identifier', 'fd', '--perf', 'perf.csv', scored[0]!])).toContain('at least 2 run directories');
    expect(await failing(['--identifier', 'grad_norm', '--task', 'seg', '--perf', 'perf.csv', ...scored])).toContain('declares no direction');
    expect(await failing(['--identifier', 'fd', '--at', 'last', '--perf', 'perf.csv', ...scored])).toContain('--at');
    expect(await failing(['--identifier', 'fd', '--direction', 'up', '--perf', 'perf.csv', ...scored])).toContain('--direction');
    expect(await failing(['--identifier', 'fd', '--perf', 'missing.csv', ...scored])).toContain('missing.csv: no such file');
    expect(await failing(['--identifier', 'fd_task', '--perf', 'perf.csv', ...scored])).toContain('--task seg');
    expect(await failing(['--identifier', 'fd_nope', '--direction', 'higher', '--perf', 'perf.csv', ...scored])).toContain("no run has the metric 'fd_nope'");
    expect(await failing(['--identifier', 'fd_mas', '--perf', 'perf.csv', ...scored])).toMatch(/^mtl-fd rank: unknown identifier 'fd_mas': not a metric of the tidy table; did you mean 'fd_mass'\? \(known: fd, fd_mass, .*\)$/);
    expect(await failing(['--identifier', 'fd_mas', '--direction', 'higher', '--perf', 'perf.csv', ...scored])).toContain("no run has the metric 'fd_mas': did you mean 'fd_mass'?");
    await writeFile(join(dir, 'stranger.csv'), 'run,metric,value,direction\nm0,acc,1,higher\nm1,acc,2,higher\nm9,acc,3,higher\n');
    expect(await failing(['--identifier', 'fd', '--perf', 'stranger.csv', ...scored])).toContain("stranger.csv: run 'm9' not among the runs given (m0, m1, m2, m3)");
    await writeFile(join(dir, 'bad.csv'), 'run,metric,value\nm0,miou,1\n');
    expect(await failing(['--identifier', 'fd', '--perf', 'bad.csv', ...scored])).toContain("bad.csv: no 'direction' column");
    await writeFile(join(dir, 'bad2.csv'), 'run,metric,value,direction\nm0,miou,1,higher\nm1,miou,2,lower\n');
    expect(await failing(['--identifier', 'fd', '--perf', 'bad2.csv', ...scored])).toContain('bad2.csv: line 3');
    expect(await failing(['--identifier', 'fd', '--perf', 'perf.csv', scored[0]!, join(dir, 'nowhere')])).toContain('not a run directory');
  });
});

// The demo fixture: six MTL runs (metrics.csv with options) and their test results.
const DEMO = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'demo');
const DEMO_RUNS = ['ew', 'uw', 'dwa', 'imbalanced', 'pcgrad', 'mgda'].map((r) => join(DEMO, 'runs', r));
const DEMO_PERF = join(DEMO, 'perf.csv');

interface Cell {
  identifier: string;
  task: string | null;
  task_b: string | null;
  at: string | number;
  perf_metric: string;
  perf_direction: string;
  direction: string;
  n_runs: number;
  tau_b: number | null;
  rho: number | null;
  p_value: number | null;
  p_method: string | null;
  ci_low: number | null;
  ci_high: number | null;
  na_reason: string | null;
}

async function table(...extra: string[]): Promise<{ out: string; err: string }> {
  const io = bufferIO(dir);
  expect(await runCli(['rank', '--perf', DEMO_PERF, ...extra, ...DEMO_RUNS], io), io.err).toBe(0);
  return io;
}

describe('mtl-fd rank: the whole table', () => {
  it('gives every identifier as JSON cells, agreeing with the demo\'s own ranking at the mean', async () => {
    const report = JSON.parse((await table('--format', 'json')).out) as { options: Record<string, unknown>; cells: Cell[] };
    expect(report.options).toMatchObject({ saliency: 'grad', at: ['final', 'mean'], runs: ['ew', 'uw', 'dwa', 'imbalanced', 'pcgrad', 'mgda'], seed: 0 });
    expect(report.options.perf_tasks).toEqual({ left_acc: 'left', right_acc: 'right', sum_mae: 'sum', delta_m_maninis: null });
    const keys = ['identifier', 'task', 'task_b', 'at', 'perf_metric', 'perf_direction', 'direction', 'n_runs', 'tau_b', 'rho', 'p_value', 'p_method', 'ci_low', 'ci_high', 'na_reason'];
    for (const c of report.cells) expect(Object.keys(c)).toEqual(keys);
    const identifiers = new Set(report.cells.map((c) => c.identifier));
    expect([...identifiers]).toEqual(['fd', 'fd_mass', 'fd_task', 'grad_norm_share', 'grad_gms', 'grad_cos_mean', 'grad_conflict_frac', 'grad_cond', 'loss_ratio', 'rel_rate']);
    // the demo computed these cells itself (ranking.json, at the mean); its grad_gms per task is a mean over pairs, so not comparable
    const demo = JSON.parse(await readFile(join(DEMO, 'ranking.json'), 'utf8')) as {
      identifier: string;
      task: string | null;
      results: { perf_metric: string; tau_b: number | null; rho: number | null; n_runs: number }[];
    }[];
    let compared = 0;
    for (const row of demo) {
      if (row.identifier === 'grad_gms' && row.task !== 'all pairs') continue;
      for (const r of row.results) {
        const c = report.cells.find((x) => x.identifier === row.identifier && x.task === row.task && x.perf_metric === r.perf_metric && x.at === 'mean');
        expect(c, `${row.identifier} ${row.task} ${r.perf_metric}`).toBeDefined();
        expect(c!.n_runs).toBe(r.n_runs);
        if (c!.na_reason !== null) continue;
        expect(c!.tau_b).toBeCloseTo(r.tau_b!, 12);
        expect(c!.rho).toBeCloseTo(r.rho!, 12);
        compared++;
      }
    }
    expect(compared).toBeGreaterThanOrEqual(16);
    for (const c of report.cells.filter((x) => x.na_reason === null)) {
      expect(c.p_method).toBe('exact');
      expect(c.p_value! > 0 && c.p_value! <= 1).toBe(true);
      expect(c.ci_low!).toBeLessThanOrEqual(c.ci_high!);
    }
  });

  it('says rel_rate averaged over the tasks is n/a by construction, not a tau-b of rounding noise', async () => {
    const { cells } = JSON.parse((await table('--format', 'json')).out) as { cells: Cell[] };
    const rel = cells.filter((c) => c.identifier === 'rel_rate' && c.task === 'mean of tasks');
    expect(rel.map((c) => c.at)).toEqual(['final', 'mean']);
    for (const c of rel) {
      expect(c).toMatchObject({ perf_metric: 'delta_m_maninis', tau_b: null, rho: null, p_value: null, p_method: null, ci_low: null });
      expect(c.na_reason).toContain('1 for every run by construction');
    }
  });

  it('prints an aligned text table with the best per column, the cells that beat chance, a legend and the n/a reasons', async () => {
    const { out } = await table();
    const { cells } = JSON.parse((await table('--format', 'json')).out) as { cells: Cell[] };
    const lines = out.split('\n');
    const head = lines.findIndex((l) => l.startsWith('identifier'));
    expect(lines[head - 1]).toMatch(/left_acc \(higher\)\s+right_acc \(higher\)\s+sum_mae \(lower\)\s+delta_m_maninis \(higher\)/);
    expect(lines[head]).toMatch(/^identifier\s+predicts\s+final\s+mean\s+final\s+mean/);
    const body = lines.slice(head + 1, lines.indexOf('', head));
    expect(body).toHaveLength(new Set(cells.map((c) => `${c.identifier}|${c.task}|${c.task_b}`)).size);
    // each column starts where its header does
    const col = (l: string, n: number) => l.slice(lines[head]!.indexOf('final'), lines[head]!.indexOf('final') + n);
    expect(col(body.find((l) => l.startsWith('fd '))!, 8).trim()).toMatch(/^[[ ]?[+-]?\d\.\d\d\*?]?$/);
    // the starred cells are those with p < 0.05, the bracketed ones the column maxima
    const significant = cells.filter((c) => c.p_value !== null && c.p_value < 0.05);
    expect((out.match(/\d\*/g) ?? []).length).toBe(significant.length);
    const columns = new Set(cells.filter((c) => c.tau_b !== null).map((c) => `${c.perf_metric}|${c.at}`));
    const maxima = [...columns].flatMap((k) => {
      const here = cells.filter((c) => `${c.perf_metric}|${c.at}` === k && c.tau_b !== null);
      const best = Math.max(...here.map((c) => c.tau_b!));
      return here.filter((c) => c.tau_b === best);
    });
    expect((out.match(/\[[+ -]\d\.\d\d[* ]\]/g) ?? []).length).toBe(maxima.length);
    const fdRow = body.find((l) => l.startsWith('fd_task [mean of tasks]'))!;
    expect(fdRow.trim().split(/\s+/).slice(-2).map(Number)).toEqual(
      ['final', 'mean'].map((at) => Number(cells.find((c) => c.identifier === 'fd_task' && c.task === 'mean of tasks' && c.at === at)!.tau_b!.toFixed(2))),
    );
    expect(out).toMatch(/^legend: .*\* p < 0\.05.*\[ \] best identifier in the column/m);
    expect(out).toContain('p-values: share of orderings');
    expect(out).toContain('exact, over all 6! orderings');
    expect(out).toMatch(/^ {2}rel_rate \[mean of tasks\] \(final, mean\): rel_rate averaged over the tasks is 1/m);
  });

  it('writes one CSV row per cell, the JSON cell\'s fields as columns', async () => {
    const { out } = await table('--format', 'csv');
    const { cells } = JSON.parse((await table('--format', 'json')).out) as { cells: Cell[] };
    const lines = out.trimEnd().split('\n');
    expect(lines[0]).toBe('identifier,task,task_b,at,perf_metric,perf_direction,direction,n_runs,tau_b,rho,p_value,p_method,ci_low,ci_high,na_reason');
    expect(lines).toHaveLength(cells.length + 1);
    const c = cells[0]!;
    expect(lines[1]).toBe([c.identifier, '', '', c.at, c.perf_metric, c.perf_direction, c.direction, c.n_runs, c.tau_b, c.rho, c.p_value, c.p_method, c.ci_low, c.ci_high, ''].join(','));
    const na = cells.findIndex((x) => x.na_reason !== null);
    expect(lines[na + 1]).toMatch(/,,,,,,(".*"|[^,]*)$/);
  });

  it('matches test metrics to tasks by the CSV\'s task column', async () => {
    await writeFile(join(dir, 'demo-acc.csv'), 'run,metric,value,direction,task\n' + ['ew', 'uw', 'dwa', 'imbalanced', 'pcgrad', 'mgda'].map((r, i) => `${r},acc,${(i * 7) % 6},higher,right`).join('\n'));
    const io = bufferIO(dir);
    expect(await runCli(['rank', '--perf', 'demo-acc.csv', '--format', 'json', '--at', 'mean', ...DEMO_RUNS], io), io.err).toBe(0);
    const { cells } = JSON.parse(io.out) as { cells: Cell[] };
    const perTask = cells.filter((c) => c.task !== null);
    // only the right task's variants: no whole-run metric, so no averages either
    for (const c of perTask) expect(c.task === 'right' || c.task_b === 'right', `${c.identifier} ${c.task} ${c.task_b}`).toBe(true);
    const rows = (id: string) => perTask.filter((c) => c.identifier === id).map((c) => [c.task, c.task_b]);
    expect(rows('fd_task')).toEqual([['right', null]]);
    expect(rows('grad_gms')).toEqual([['left', 'right'], ['right', 'sum']]);
  });

  it('reads one capture with --at, and --seed moves the intervals but not tau-b', async () => {
    const final = JSON.parse((await table('--format', 'json', '--at', 'final')).out) as { cells: Cell[] };
    expect(new Set(final.cells.map((c) => c.at))).toEqual(new Set(['final']));
    const step = JSON.parse((await table('--format', 'json', '--at', '16')).out) as { cells: Cell[] };
    expect(new Set(step.cells.map((c) => c.at))).toEqual(new Set([16]));
    const both = JSON.parse((await table('--format', 'json')).out) as { cells: Cell[] };
    expect(final.cells).toEqual(both.cells.filter((c) => c.at === 'final'));
    const seeded = JSON.parse((await table('--format', 'json', '--at', 'final', '--seed', '3', '--resamples', '500')).out) as { cells: Cell[] };
    expect(seeded.cells.map((c) => c.tau_b)).toEqual(final.cells.map((c) => c.tau_b));
    expect(seeded.cells.map((c) => c.ci_low)).not.toEqual(final.cells.map((c) => c.ci_low));
    const again = JSON.parse((await table('--format', 'json', '--at', 'final', '--seed', '3', '--resamples', '500')).out) as { cells: Cell[] };
    expect(again).toEqual(seeded);
  });

  it('fails in one line on a perf file naming a run not given, a missing perf file, or options of --identifier', async () => {
    await writeFile(join(dir, 'demo-extra.csv'), `${await readFile(DEMO_PERF, 'utf8')}stl-left,left_acc,0.9,higher\nnashmtl,left_acc,0.5,higher\n`);
    expect(await failing(['--perf', 'demo-extra.csv', ...DEMO_RUNS])).toBe(
      "mtl-fd rank: demo-extra.csv: runs 'stl-left', 'nashmtl' not among the runs given (ew, uw, dwa, imbalanced, pcgrad, mgda): add the run directory or drop its rows",
    );
    expect(await failing(['--perf', 'nothere.csv', ...DEMO_RUNS])).toBe('mtl-fd rank: nothere.csv: no such file');
    await writeFile(join(dir, 'demo-task.csv'), 'run,metric,value,direction,task\n' + ['ew', 'uw', 'dwa', 'imbalanced', 'pcgrad', 'mgda'].map((r, i) => `${r},acc,${i},higher,middle`).join('\n'));
    expect(await failing(['--perf', 'demo-task.csv', ...DEMO_RUNS])).toBe(
      "mtl-fd rank: demo-task.csv: test metric 'acc' is of task 'middle', which no run has (the runs' tasks: left, right, sum)",
    );
    expect(await failing(['--perf', DEMO_PERF, '--task', 'left', ...DEMO_RUNS])).toContain('--task needs --identifier');
    expect(await failing(['--perf', DEMO_PERF, '--at', 'final,last', ...DEMO_RUNS])).toContain('--at');
    expect(await failing(['--identifier', 'fd', '--format', 'csv', '--perf', DEMO_PERF, ...DEMO_RUNS])).toContain('--format csv is for the whole table');
    expect(await failing(['--perf', DEMO_PERF, '--resamples', '0', ...DEMO_RUNS])).toContain('--resamples');
  });
});
