import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeCapture, openCapture, readCapture } from '@mtl-fd/capture';
import type { DType } from '@mtl-fd/capture';
import { scoreCapture } from '../../src/score/scoreCapture.js';
import { scoreCaptures } from '../../src/score/scoreCaptures.js';
import type { TidyRow } from '../../src/table/types.js';
import { rng, sparseValues } from '../fd/random.js';
import { referenceFd } from '../../../../test/support/referenceFd.js';
import '../../../../test/support/tolerance.js';
import { WORKED } from '../fd/worked.js';
import { memorySource } from './memorySource.js';

const tasks = ['seg', 'depth', 'normal'];

function value(rows: readonly TidyRow[], metric: string, task = '', task_b = ''): number | null | undefined {
  return rows.find((r) => r.metric === metric && r.task === task && r.task_b === task_b)?.value;
}

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mtl-fd-score-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('scoreCapture', () => {
  const worked = memorySource({ layout: 'NC', shape: WORKED.shape, tasks, features: WORKED.z, grads: WORKED.g, step: 1200, run: 'demo' });

  it('writes every score of the worked example as tidy rows, in the fixed order', async () => {
    const s = await scoreCapture(worked);
    expect(s.rows.map((r) => `${r.metric}:${r.task}:${r.task_b}`)).toEqual([
      'fd::',
      'fd_mass::',
      'dead_units::',
      'units::',
      'fd_task:seg:',
      'fd_task:depth:',
      'fd_task:normal:',
      'fd_pair:seg:depth',
      'fd_pair:seg:normal',
      'fd_pair:depth:normal',
      'grad_norm:seg:',
      'grad_norm:depth:',
      'grad_norm:normal:',
      'grad_norm_share:seg:',
      'grad_norm_share:depth:',
      'grad_norm_share:normal:',
      'grad_cos:seg:depth',
      'grad_cos:seg:normal',
      'grad_cos:depth:normal',
      'grad_gms:seg:depth',
      'grad_gms:seg:normal',
      'grad_gms:depth:normal',
      'grad_cos_mean::',
      'grad_conflict_frac::',
      'grad_cond::',
    ]);
    expect(s.rows.every((r) => r.run === 'demo' && r.step === 1200)).toBe(true);
    expect(value(s.rows, 'fd')).toBeRelClose(0.621442, 0, 5e-7);
    expect(value(s.rows, 'dead_units')).toBe(1);
    expect(value(s.rows, 'units')).toBe(6);
    expect(value(s.rows, 'fd_pair', 'seg', 'normal')).toBeRelClose(0.692308, 0, 5e-7);
    expect(value(s.rows, 'grad_norm', 'normal')).toBeRelClose(0.538516, 0, 5e-7);
    expect(value(s.rows, 'grad_cos', 'seg', 'normal')).toBeRelClose(-0.198517, 0, 5e-7);
    expect(value(s.rows, 'grad_gms', 'seg', 'depth')).toBeRelClose(0.953939, 0, 5e-7);
    expect(value(s.rows, 'grad_conflict_frac')).toBeRelClose(1 / 3, 1e-15);
    expect(value(s.rows, 'grad_cond')).toBeRelClose(1.838922, 0, 5e-7);
    expect(s.warnings).toEqual([]);
  });

  it('adds skipped_nonfinite under the skip policy, param_* rows and probe losses', async () => {
    const g = WORKED.g.map((x) => [...x]);
    g[1]![0] = NaN;
    const src = memorySource({
      layout: 'NC',
      shape: WORKED.shape,
      tasks,
      features: WORKED.z,
      grads: g,
      losses: { seg: 0.5, normal: 2 },
      paramGram: [4, 2, 0, 2, 4, 0, 0, 0, 1],
    });
    const s = await scoreCapture(src, { nonFinite: 'skip' });
    expect(value(s.rows, 'skipped_nonfinite')).toBe(1);
    expect(value(s.rows, 'units')).toBe(5);
    expect(s.warnings.some((w) => w.includes('skipped 1 elements'))).toBe(true);
    expect(value(s.rows, 'param_norm', 'seg')).toBe(2);
    expect(value(s.rows, 'param_cos', 'seg', 'depth')).toBeRelClose(0.5, 1e-15);
    expect(value(s.rows, 'param_cond')).toBeRelClose(Math.sqrt(6 / 1), 1e-12);
    expect(s.rows.filter((r) => r.metric === 'loss').map((r) => [r.task, r.value])).toEqual([
      ['seg', 0.5],
      ['normal', 2],
    ]);
    // the Gram matrix leaves the skipped element out as well
    const ref = await scoreCapture(
      memorySource({ layout: 'NC', shape: WORKED.shape, tasks, features: WORKED.z, grads: WORKED.g.map((x) => x.map((v, i) => (i === 0 ? 0 : v))) }),
    );
    expect(value(s.rows, 'grad_norm', 'seg')).toBe(value(ref.rows, 'grad_norm', 'seg'));
  });

  it('writes an infinite cond and a zero-gradient cos as null with a warning naming the file', async () => {
    const src = memorySource({ file: 'x/step.safetensors', layout: 'NC', shape: [2, 2], tasks: ['a', 'b'], features: [1, 1, 1, 1], grads: [[1, 2, 3, 4], [0, 0, 0, 0]] });
    const s = await scoreCapture(src);
    expect(value(s.rows, 'grad_cond')).toBeNull();
    expect(value(s.rows, 'grad_cos', 'a', 'b')).toBeNull();
    expect(value(s.rows, 'fd_task', 'b')).toBeNull();
    expect(value(s.rows, 'fd')).toBe(1);
    expect(s.warnings.length).toBeGreaterThanOrEqual(3);
    expect(s.warnings.every((w) => w.startsWith('x/step.safetensors: '))).toBe(true);
    expect(s.warnings.some((w) => /grad_cond is infinite/.test(w))).toBe(true);
  });

  it('scores files of every dtype like the reference on the values read back (F16/BF16 included)', async () => {
    const rand = rng(77);
    const shape = [5, 3, 4, 6];
    const n = 360;
    for (const dtype of ['F32', 'F64', 'F16', 'BF16'] as DType[]) {
      for (const layout of ['NHWC', 'NCHW'] as const) {
        const file = join(dir, `${dtype}-${layout}.safetensors`);
        await writeCapture(file, {
          meta: { step: 5, tasks, layout },
          shape,
          dtype,
          features: sparseValues(rand, n, 0.1),
          grads: Object.fromEntries(tasks.map((t) => [t, sparseValues(rand, n, 0.3)])),
        });
        const back = await readCapture(file);
        for (const granularity of ['element', 'channel', 'spatial'] as const) {
          const opts = { saliency: 'grad_x_act' as const, granularity, temperature: 0 };
          const ref = referenceFd(back.features, tasks.map((t) => back.grads[t]!), shape, layout, opts);
          const reader = await openCapture(file, { rowsPerChunk: 2 });
          try {
            const s = await scoreCapture(reader, opts);
            expect(s.fd.fd, `${dtype} ${layout} ${granularity}`).toBeRelClose(ref.fd, 1e-9);
            expect(s.fd.fd_task).toBeRelClose(ref.fd_task, 1e-9);
            expect(s.run).toBe(`${dtype}-${layout}`);
          } finally {
            await reader.close();
          }
        }
      }
    }
  });
});

