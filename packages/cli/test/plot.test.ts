import { fromCSV, fromPerfCSV, rankingTable, toCSV, toJSON, type TidyRow } from '@mtl-fd/metrics';
import { fileURLToPath } from 'node:url';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli.js';
import { bufferIO, writeRun } from './scoreHelpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'mtl-fd-plot-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const options = { saliency: 'grad', granularity: 'element', temperature: 0, nonFinite: 'error', weighted: false };

/** A small tidy table for one run: 2 tasks, the charted metrics over `steps`. */
function table(run: string, steps: number[]): TidyRow[] {
  const rows: TidyRow[] = [];
  const add = (step: number, metric: string, value: number | null, task = '', task_b = '') => rows.push({ run, step, metric, task, task_b, value });
  steps.forEach((step, k) => {
    const x = k / Math.max(1, steps.length - 1);
    add(step, 'fd', 0.2 + 0.5 * x);
    add(step, 'fd_task', 0.3 + 0.4 * x, 'seg');
    add(step, 'fd_task', 0.25 + 0.3 * x, 'depth');
    add(step, 'fd_pair', 0.4 + 0.3 * x, 'seg', 'depth');
    add(step, 'grad_cos', 0.3 - 0.2 * x, 'seg', 'depth');
    add(step, 'grad_cos_mean', 0.3 - 0.2 * x);
    add(step, 'grad_conflict_frac', 0);
    add(step, 'grad_norm', 1, 'seg');
    add(step, 'grad_norm', 1 + x, 'depth');
    add(step, 'grad_norm_share', 1 / (2 + x), 'seg');
    add(step, 'grad_norm_share', (1 + x) / (2 + x), 'depth');
    add(step, 'loss_ratio', 1 - 0.5 * x, 'seg');
    add(step, 'loss_ratio', 1 - 0.3 * x, 'depth');
    add(step, 'rel_rate', (1 - 0.5 * x) / (1 - 0.4 * x), 'seg');
    add(step, 'rel_rate', (1 - 0.3 * x) / (1 - 0.4 * x), 'depth');
  });
  return rows;
}

function runDir(name: string, files: Record<string, string>): string {
  const dir = join(tmp, name);
  mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  return dir;
}

const ranking = {
  identifier: 'fd',
  task: '',
  at: 'mean',
  direction: 'higher_better',
  results: [{ perf_metric: 'delta_m', perf_direction: 'higher_better', n_runs: 3, tau_b: 0.33, rho: 0.5 }],
};

