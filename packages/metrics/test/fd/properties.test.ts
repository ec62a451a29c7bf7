import { describe, expect, it } from 'vitest';
import type { Layout } from '@mtl-fd/capture';
import { computeFd } from '../../src/fd/computeFd.js';
import type { FdScores } from '../../src/fd/scores.js';
import type { Granularity, Saliency, ScoreOptions } from '../../src/options/scoreOptions.js';
import { rng, sparseValues } from './random.js';
import '../../../../test/support/tolerance.js';

// The five properties of docs/metrics.md §4, on random captures of every layout.

const SHAPES: Record<Layout, number[]> = { NC: [6, 5], NHWC: [2, 3, 2, 4], NLC: [3, 4, 3], NCHW: [2, 4, 3, 2], NCL: [3, 3, 4] };
const GRANULARITIES: Granularity[] = ['element', 'channel', 'spatial'];
const SALIENCIES: Saliency[] = ['grad', 'grad_x_act'];
const TEMPERATURES = [0, 0.5];

function allScores(s: FdScores): number[] {
  return [s.fd, s.fd_mass, ...s.fd_task, ...s.fd_pair.flat()];
}

function cases(): { layout: Layout; opts: Partial<ScoreOptions> }[] {
  const out: { layout: Layout; opts: Partial<ScoreOptions> }[] = [];
  for (const layout of Object.keys(SHAPES) as Layout[])
    for (const granularity of GRANULARITIES)
      for (const saliency of SALIENCIES) for (const temperature of TEMPERATURES) out.push({ layout, opts: { granularity, saliency, temperature } });
  return out;
}

function randomCapture(seed: number, layout: Layout, T = 3) {
  const rand = rng(seed);
  const shape = SHAPES[layout];
  const n = shape.reduce((a, b) => a * b, 1);
  return { shape, layout, features: sparseValues(rand, n, 0.1), grads: Array.from({ length: T }, () => sparseValues(rand, n, 0.2)) };
}

describe('FD properties (docs/metrics.md §4)', () => {
  // at temperature > 0 even a one-task unit has softmax(q / tau) spread over all
  // tasks, so property 1 is a property of tau = 0 (the README says so)
  it('1. disjoint supports give 1 everywhere (temperature 0), and < 1 at temperature > 0', () => {
    for (const { layout, opts } of cases()) {
      const shape = SHAPES[layout];
      const n = shape.reduce((a, b) => a * b, 1);
      const rand = rng(7);
      const features = sparseValues(rand, n, 0).map((v) => v + Math.sign(v) * 0.1);
      // every unit of the granularity belongs to one task (unit id mod 3)
      const channelsLast = layout === 'NC' || layout === 'NHWC' || layout === 'NLC';
      const rowSize = n / shape[0]!;
      const C = channelsLast ? shape.at(-1)! : shape[1]!;
      const P = rowSize / C;
      const owner = (i: number) => {
        const b = Math.floor(i / rowSize);
        const k = i % rowSize;
        const [c, p] = channelsLast ? [k % C, Math.floor(k / C)] : [Math.floor(k / P), k % P];
        return (opts.granularity === 'element' ? i : opts.granularity === 'channel' ? c : b * P + p) % 3;
      };
      const grads = [0, 1, 2].map((t) => Float64Array.from({ length: n }, (_, i) => (owner(i) === t ? rand() + 0.1 : 0)));
      const s = computeFd({ features, grads, shape, layout }, opts);
      if (opts.temperature === 0) for (const v of allScores(s)) expect(v).toBeRelClose(1, 1e-12);
      else expect(s.fd).toBeLessThan(1);
    }
  });

  it('2. identical saliency for every task gives 0 everywhere', () => {
    for (const { layout, opts } of cases()) {
      const c = randomCapture(11, layout);
      const g = c.grads[0]!;
      const s = computeFd({ ...c, grads: [g, g.map((v) => -v), g] }, opts);
      expect(s.fd).toBeRelClose(0, 0, 1e-12);
      expect(s.fd_mass).toBeRelClose(0, 0, 1e-12);
      expect(s.fd_task).toBeRelClose([0, 0, 0], 0, 1e-12);
      expect([s.fd_pair[0]![1], s.fd_pair[0]![2], s.fd_pair[1]![2]]).toBeRelClose([0, 0, 0], 0, 1e-12);
    }
  });

  it('3. a common positive scale changes nothing; scaling one task changes fd but keeps it in [0, 1]', () => {
    for (const { layout, opts } of cases()) {
      const c = randomCapture(23, layout);
      const base = computeFd(c, opts);
      const scaled = computeFd({ ...c, grads: c.grads.map((g) => g.map((v) => v * 1e-5)) }, opts);
      expect(allScores(scaled)).toBeRelClose(allScores(base), 1e-9);
      const one = computeFd({ ...c, grads: c.grads.map((g, t) => (t === 1 ? g.map((v) => v * 50) : g)) }, opts);
      expect(Math.abs(one.fd - base.fd)).toBeGreaterThan(1e-6);
      for (const v of allScores(one)) {
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(1);
      }
    }
  });

  it('4. at element granularity grad and grad_x_act give the same fd but different fd_mass', () => {
    for (const layout of Object.keys(SHAPES) as Layout[]) {
      for (const temperature of TEMPERATURES) {
        const c = randomCapture(31, layout);
        // no zero features: a zero z kills a unit under grad_x_act only
        const features = c.features.map((v) => (v === 0 ? 0.5 : v));
        const a = computeFd({ ...c, features }, { saliency: 'grad', temperature });
        const b = computeFd({ ...c, features }, { saliency: 'grad_x_act', temperature });
        expect(b.fd).toBeRelClose(a.fd, 1e-12);
        expect(Math.abs(a.fd_mass - b.fd_mass)).toBeGreaterThan(1e-6);
      }
    }
  });

  it('5. permuting tasks permutes fd_task and fd_pair, and leaves fd and fd_mass', () => {
    const perm = [2, 0, 1];
    for (const { layout, opts } of cases()) {
      const c = randomCapture(47, layout);
      const a = computeFd(c, opts);
      const b = computeFd({ ...c, grads: perm.map((p) => c.grads[p]!) }, opts);
      expect(b.fd).toBeRelClose(a.fd, 1e-12);
      expect(b.fd_mass).toBeRelClose(a.fd_mass, 1e-12);
      expect(b.fd_task).toBeRelClose(perm.map((p) => a.fd_task[p]!), 1e-12);
      for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) expect(b.fd_pair[i]![j]).toBeRelClose(a.fd_pair[perm[i]!]![perm[j]!]!, 1e-12);
    }
  });
});
