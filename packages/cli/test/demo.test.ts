import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../src/args.js';
import { parseDemoOptions } from '../src/commands/demo.js';

// End to end through the built binary (`npm test` builds first).
const root = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const bin = join(root, 'packages/cli/dist/main.js');
const TINY = ['--epochs', '1', '--methods', 'ew,pcgrad', '--train-size', '128', '--test-size', '64', '--probe-size', '8', '--batch-size', '32'];

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function demo(args: string[]): Promise<Result> {
  return new Promise((done) => {
    execFile(process.execPath, [bin, 'demo', ...args], { cwd: root, maxBuffer: 16 << 20, env: { ...process.env, MTL_FD_BACKEND: '' } }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      done({ code, stdout, stderr });
    });
  });
}

let tmp: string;
beforeAll(async () => {
  if (!existsSync(bin)) throw new Error(`${bin} is missing: run \`npm run build\` first`);
  tmp = await mkdtemp(join(tmpdir(), 'mtl-fd-demo-test-'));
});
afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('mtl-fd demo, end to end (1 epoch, 2 methods, tiny sizes)', () => {
  let out: string;
  let r: Result;
  beforeAll(async () => {
    out = join(tmp, 'full');
    r = await demo(['--out', out, '--seed', '3', ...TINY]);
  }, 120_000);

  it('exits 0 and ends with the report path', async () => {
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code).toBe(0);
    const last = r.stdout.trimEnd().split('\n').at(-1)!;
    expect(last).toBe(`Report: ${join(out, 'report', 'index.html')}`);
  });

  it('shows a progress line per run on stderr (plain lines when not a TTY) and the backend', () => {
    expect(r.stderr).toMatch(/TensorFlow\.js backend '(wasm|cpu|tensorflow)'/);
    for (const name of ['ew', 'pcgrad', 'stl-left', 'stl-right', 'stl-sum']) {
      expect(r.stderr).toMatch(new RegExp(`\\[\\d/5\\] ${name}\\s+epoch 1/1 .*ETA`));
    }
    expect(r.stderr).not.toContain('\r');
  });

  it('prints the summary table and the ranking table', () => {
    expect(r.stdout).toMatch(/^ew\s+equal weighting\s+0\.\d{3}\s+0\.\d{3}\s+\d+\.\d{2}\s+[+-]\d/m);
    expect(r.stdout).toMatch(/^pcgrad\s+PCGrad on dL\/dz/m);
    expect(r.stdout).toMatch(/^stl-sum\s+single-task sum/m);
    expect(r.stdout).toContain('Delta m maninis');
    expect(r.stdout).toContain('Ranking Similarity over 2 multi-task runs');
    for (const id of ['fd', 'fd_task \\[left\\]', 'grad_cos_mean', 'grad_conflict_frac', 'grad_gms \\[left, right\\]', 'loss_ratio \\[sum\\]', 'rel_rate \\[mean of tasks\\]']) {
      expect(r.stdout).toMatch(new RegExp(`^${id}\\s`, 'm'));
    }
  });

  it('writes run directories with run.json, a capture per epoch and at step 0, and tidy tables', async () => {
    for (const m of ['ew', 'pcgrad']) {
      const dir = join(out, 'runs', m);
      const manifest = JSON.parse(await readFile(join(dir, 'run.json'), 'utf8'));
      expect(manifest.run).toBe(m);
      expect(manifest.sharedLayer.name).toBe('shared');
      expect(manifest.layout).toBe('NHWC');
      expect(manifest.tasks.map((t: { task: string }) => t.task)).toEqual(['left', 'right', 'sum']);
      expect(existsSync(join(dir, '.mtl-fd.lock')), 'the run lock is released').toBe(false);
      const captures = (await readdir(join(dir, 'captures'))).sort();
      expect(captures).toEqual(['step-00000000.safetensors', 'step-00000004.safetensors']);
      const csv = await readFile(join(dir, 'metrics.csv'), 'utf8');
      expect(csv.split('\n')[0]).toBe('run,step,metric,task,task_b,value');
      expect(csv).toMatch(new RegExp(`^${m},4,fd,,,0\\.\\d+`, 'm'));
    }
    const all = JSON.parse(await readFile(join(out, 'metrics.json'), 'utf8'));
    expect(all.options).toMatchObject({ saliency: 'grad', granularity: 'element', temperature: 0 });
    const runs = new Set(all.rows.map((x: { run: string }) => x.run));
    expect([...runs].sort()).toEqual(['ew', 'pcgrad']);
    const fd = all.rows.filter((x: { metric: string }) => x.metric === 'fd');
    expect(fd).toHaveLength(4);
    for (const row of fd) expect(row.value).toBeGreaterThan(0), expect(row.value).toBeLessThan(1);
    for (const m of ['loss_ratio', 'rel_rate', 'grad_gms', 'grad_cos_mean', 'grad_conflict_frac', 'fd_task']) {
      expect(all.rows.some((x: { metric: string }) => x.metric === m)).toBe(true);
    }
    for (const t of ['left', 'right', 'sum']) {
      const test = JSON.parse(await readFile(join(out, 'baselines', `stl-${t}`, 'test.json'), 'utf8'));
      expect(test.test).toHaveLength(1);
    }
    const perf = (await readFile(join(out, 'perf.csv'), 'utf8')).trim().split('\n');
    expect(perf[0]).toBe('run,metric,value,direction');
    expect(perf).toContain(perf.find((l) => /^ew,sum_mae,[\d.]+,lower$/.test(l)));
    expect(perf.some((l) => /^pcgrad,delta_m_maninis,-?[\d.e-]+,higher$/.test(l))).toBe(true);
  });

  it('writes a sane summary.json', async () => {
    const s = JSON.parse(await readFile(join(out, 'summary.json'), 'utf8'));
    expect(s.format).toBe('mtl-fd/demo-summary@1');
    expect(s.runs.map((x: { name: string }) => x.name)).toEqual(['ew', 'pcgrad', 'stl-left', 'stl-right', 'stl-sum']);
    for (const run of s.runs) {
      for (const t of run.test) {
        if (t.metric === 'acc') expect(t.value).toBeGreaterThanOrEqual(0), expect(t.value).toBeLessThanOrEqual(1);
        else expect(t.value).toBeGreaterThan(0);
      }
      expect(run.history).toHaveLength(1);
      expect(run.steps).toBe(4);
    }
    const ew = s.runs[0];
    expect(Number.isFinite(ew.delta_m.maninis)).toBe(true);
    expect(ew.delta_m.navon).toBeCloseTo(-ew.delta_m.maninis, 9); // one metric per task
    expect(ew.captures).toBe(2);
    expect(ew.final.fd).toBeGreaterThan(0);
    const ids = new Set(s.ranking.cells.map((c: { identifier: string }) => c.identifier));
    for (const id of ['fd', 'fd_task', 'grad_conflict_frac', 'grad_cos_mean', 'grad_gms', 'loss_ratio', 'rel_rate']) expect(ids).toContain(id);
    for (const c of s.ranking.cells) {
      expect(c.n_runs).toBe(2);
      if (c.tau_b !== null) expect(Math.abs(c.tau_b)).toBeLessThanOrEqual(1), expect(c.p_method).toBe('exact');
      else expect(c.na_reason).toBeTruthy();
    }
    // n/a by rule, not a tau-b of rounding noise
    expect(s.ranking.cells.find((c: { identifier: string; task: string }) => c.identifier === 'rel_rate' && c.task === 'mean of tasks').na_reason).toMatch(/by construction/);
    expect(s.conclusions.length).toBeGreaterThan(2);
    expect(s.conclusions[0]).toMatch(/Delta m \(maninis/);
    expect(Array.isArray(s.diagnose)).toBe(true);
  });

  it('renders one report across the runs, with the ranking chart', async () => {
    const html = await readFile(join(out, 'report', 'index.html'), 'utf8');
    expect(html.length).toBeGreaterThan(10_000);
    expect(html).toContain('pcgrad');
    const results = html.slice(html.indexOf('id="table-results"'), html.indexOf('id="table-ranking"'));
    expect(results).toContain('<th class="num">Delta m maninis %</th>');
    expect(results).toContain('<td>pcgrad</td>');
    expect(html).toContain('<a href="#table-ranking">Ranking Similarity (tau-b, p-value)</a>');
    expect(html.slice(html.indexOf('id="table-ranking"'))).toContain('<td>fd_task [left]</td>');
    for (const chart of ['fd-trajectory', 'ranking-similarity', 'task-ownership']) {
      expect((await stat(join(out, 'report', `${chart}.png`))).size).toBeGreaterThan(1000);
    }
    const ranking = JSON.parse(await readFile(join(out, 'ranking.json'), 'utf8'));
    expect(ranking.find((x: { identifier: string }) => x.identifier === 'fd').results.map((x: { perf_metric: string }) => x.perf_metric)).toEqual([
      'left_acc',
      'right_acc',
      'sum_mae',
      'delta_m_maninis',
    ]);
  });
});