describe('mtl-fd plot', () => {
  it('plots one run from its metrics.json into <run>/report and prints index.html', async () => {
    const dir = runDir('one', { 'metrics.json': toJSON(table('one', [0, 100, 200]), options) });
    const io = bufferIO(tmp);
    expect(await runCli(['plot', dir], io)).toBe(0);
    expect(io.out).toBe(`${join(dir, 'report', 'index.html')}\n`);
    expect(io.err).toBe('');
    const files = readdirSync(join(dir, 'report'));
    for (const id of ['fd-trajectory', 'pair-fd', 'pair-grad-cos-evolution', 'task-ownership']) {
      for (const ext of ['vl.json', 'svg', 'png']) expect(files).toContain(`${id}.${ext}`);
    }
    expect(files).not.toContain('ranking-similarity.svg');
    const html = readFileSync(join(dir, 'report', 'index.html'), 'utf8');
    expect(html).toMatch(/<th>granularity<\/th><td><code>element<\/code>/);
    expect(html).toContain('<section id="findings"><h2>Findings</h2>'); // diagnosed by default
    expect(html).not.toContain('No diagnosis was run');
  });

  it('plots several runs (json and csv) into ./mtl-fd-report with --rank and --step', async () => {
    const a = runDir('multi/a', { 'metrics.json': toJSON(table('a', [0, 100, 200, 300]), options) });
    const b = runDir('multi/b', {
      'metrics.csv': toCSV(table('b', [0, 100])),
      'metrics.csv.options.json': JSON.stringify({ options: { ...options, granularity: 'channel' } }),
    });
    writeFileSync(join(tmp, 'multi', 'rank.json'), JSON.stringify([ranking, { ...ranking, identifier: 'grad_cos_mean' }]));
    const io = bufferIO(join(tmp, 'multi'));
    expect(await runCli(['plot', 'a', 'b', '--rank', 'rank.json', '--step', '90', '--title', 'two runs', '--no-diagnose'], io)).toBe(0);
    const index = join(tmp, 'multi', 'mtl-fd-report', 'index.html');
    expect(io.out).toBe(`${index}\n`);
    const html = readFileSync(index, 'utf8');
    expect(html).toContain('<title>two runs</title>');
    expect(html).toContain('the capture nearest step 90');
    expect(html).toContain('2 identifiers');
    expect(html).toContain('No diagnosis was run');
    expect(html).toContain('<th>a</th><td><code>{&quot;saliency&quot;:&quot;grad&quot;,&quot;granularity&quot;:&quot;element&quot;');
    expect(existsSync(join(tmp, 'multi', 'mtl-fd-report', 'ranking-similarity.png'))).toBe(true);
    const spec = JSON.parse(readFileSync(join(tmp, 'multi', 'mtl-fd-report', 'pair-fd.vl.json'), 'utf8'));
    expect(new Set(spec.data.values.map((v: { panel: string }) => v.panel))).toEqual(new Set(['a · step 100', 'b · step 100']));
    expect(existsSync(join(a, 'report'))).toBe(false);
    expect(existsSync(join(b, 'report'))).toBe(false);
  });

  it('computes the ranking itself with --perf: the chart and the table (tau-b, p-value, n/a by rule) in the report', async () => {
    const fixture = join(fileURLToPath(new URL('../../../fixtures/demo/', import.meta.url)));
    const io = bufferIO(tmp);
    expect(await runCli(['plot', join(fixture, 'metrics.csv'), '--perf', join(fixture, 'perf.csv'), '--out', 'perf-report', '--no-diagnose'], io)).toBe(0);
    const dir = join(tmp, 'perf-report');
    const html = readFileSync(join(dir, 'index.html'), 'utf8');
    const section = html.slice(html.indexOf('id="table-ranking"'));
    expect(section).toContain('<td>fd_task [left]</td>');
    expect(section).toMatch(/exact over the 6! orderings/);
    // n/a (not computed, by rule) apart from blank (not compared)
    expect(section).toContain('<tr><td>rel_rate [mean of tasks]</td><td>lower=better</td><td></td><td></td><td></td><td>n/a</td></tr>');
    // the chart's numbers are the metrics table's, computed from the same files
    const rows = fromCSV(readFileSync(join(fixture, 'metrics.csv'), 'utf8'));
    const perf = fromPerfCSV(readFileSync(join(fixture, 'perf.csv'), 'utf8'));
    const cells = rankingTable(rows, perf, { at: ['mean'] }).cells;
    const spec = JSON.parse(readFileSync(join(dir, 'ranking-similarity.vl.json'), 'utf8'));
    const fdLeft = spec.data.values.find((v: { identifier: string; perf: string; statistic: string }) => v.identifier.startsWith('fd (mean') && v.perf.startsWith('left_acc') && v.statistic.startsWith('Kendall'));
    const cell = cells.find((c) => c.identifier === 'fd' && c.perf_metric === 'left_acc')!;
    expect(fdLeft.value).toBe(cell.tau_b);
    expect(fdLeft.p_value).toBe(cell.p_value);
    const rel = spec.data.values.find((v: { identifier: string }) => v.identifier.startsWith('rel_rate[mean of tasks]'));
    expect(rel.value).toBeNull();
    expect(rel.na_reason).toMatch(/by construction/);
    // not compared: fd_task[left] has no row in the delta_m panel
    expect(spec.data.values.some((v: { identifier: string; perf: string }) => v.identifier.startsWith('fd_task[left]') && v.perf.startsWith('delta_m'))).toBe(false);
  });

  it('scores a run\u2019s captures when it has no table, writing to --out', async () => {
    const dir = await writeRun(tmp, 'captured', { steps: [0, 10, 20], seed: 3, skew: 2 });
    const io = bufferIO(tmp);
    expect(await runCli(['plot', dir, '--out', 'captured-report'], io)).toBe(0);
    expect(io.out).toBe(`${join(tmp, 'captured-report', 'index.html')}\n`);
    expect(io.err).toContain('no metrics table, scoring its 3 capture(s) with the default score options');
    const html = readFileSync(join(tmp, 'captured-report', 'index.html'), 'utf8');
    expect(html).toMatch(/<th>saliency<\/th><td><code>grad<\/code>/);
    const trajectory = JSON.parse(readFileSync(join(tmp, 'captured-report', 'fd-trajectory.vl.json'), 'utf8'));
    expect(new Set(trajectory.data.values.map((v: { step: number }) => v.step))).toEqual(new Set([0, 10, 20]));
  });

  it('fails with one clear line and exit 2, writing nothing', async () => {
    runDir('bare', { 'notes.txt': 'no table' });
    runDir('empty', { 'metrics.json': toJSON([], options) });
    runDir('dup1', { 'metrics.json': toJSON(table('same', [0]), options) });
    runDir('dup2', { 'metrics.json': toJSON(table('same', [0]), options) });
    runDir('good', { 'metrics.json': toJSON(table('good', [0, 1]), options) });
    writeFileSync(join(tmp, 'bad-rank.json'), '{"identifier": 3}');
    writeFileSync(join(tmp, 'broken.json'), '{');
    const cases: [string[], RegExp][] = [
      [['plot'], /give at least one run directory/],
      [['plot', 'missing'], /missing: no such file or directory/],
      [['plot', 'bare'], /bare: no metrics\.json, metrics\.csv or captures\/ to plot/],
      [['plot', 'empty'], /empty: the metrics table has no rows/],
      [['plot', 'dup1', 'dup2'], /run 'same' comes from both dup1 and dup2/],
      [['plot', 'good', '--rank', 'bad-rank.json'], /bad-rank\.json: 'identifier' must be a non-empty string/],
      [['plot', 'good', '--rank', 'broken.json'], /--rank broken\.json: not valid JSON/],
      [['plot', 'good', '--rank', 'nope.json'], /--rank nope\.json: no such file/],
      [['plot', 'good', '--step=-3'], /--step must be a number >= 0 \(got '-3'\)/],
      [['plot', 'good', '--step', 'last'], /--step must be a number >= 0 \(got 'last'\)/],
      [['plot', 'good', '--colour', 'red'], /colour/],
      [['plot', 'good', '--perf', 'nope.csv'], /nope\.csv: no such file/],
      [['plot', 'good', '--perf', 'p.csv', '--rank', 'r.json'], /--perf .* or --rank .*, not both/],
      [['plot', 'good', '--at', 'final'], /--at needs --perf/],
    ];
    for (const [argv, message] of cases) {
      const io = bufferIO(tmp);
      expect(await runCli(argv, io), argv.join(' ')).toBe(2);
      expect(io.err.trim().split('\n'), argv.join(' ')).toHaveLength(1);
      expect(io.err).toMatch(/^mtl-fd plot: /);
      expect(io.err).toMatch(message);
      expect(io.out).toBe('');
    }
    expect(existsSync(join(tmp, 'good', 'report'))).toBe(false);
    expect(existsSync(join(tmp, 'mtl-fd-report'))).toBe(false);
  });

  it('has usage text naming its options', async () => {
    const io = bufferIO(tmp);
    expect(await runCli(['plot', '--help'], io)).toBe(0);
    for (const flag of ['--out', '--rank', '--step', '--no-diagnose']) expect(io.out).toContain(flag);
  });
});
