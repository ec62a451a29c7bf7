import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listCaptures, openCapture } from '@mtl-fd/capture';
import { fromCSV, scoreCaptures, type TidyRow } from '@mtl-fd/metrics';
import { describe, expect, it } from 'vitest';
import { rankingsFromCells } from '@mtl-fd/plots';
import { deltaAgainstBaselines, demoRanking, perfColumns, type RunDelta } from '../src/demo/analysis.js';
import type { TestResult } from '../src/demo/evaluate.js';

// fixtures/demo is a real (tiny) demo output: its parts must agree with each other and
// with what the analysis code computes from them.
const demo = fileURLToPath(new URL('../../../fixtures/demo/', import.meta.url));
const json = async (p: string) => JSON.parse(await readFile(join(demo, p), 'utf8'));
const TASKS = ['left', 'right', 'sum'] as const;
const METHODS = ['ew', 'uw', 'dwa', 'imbalanced', 'pcgrad', 'mgda'];

const key = (r: TidyRow) => `${r.run}|${r.step}|${r.metric}|${r.task}|${r.task_b}`;

describe('fixtures/demo', () => {
  it('re-scoring its captures gives the rows of its tidy table', async () => {
    const table = fromCSV(await readFile(join(demo, 'metrics.csv'), 'utf8'));
    for (const run of ['ew']) {
      const files = await listCaptures(join(demo, 'runs', run));
      expect(files.map((f) => basename(f))).toEqual(['step-00000000.safetensors', 'step-00000016.safetensors', 'step-00000032.safetensors']);
      const { rows } = await scoreCaptures(files);
      const stored = new Map(table.filter((r) => r.run === run).map((r) => [key(r), r.value]));
      expect(rows.length).toBe(stored.size);
      for (const r of rows) {
        const v = stored.get(key(r));
        if (r.value === null) expect(v, key(r)).toBeNull();
        else expect(v, key(r)).toBeCloseTo(r.value, 10);
      }
    }
  });

  it('has a capture per epoch for every MTL run in its table, and test results for every run', async () => {
    const summary = await json('summary.json');
    expect(summary.options).toMatchObject({ seed: 7, epochs: 2, trainSize: 1024, probeSize: 2 });
    const table = fromCSV(await readFile(join(demo, 'metrics.csv'), 'utf8'));
    for (const m of METHODS) {
      expect([...new Set(table.filter((r) => r.run === m && r.metric === 'fd').map((r) => r.step))]).toEqual([0, 16, 32]);
      const manifest = await json(`runs/${m}/run.json`);
      expect(manifest.sharedLayer).toMatchObject({ name: 'shared', outputShape: [null, 4, 6, 32] });
    }
    // held-out accuracy above chance (10%) after 2 epochs on 1024 pairs
    for (const run of summary.runs) for (const t of run.test) if (t.metric === 'acc') expect(t.value).toBeGreaterThan(0.3);
  });

  it('its Delta m, ranking and perf.csv follow from the test results and the tidy table', async () => {
    const summary = await json('summary.json');
    const results = new Map<string, TestResult[]>();
    const baselines: TestResult[] = [];
    for (const run of summary.runs) {
      const test = (await json(`${run.kind === 'mtl' ? 'runs' : 'baselines'}/${run.name}/test.json`)).test as TestResult[];
      expect(test).toEqual(run.test);
      if (run.kind === 'mtl') results.set(run.name, test);
      else baselines.push(...test);
    }
    const deltas = new Map<string, RunDelta>();
    for (const [run, test] of results) {
      const d = deltaAgainstBaselines(run, test, baselines)!;
      deltas.set(run, d);
      const stored = summary.runs.find((r: { name: string }) => r.name === run).delta_m;
      expect(d.maninis).toBeCloseTo(stored.maninis, 10);
      expect(d.navon).toBeCloseTo(stored.navon, 10);
    }
    const perf = perfColumns([...TASKS], results, deltas);
    const csv = (await readFile(join(demo, 'perf.csv'), 'utf8')).trim().split('\n').slice(1);
    expect(csv).toHaveLength(perf.length * METHODS.length);
    for (const line of csv) {
      const [run, metric, value, direction] = line.split(',');
      const col = perf.find((c) => c.name === metric)!;
      expect(Number(value)).toBe(col.values.get(run!));
      expect(direction).toBe(col.direction === 'higher-better' ? 'higher' : 'lower');
    }
    const table = fromCSV(await readFile(join(demo, 'metrics.csv'), 'utf8'));
    const ranking = demoRanking(table, METHODS, perf, 'mean');
    expect(rankingsFromCells(ranking.cells)).toEqual(await json('ranking.json'));
    expect(ranking.cells).toEqual(summary.ranking.cells);
    expect(ranking.settings).toEqual(summary.ranking.settings);
  });
});

// fixtures/pytorch: captures real PyTorch wrote through the Python adapter
// (python/tools/make_fixture.py), read and scored by the TypeScript side
const torchRun = fileURLToPath(new URL('../../../fixtures/pytorch/pytorch-demo/', import.meta.url));

describe('fixtures/pytorch (written by real PyTorch)', () => {
  it('has the form the adapter wrote: tasks, NCHW layout, losses, param_gram, metadata', async () => {
    const tasks = ['seg', 'depth'];
    const files = await listCaptures(torchRun);
    expect(files.map((f) => basename(f))).toEqual(['step-00000000.safetensors', 'step-00000050.safetensors', 'step-00000100.safetensors']);
    for (const file of files) {
      const reader = await openCapture(file);
      try {
        const { meta, shape, losses, paramGram } = reader.info;
        expect(meta.tasks).toEqual(tasks);
        expect(meta.layout).toBe('NCHW');
        expect(meta.run).toBe('pytorch-demo');
        expect(meta.producer).toMatch(/^mtl_fd /);
        expect(shape).toEqual([2, 16, 8, 8]);
        expect(Object.keys(losses)).toEqual(tasks);
        expect(paramGram).toHaveLength(tasks.length ** 2);
      } finally {
        await reader.close();
      }
    }
    // the layout is channels-first: channel granularity must see 16 channels
    const { rows } = await scoreCaptures(files, { granularity: 'channel' });
    expect(rows.filter((r) => r.metric === 'units').map((r) => r.value)).toEqual([16, 16, 16]);
    expect(rows.some((r) => r.metric === 'param_cos_mean')).toBe(true);
  });
});