describe('mtl-fd demo, determinism and errors', () => {
  const metricsOf = async (dir: string) => {
    const s = JSON.parse(await readFile(join(dir, 'summary.json'), 'utf8'));
    return {
      test: s.runs.map((x: { name: string; test: unknown; history: { losses: unknown }[] }) => [x.name, x.test, x.history.map((h) => h.losses)]),
      table: await readFile(join(dir, 'metrics.csv'), 'utf8'),
    };
  };

  it('gives identical metrics for the same seed (in one thread or in workers), different ones for another seed', async () => {
    const args = [...TINY, '--methods', 'uw,mgda,imbalanced', '--no-report', '--no-baselines'];
    const [a, b, c] = await Promise.all([
      demo(['--out', join(tmp, 'a'), '--seed', '5', '--jobs', '1', ...args]),
      demo(['--out', join(tmp, 'b'), '--seed', '5', '--jobs', '2', ...args]),
      demo(['--out', join(tmp, 'c'), '--seed', '6', '--jobs', '2', ...args]),
    ]);
    for (const x of [a, b, c]) expect(x.code, x.stderr).toBe(0);
    expect(a.stdout).toContain('Report: not written (--no-report)');
    const [ma, mb, mc] = await Promise.all([metricsOf(join(tmp, 'a')), metricsOf(join(tmp, 'b')), metricsOf(join(tmp, 'c'))]);
    expect(mb).toEqual(ma);
    expect(mc.test).not.toEqual(ma.test);
    expect(mc.table).not.toEqual(ma.table);
  }, 120_000);

  it('shows a real finding: under the weighted view its imbalanced run starves a task of the left-dominated backbone', async () => {
    const dir = join(tmp, 'weighted');
    const run = await demo(['--out', dir, '--seed', '1', '--epochs', '2', '--methods', 'imbalanced,ew', '--train-size', '256', '--test-size', '64', '--probe-size', '8', '--batch-size', '32', '--no-report', '--no-baselines']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Diagnose: [1-9]\d* findings .*weighted view/);
    const summary = JSON.parse(await readFile(join(dir, 'summary.json'), 'utf8')) as { diagnose: { kind: string; run: string; tasks: string[] }[]; diagnose_view: string };
    expect(summary.diagnose_view).toBe('weighted');
    const starved = summary.diagnose.filter((f) => f.kind === 'starved_task' && f.run === 'imbalanced');
    expect(starved.length).toBeGreaterThan(0);
    expect(starved.every((f) => f.tasks[1] === 'left' && f.tasks[0] !== 'left')).toBe(true);
    expect(summary.diagnose.filter((f) => f.run === 'ew' && f.kind === 'starved_task')).toEqual([]);
  }, 120_000);

  it('refuses bad options with a usage error (exit 2)', () => {
    for (const args of [['--methods', 'ew,nope'], ['--methods', 'ew,ew'], ['--epochs', '0'], ['--epochs', '1.5'], ['--at', 'soon'], ['--lr', '-1'], ['--backend', 'tpu'], ['extra'], ['--frobnicate'], ['--seeds', '0'], ['--seeds', '1.5']]) {
      expect(() => parseDemoOptions(args, tmp), args.join(' ')).toThrow(UsageError);
    }
    const ok = parseDemoOptions(['--methods', 'mgda, ew', '--at', 'final', '--seed', '0'], tmp);
    expect(ok).toMatchObject({ methods: ['mgda', 'ew'], at: 'final', seed: 0, epochs: 5, trainSize: 4000, testSize: 5000, baselines: true, report: true, out: join(tmp, 'mtl-fd-demo') });
  });

  it('prints one line and exits 2 for a bad option on the command line', async () => {
    const r = await demo(['--out', join(tmp, 'bad'), '--methods', 'ew,nope']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual(["mtl-fd demo: unknown method 'nope' (choose from ew, uw, dwa, imbalanced, pcgrad, mgda)"]);
    expect(existsSync(join(tmp, 'bad'))).toBe(false);
  });

  it('will not overwrite a directory it did not write', async () => {
    const dir = join(tmp, 'precious');
    await rm(dir, { recursive: true, force: true });
    await import('node:fs/promises').then((fs) => fs.mkdir(dir));
    await writeFile(join(dir, 'thesis.tex'), 'do not delete');
    const r = await demo(['--out', dir, ...TINY]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not empty/);
    expect(await readFile(join(dir, 'thesis.tex'), 'utf8')).toBe('do not delete');
  });
});

describe('mtl-fd demo --seeds (2 seeds, 3 methods, tiny sizes)', () => {
  const SEEDS_ARGS = [...TINY, '--methods', 'ew,uw,mgda', '--seed', '4', '--seeds', '2', '--jobs', '2'];
  let out: string;
  let r: Result;
  let single: Result;
  beforeAll(async () => {
    out = join(tmp, 'seeds');
    // the seed-5 experiment on its own, in one thread, to compare with the multi-seed run's seed-5/
    [r, single] = await Promise.all([demo(['--out', out, ...SEEDS_ARGS]), demo(['--out', join(tmp, 'seed5'), ...TINY, '--methods', 'ew,uw,mgda', '--seed', '5', '--jobs', '1'])]);
  }, 120_000);

  it('runs each seed as a whole demo in its own subdirectory, the same as that seed alone (whatever --jobs)', async () => {
    expect(r.code, r.stderr).toBe(0);
    expect(single.code, single.stderr).toBe(0);
    for (const seed of [4, 5]) {
      const s = JSON.parse(await readFile(join(out, `seed-${seed}`, 'summary.json'), 'utf8'));
      expect(s.options.seed).toBe(seed);
      expect((await readdir(join(out, `seed-${seed}`, 'runs'))).sort()).toEqual(['ew', 'mgda', 'uw']);
      expect(existsSync(join(out, `seed-${seed}`, 'report', 'index.html'))).toBe(true);
    }
    expect(existsSync(join(out, 'runs')), 'no runs outside the seed directories').toBe(false);
    expect(await readFile(join(out, 'seed-5', 'metrics.csv'), 'utf8')).toBe(await readFile(join(tmp, 'seed5', 'metrics.csv'), 'utf8'));
    expect(await readFile(join(out, 'seed-5', 'perf.csv'), 'utf8')).toBe(await readFile(join(tmp, 'seed5', 'perf.csv'), 'utf8'));
  });

  it('writes seeds.json: each cell summarised from the seeds\' own ranking tables', async () => {
    const s = JSON.parse(await readFile(join(out, 'seeds.json'), 'utf8'));
    expect(s.format).toBe('mtl-fd/demo-seeds@1');
    expect(s.seeds.map((x: { seed: number; dir: string }) => [x.seed, x.dir])).toEqual([
      [4, 'seed-4'],
      [5, 'seed-5'],
    ]);
    const perSeed = await Promise.all([4, 5].map(async (seed) => JSON.parse(await readFile(join(out, `seed-${seed}`, 'summary.json'), 'utf8')).ranking.cells));
    type Cell = { identifier: string; task: string | null; task_b: string | null; perf_metric: string; tau_b: number | null; p_value: number | null; na_reason: string | null };
    const same = (a: Cell) => (b: Cell) => a.identifier === b.identifier && a.task === b.task && a.task_b === b.task_b && a.perf_metric === b.perf_metric;
    expect(s.cells).toHaveLength(perSeed[0].length);
    let computed = 0;
    for (const c of s.cells) {
      const own = perSeed.map((cells: Cell[]) => cells.find(same(c))!);
      expect(c.tau_b_by_seed).toEqual(own.map((x) => (x.na_reason === null ? x.tau_b : null)));
      const taus = own.filter((x) => x.na_reason === null).map((x) => x.tau_b!);
      expect(c.n_computed).toBe(taus.length);
      if (taus.length > 0) {
        computed++;
        expect(c.tau_b.mean).toBeCloseTo(taus.reduce((a, b) => a + b, 0) / taus.length, 12);
        expect(c.tau_b.min).toBe(Math.min(...taus));
        expect(c.p_below).toBe(own.filter((x) => x.p_value !== null && x.p_value < 0.05).length);
      } else expect(c.na_reason).toBeTruthy();
    }
    expect(computed).toBeGreaterThan(10);
    const rel = s.cells.find((c: Cell) => c.identifier === 'rel_rate' && c.task === 'mean of tasks');
    expect(rel.tau_b).toBeNull();
    expect(rel.na_reason).toMatch(/by construction/);
    // every column's first places add up to at least one per seed
    for (const col of s.columns) expect(col.first.reduce((a: number, f: { seeds: number }) => a + f.seeds, 0)).toBeGreaterThanOrEqual(2);
  });

  it('writes seeds.csv, prints the summary tables and writes a report of all seeds', async () => {
    const csv = (await readFile(join(out, 'seeds.csv'), 'utf8')).trim().split('\n');
    expect(csv[0]).toMatch(/^identifier,task,task_b,at,perf_metric,perf_direction,direction,n_seeds,n_computed,tau_b_mean,tau_b_sd,tau_b_min,tau_b_max,.*,p_below,ranked_first,tau_b_seed_4,tau_b_seed_5,na_reason$/);
    const s = JSON.parse(await readFile(join(out, 'seeds.json'), 'utf8'));
    expect(csv).toHaveLength(s.cells.length + 1);
    expect(r.stdout).toContain('Ranking Similarity over 2 seeds: tau-b mean ± sd [min, max]');
    expect(r.stdout).toContain('Beats chance and ranks first: seeds out of 2');
    expect(r.stdout).toMatch(/^fd\s+higher=better\s.*[+-]\d\.\d\d±\d\.\d\d \[[+-]\d\.\d\d,[+-]\d\.\d\d\]/m);
    expect(r.stdout).toMatch(/^rel_rate \[mean of tasks\]\s+lower=better\s+n\/a$/m);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe(`Report: ${join(out, 'report', 'index.html')}`);
    const html = await readFile(join(out, 'report', 'index.html'), 'utf8');
    for (const id of ['seeds-tau', 'seeds-chance', 'seeds-delta-m']) expect(html).toContain(`id="table-${id}"`);
    for (const run of ['ew@4', 'mgda@5']) expect(html).toContain(run);
  });

  it('replaces an earlier multi-seed output, seed directories included', async () => {
    const again = await demo(['--out', out, ...TINY, '--methods', 'ew,uw', '--seed', '9', '--no-report', '--no-baselines']);
    expect(again.code, again.stderr).toBe(0);
    expect((await readdir(out)).filter((e) => !e.startsWith('.')).sort()).toEqual(['metrics.csv', 'metrics.csv.options.json', 'metrics.json', 'perf.csv', 'ranking.json', 'runs', 'summary.json']);
  }, 60_000);
});
