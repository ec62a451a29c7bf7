import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listCaptures } from '@mtl-fd/capture';
import { identifierSeries, kendallTauB, scoreCaptures, spearmanRho, toCSV, toJSON, valueAt, type TidyRow } from '@mtl-fd/metrics';
import { runCli } from '../src/cli.js';
import { bufferIO, writeRun } from './scoreHelpers.js';

const OPTIONS = { saliency: 'grad', granularity: 'element', temperature: 0, nonFinite: 'error' };

let dir = '';
const scored: string[] = [];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mtl-fd-cli-rank-'));
  for (const [i, skew] of [1, 2, 4, 8].entries()) scored.push(await writeRun(dir, `m${i}`, { steps: [0, 50, 100], seed: 10 + i, skew }));
  await writeFile(
    join(dir, 'perf.csv'),
    ['run,metric,value,direction', 'm0,miou,0.30,higher', 'm1,miou,0.35,higher-is-better', 'm2,miou,0.33,higher', 'm3,miou,0.40,higher',
      'm0,abs_err,0.9,lower', 'm1,abs_err,0.5,lower-is-better', 'm2,abs_err,0.6,lower', 'm3,abs_err,0.7,lower', 'other,abs_err,0.1,lower'].join('\n'),
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
    expect(await runCli(['rank', '--identifier', 'fd', '--perf', 'perf.csv', '--format', 'json', extra, scored[0]!, scored[1]!], io)).toBe(0);
    expect(JSON.parse(io.out).results[0].n_runs).toBe(2);
    expect(io.err).toContain("no test results in perf.csv for run(s) 'm-new'");
  });

  it('fails in one line (exit 2) on missing or bad input', async () => {
    expect(await failing(['--perf', 'perf.csv', ...scored])).toContain('--identifier');
    expect(await failing(['--identifier', 'fd', ...scored])).toContain('--perf');
    expect(await failing(['--identifier', 'fd', '--perf', 'perf.csv', scored[0]!])).toContain('at least 2 run directories');
    expect(await failing(['--identifier', 'grad_norm', '--task', 'seg', '--perf', 'perf.csv', ...scored])).toContain('declares no direction');
    expect(await failing(['--identifier', 'fd', '--at', 'last', '--perf', 'perf.csv', ...scored])).toContain('--at');
    expect(await failing(['--identifier', 'fd', '--direction', 'up', '--perf', 'perf.csv', ...scored])).toContain('--direction');
    expect(await failing(['--identifier', 'fd', '--perf', 'missing.csv', ...scored])).toContain('missing.csv: no such file');
    expect(await failing(['--identifier', 'fd_task', '--perf', 'perf.csv', ...scored])).toContain('--task seg');
    expect(await failing(['--identifier', 'fd_nope', '--direction', 'higher', '--perf', 'perf.csv', ...scored])).toContain("no run has the metric 'fd_nope'");
    await writeFile(join(dir, 'bad.csv'), 'run,metric,value\nm0,miou,1\n');
    expect(await failing(['--identifier', 'fd', '--perf', 'bad.csv', ...scored])).toContain("bad.csv: no 'direction' column");
    await writeFile(join(dir, 'bad2.csv'), 'run,metric,value,direction\nm0,miou,1,higher\nm1,miou,2,lower\n');
    expect(await failing(['--identifier', 'fd', '--perf', 'bad2.csv', ...scored])).toContain('bad2.csv: line 3');
    expect(await failing(['--identifier', 'fd', '--perf', 'perf.csv', scored[0]!, join(dir, 'nowhere')])).toContain('not a run directory');
  });
});
