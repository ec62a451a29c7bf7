import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { writeCapture } from '@mtl-fd/capture';
import { fromCSV, fromJSON } from '@mtl-fd/metrics';
import { runCli } from '../src/cli.js';
import { buildCapture, hostileCaptures } from '../../../test/support/hostileCaptures.js';
import { bufferIO, values, writeRun, writeWeightedRun } from './scoreHelpers.js';

const captureCheckpoints = vi.hoisted(() => vi.fn());
vi.mock('../src/commands/scoreModel.js', () => ({ captureCheckpoints }));

let dir = '';
let runA = '';
let runB = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mtl-fd-cli-score-'));
  runA = await writeRun(dir, 'run-a', { steps: [200, 0, 100, 300, 400], seed: 1 });
  runB = await writeRun(dir, 'run-b', { steps: [0], seed: 2, tasks: ['x', 'y', 'z'], layout: 'NCHW', shape: [2, 3, 2, 2] });
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const exists = (p: string) => stat(p).then(() => true, () => false);

/** Runs the command expecting a user error: exit 2, exactly one stderr line, nothing on stdout. */
async function failing(args: string[]): Promise<string> {
  const io = bufferIO(dir);
  expect(await runCli(['score', ...args], io)).toBe(2);
  expect(io.out).toBe('');
  const lines = io.err.trimEnd().split('\n');
  expect(lines, io.err).toHaveLength(1);
  expect(lines[0]).toMatch(/^mtl-fd score: /);
  return lines[0]!;
}