describe('scoreCaptures', () => {
  it('groups by run, orders by step and adds the loss identifiers of each run', async () => {
    const rand = rng(4);
    const files: string[] = [];
    for (const run of ['beta', 'alpha']) {
      await mkdir(join(dir, run, 'captures'), { recursive: true });
      for (const [k, step] of [300, 100, 200, 0].entries()) {
        const file = join(dir, run, 'captures', `step-${String(step).padStart(8, '0')}.safetensors`);
        await writeCapture(file, {
          meta: { step, tasks: ['a', 'b'], layout: 'NC' },
          shape: [3, 4],
          features: sparseValues(rand, 12, 0),
          grads: { a: sparseValues(rand, 12, 0.2), b: sparseValues(rand, 12, 0.2) },
          losses: { a: 1 / (1 + step / 100), b: 2 - step / 1000 + k * 0 },
        });
        files.push(file);
      }
    }
    const progress: number[] = [];
    const out = await scoreCaptures(files, {}, (p) => progress.push(p.done));
    expect(progress).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const runsSteps = [...new Set(out.rows.map((r) => `${r.run}@${r.step}`))];
    expect(runsSteps).toEqual(['alpha@0', 'alpha@100', 'alpha@200', 'alpha@300', 'beta@0', 'beta@100', 'beta@200', 'beta@300']);
    const ratio = out.rows.filter((r) => r.run === 'alpha' && r.metric === 'loss_ratio' && r.task === 'a').map((r) => r.value);
    expect(ratio).toBeRelClose([1, 0.5, 1 / 3, 0.25], 1e-12);
    const dwa = out.rows.filter((r) => r.run === 'beta' && r.metric === 'dwa');
    expect(dwa.map((r) => r.step)).toEqual([200, 200, 300, 300]);
    const w = [0.5 / 1, 1.9 / 2].map((x) => Math.exp(x / 2));
    expect(dwa[0]!.value).toBeRelClose((2 * w[0]!) / (w[0]! + w[1]!), 1e-12);
    // within a capture the capture rows come first, then the loss identifiers
    const at = out.rows.filter((r) => r.run === 'alpha' && r.step === 200).map((r) => r.metric);
    expect(at.indexOf('loss')).toBeLessThan(at.indexOf('loss_ratio'));
    expect(out.options).toEqual({ saliency: 'grad', granularity: 'element', temperature: 0, nonFinite: 'error', weighted: false });
  });
});
