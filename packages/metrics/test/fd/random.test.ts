import { describe, expect, it } from 'vitest';
import type { Layout, RowChunk } from '@mtl-fd/capture';
import { FdAccumulator } from '../../src/fd/accumulator.js';
import type { FdScores } from '../../src/fd/scores.js';
import type { Granularity, Saliency } from '../../src/options/scoreOptions.js';
import { rng, sparseValues } from './random.js';
import { referenceFd, upperPairs } from '../../../../test/support/referenceFd.js';
import '../../../../test/support/tolerance.js';

const LAYOUTS: Layout[] = ['NC', 'NHWC', 'NLC', 'NCHW', 'NCL'];
const GRANULARITIES: Granularity[] = ['element', 'channel', 'spatial'];
const SALIENCIES: Saliency[] = ['grad', 'grad_x_act'];
const TEMPERATURES = [0, 0.05, 1, 20];

function randomShape(rand: () => number, layout: Layout): number[] {
  const d = () => 1 + Math.floor(rand() * 4);
  const rank = { NC: 2, NLC: 3, NCL: 3, NHWC: 4, NCHW: 4 }[layout];
  return Array.from({ length: rank }, d);
}

/** Streams the arrays through an accumulator in chunks of random row counts. */
function streamed(
  z: Float64Array | Float32Array,
  g: (Float64Array | Float32Array)[],
  shape: number[],
  layout: Layout,
  options: object,
  rand: () => number,
): FdScores {
  const tasks = g.map((_, t) => `task${t}`);
  const acc = new FdAccumulator({ tasks, layout, shape, options });
  const rowSize = acc.geometry.rowSize;
  for (let r = 0; r < shape[0]!; ) {
    const rows = Math.min(shape[0]! - r, 1 + Math.floor(rand() * 3));
    const chunk: RowChunk = {
      rowStart: r,
      rows,
      rowSize,
      features: z.slice(r * rowSize, (r + rows) * rowSize),
      grads: g.map((x) => x.slice(r * rowSize, (r + rows) * rowSize)),
    };
    acc.add(chunk);
    r += rows;
  }
  return acc.result();
}

describe('FD against the reference implementation (random captures)', () => {
  let seed = 1;
  for (const layout of LAYOUTS) {
    for (const granularity of GRANULARITIES) {
      it(`${layout}, ${granularity}: every saliency and temperature, T = 2..4, float64 and float32, chunked`, () => {
        for (const saliency of SALIENCIES) {
          for (const temperature of TEMPERATURES) {
            for (let rep = 0; rep < 3; rep++) {
              const rand = rng(seed++);
              const shape = randomShape(rand, layout);
              const n = shape.reduce((a, b) => a * b, 1);
              const T = 2 + (rep % 3);
              const zeros = [0, 0.3, 0.7][rep]!;
              const z = sparseValues(rand, n, zeros / 2);
              const g = Array.from({ length: T }, () => sparseValues(rand, n, zeros));
              const f32 = rep === 1;
              const zz = f32 ? Float32Array.from(z) : z;
              const gg = f32 ? g.map((x) => Float32Array.from(x)) : g;
              const ref = referenceFd(zz, gg, shape, layout, { saliency, granularity, temperature });
              const got = streamed(zz, gg, shape, layout, { saliency, granularity, temperature }, rand);
              const at = `${saliency} tau=${temperature} T=${T} shape=[${shape}]`;
              expect(got.fd, at).toBeRelClose(ref.fd, 1e-9);
              expect(got.fd_mass, at).toBeRelClose(ref.fd_mass, 1e-9);
              expect(got.fd_task, at).toBeRelClose(ref.fd_task, 1e-9);
              expect(upperPairs(got.fd_pair), at).toBeRelClose(ref.fd_pair, 1e-9);
              expect(got.dead_units, at).toBe(ref.dead);
              expect(got.units, at).toBe(ref.units);
            }
          }
        }
      });
    }
  }

  it('counts dead units and leaves them out of every mean', () => {
    // NC, 4 samples x 3 channels: channel 1 is zero for every task, sample 2 too
    const shape = [4, 3];
    const z = Float64Array.from({ length: 12 }, (_, i) => (i % 5) + 1);
    const g = [0, 1].map((t) => Float64Array.from({ length: 12 }, (_, i) => (i % 3 === 1 || Math.floor(i / 3) === 2 ? 0 : ((i + t) % 4) + 1)));
    for (const granularity of GRANULARITIES) {
      const ref = referenceFd(z, g, shape, 'NC', { saliency: 'grad', granularity, temperature: 0 });
      const got = streamed(z, g, shape, 'NC', { granularity }, rng(3));
      expect(got.dead_units).toBe({ element: 6, channel: 1, spatial: 1 }[granularity]);
      expect(got.dead_units).toBe(ref.dead);
      expect(got.fd).toBeRelClose(ref.fd, 1e-12);
    }
  });

  it('gives the same scores however the rows are chunked', () => {
    const rand = rng(99);
    const shape = [7, 3, 5];
    const n = 105;
    const z = sparseValues(rand, n, 0.1);
    const g = [0, 1, 2].map(() => sparseValues(rand, n, 0.2));
    for (const granularity of GRANULARITIES) {
      const a = streamed(z, g, shape, 'NCL', { granularity }, () => 0.99);
      const b = streamed(z, g, shape, 'NCL', { granularity }, () => 0);
      expect([b.fd, b.fd_mass, ...b.fd_task]).toBeRelClose([a.fd, a.fd_mass, ...a.fd_task], 1e-13);
    }
  });

  it('is accurate for float32 gradients of realistic size (1e-5) and for very small and large scales', () => {
    const rand = rng(5);
    const shape = [4, 8, 8];
    const n = 256;
    for (const scale of [1e-5, 1e-30, 1e30]) {
      const z = sparseValues(rand, n, 0);
      const g = [0, 1, 2].map(() => Float32Array.from(sparseValues(rand, n, 0.1), (v) => v * scale));
      const ref = referenceFd(z, g, shape, 'NLC', { saliency: 'grad', granularity: 'element', temperature: 0 });
      const got = streamed(z, g, shape, 'NLC', {}, rand);
      expect([got.fd, got.fd_mass, ...got.fd_task]).toBeRelClose([ref.fd, ref.fd_mass, ...ref.fd_task], 1e-9);
    }
  });
});