describe('mtl-fd score', () => {
  it('prints the tidy CSV of run directories and capture files, runs in order, steps in order', async () => {
    const io = bufferIO(dir);
    expect(await runCli(['score', runB, 'run-a'], io)).toBe(0);
    const rows = fromCSV(io.out);
    expect(io.out.split('\n')[0]).toBe('run,step,metric,task,task_b,value');
    expect([...new Set(rows.map((r) => `${r.run}@${r.step}`))]).toEqual(['run-a@0', 'run-a@100', 'run-a@200', 'run-a@300', 'run-a@400', 'run-b@0']);
    expect(rows.filter((r) => r.run === 'run-b' && r.metric === 'fd_pair').map((r) => `${r.task}-${r.task_b}`)).toEqual(['x-y', 'x-z', 'y-z']);
    expect(rows.filter((r) => r.run === 'run-a' && r.metric === 'dwa').map((r) => r.step)).toEqual([200, 200, 300, 300, 400, 400]);
    // options are never silent: stderr says which were used
    expect(io.err).toContain('saliency=grad granularity=element temperature=0 nonfinite=error');
  });

  it('writes JSON {options, rows} to --out atomically and nothing to stdout', async () => {
    const out = join(dir, 'metrics.json');
    const io = bufferIO(dir);
    const args = ['score', runA, '--format', 'json', '--out', out, '--saliency', 'grad_x_act', '--granularity', 'channel', '--temperature', '0.5'];
    expect(await runCli(args, io)).toBe(0);
    expect(io.out).toBe('');
    const { options, rows } = fromJSON(await readFile(out, 'utf8'));
    expect(options).toEqual({ saliency: 'grad_x_act', granularity: 'channel', temperature: 0.5, nonFinite: 'error', weighted: false });
    expect(rows.find((r) => r.metric === 'units')!.value).toBe(4); // NLC with C = 4 channels
  });

  it('writes a CSV --out with its .options.json sidecar', async () => {
    const out = join(dir, 'm.csv');
    const io = bufferIO(dir);
    expect(await runCli(['score', runB, '--out', out, '--granularity', 'spatial'], io)).toBe(0);
    expect(fromCSV(await readFile(out, 'utf8')).length).toBeGreaterThan(10);
    expect(JSON.parse(await readFile(`${out}.options.json`, 'utf8'))).toEqual({
      options: { saliency: 'grad', granularity: 'spatial', temperature: 0, nonFinite: 'error', weighted: false },
    });
  });

  it("names the file and tensor of a NaN (exit 2, --out untouched), and skips it under --nonfinite skip", async () => {
    const file = join(dir, 'nan.safetensors');
    const g = values(12, 5);
    g[7] = NaN;
    await writeCapture(file, { meta: { step: 3, tasks: ['a', 'b'], layout: 'NC' }, shape: [3, 4], features: values(12, 6), grads: { a: values(12, 7), b: g } });
    const out = join(dir, 'keep.csv');
    await writeFile(out, 'OLD');
    const line = await failing([file, '--out', out]);
    expect(line).toContain(file);
    expect(line).toContain('grad.b');
    expect(await readFile(out, 'utf8')).toBe('OLD');
    expect(await exists(`${out}.options.json`)).toBe(false);

    const io = bufferIO(dir);
    expect(await runCli(['score', file, '--nonfinite', 'skip', '--format', 'json'], io)).toBe(0);
    const { rows, options } = fromJSON(io.out);
    expect(options.nonFinite).toBe('skip');
    expect(rows.find((r) => r.metric === 'skipped_nonfinite')!.value).toBe(1);
    expect(rows.find((r) => r.metric === 'units')!.value).toBe(11);
    expect(io.err).toContain('warning:');
  });

  it('fails in one line with exit 2 on a missing path, a bad option value, one task, or no input', async () => {
    const out = join(dir, 'never.csv');
    expect(await failing([join(dir, 'nope'), '--out', out])).toContain('nope: no such file or directory');
    expect(await failing([runA, '--saliency', 'hessian', '--out', out])).toContain('--saliency must be one of grad, grad_x_act');
    expect(await failing([runA, '--temperature', '-1'])).toContain('--temperature');
    expect(await failing([runA, '--format', 'xml'])).toContain('--format');
    expect(await failing([runA, '--bogus'])).toContain('--bogus');
    expect(await failing([])).toContain('no captures given');
    expect(await failing([runA, '--model', 'm.json'])).toContain('--model, --shared-layer and --probe go together');
    const one = join(dir, 'one-task.safetensors');
    await writeFile(one, hostileCaptures().find((h) => h.name === 'tasks-only-one')!.bytes);
    expect(await failing([one, '--out', out])).toContain(one);
    const empty = join(dir, 'empty-run');
    await mkdir(join(empty, 'captures'), { recursive: true });
    expect(await failing([empty])).toContain('has no captures');
    await writeFile(join(dir, 'plain.txt'), 'x');
    expect(await failing([join(dir, 'plain.txt')])).toContain('plain.txt');
    expect(await exists(out)).toBe(false);
  });

  it('refuses every hostile capture: exit 2, one line naming the file, no output file', async () => {
    const cases = hostileCaptures();
    expect(cases.length).toBeGreaterThan(20);
    for (const c of cases) {
      const file = join(dir, `hostile-${c.name}.safetensors`);
      const out = join(dir, `hostile-${c.name}.csv`);
      await writeFile(file, c.bytes);
      const io = bufferIO(dir);
      expect(await runCli(['score', file, '--out', out], io), c.name).toBe(2);
      const lines = io.err.trimEnd().split('\n');
      expect(lines, `${c.name}: ${io.err}`).toHaveLength(1);
      expect(lines[0], c.name).toContain(file);
      expect(lines[0], c.name).toMatch(c.problem);
      expect(await exists(out), c.name).toBe(false);
      expect(await exists(`${out}.options.json`), c.name).toBe(false);
      await rm(file);
    }
    // and a valid file built the same way scores
    const ok = join(dir, 'valid-built.safetensors');
    await writeFile(ok, buildCapture());
    expect(await runCli(['score', ok], bufferIO(dir))).toBe(0);
  });

  it('scores the captures --model makes, like any other', async () => {
    const files = [join(runA, 'captures', 'step-00000000.safetensors'), join(runA, 'captures', 'step-00000100.safetensors')];
    captureCheckpoints.mockResolvedValueOnce(files);
    const io = bufferIO(dir);
    expect(await runCli(['score', '--model', 'ckpt', '--shared-layer', 'trunk', '--probe', 'probe.safetensors'], io)).toBe(0);
    expect(captureCheckpoints).toHaveBeenCalledWith({ model: 'ckpt', sharedLayer: 'trunk', probe: 'probe.safetensors' }, io);
    expect([...new Set(fromCSV(io.out).map((r) => r.step))]).toEqual([0, 100]);
  });
});

describe('mtl-fd score --weighted', () => {
  it('scores w_t * g_t from the weight.<task> tensors, and says so in the options and the summary line', async () => {
    const run = join(dir, 'weighted');
    await writeWeightedRun(run, 'w', [0]);
    const score = async (...extra: string[]) => {
      const io = bufferIO(dir);
      expect(await runCli(['score', run, '--format', 'json', '--no-cache', ...extra], io)).toBe(0);
      return { ...fromJSON(io.out), err: io.err };
    };
    const norm = (rows: { metric: string; task: string; value: number | null }[], task: string) => rows.find((r) => r.metric === 'grad_norm' && r.task === task)!.value!;
    const plain = await score();
    const weighted = await score('--weighted');
    expect(plain.options.weighted).toBe(false);
    expect(weighted.options.weighted).toBe(true);
    expect(weighted.err).toContain('weighted=true');
    // each task's gradient scaled by its weight: norms by 100 and 1
    expect(norm(weighted.rows, 'heavy')).toBeCloseTo(100 * norm(plain.rows, 'heavy'), 6);
    expect(norm(weighted.rows, 'light')).toBeCloseTo(norm(plain.rows, 'light'), 10);
    const share = (rows: typeof plain.rows) => rows.find((r) => r.metric === 'grad_norm_share' && r.task === 'light')!.value!;
    expect(share(weighted.rows)).toBeLessThan(0.02);
    expect(share(plain.rows)).toBeGreaterThan(0.2);
  });
});
