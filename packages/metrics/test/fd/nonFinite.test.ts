import { describe, expect, it } from 'vitest';
import { CaptureError } from '@mtl-fd/capture';
import { FdAccumulator } from '../../src/fd/accumulator.js';
import { computeFd } from '../../src/fd/computeFd.js';
import type { Granularity, Saliency } from '../../src/options/scoreOptions.js';
import { rng, sparseValues } from './random.js';
import { referenceFd, upperPairs } from '../../../../test/support/referenceFd.js';
import '../../../../test/support/tolerance.js';

const shape = [3, 2, 4]; // NCL: 3 samples, 2 channels, 4 positions
const n = 24;

function data(seed: number) {
  const rand = rng(seed);
  return { z: sparseValues(rand, n, 0.1), g: [0, 1, 2].map(() => sparseValues(rand, n, 0.2)) };
}

describe('non-finite values', () => {
  it("policy 'error' throws a CaptureError naming the file, the tensor and the element", () => {
    for (const [tensor, bad] of [
      ['features', NaN],
      ['grad.depth', Infinity],
      ['grad.normal', -Infinity],
    ] as const) {
      const { z, g } = data(1);
      const target = tensor === 'features' ? z : g[tensor === 'grad.depth' ? 1 : 2]!;
      target[13] = bad;
      const acc = new FdAccumulator({ tasks: ['seg', 'depth', 'normal'], layout: 'NCL', shape, file: 'run/captures/x.safetensors' });
      let err: unknown;
      try {
        acc.add({ rowStart: 0, rows: 3, rowSize: 8, features: z, grads: g });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(CaptureError);
      const msg = (err as Error).message;
      expect(msg.startsWith('run/captures/x.safetensors: ')).toBe(true);
      expect(msg).toContain(tensor);
      expect(msg).toContain(String(bad));
      expect(msg).toContain('[1, 1, 1]'); // flat 13 in [3, 2, 4]
      expect(msg).not.toContain('\n');
    }
  });

  it('names the first bad element in storage order, features before gradients', () => {
    const { z, g } = data(2);
    g[0]![20] = NaN;
    g[2]![5] = NaN;
    z[5] = Infinity;
    expect(() => computeFd({ features: z, grads: g, shape, layout: 'NCL', tasks: ['a', 'b', 'c'] })).toThrow(/features holds Infinity at \[0, 1, 1\]/);
  });

  for (const granularity of ['element', 'channel', 'spatial'] as Granularity[]) {
    for (const saliency of ['grad', 'grad_x_act'] as Saliency[]) {
      it(`policy 'skip' leaves the elements out and counts them (${granularity}, ${saliency}, tau 0 and 0.5)`, () => {
        for (const temperature of [0, 0.5]) {
          const { z, g } = data(3);
          const skip = new Array<boolean>(n).fill(false);
          for (const [arr, i, v] of [
            [z, 3, NaN],
            [g[1]!, 10, Infinity],
            [g[2]!, 10, NaN],
            [g[0]!, 17, -Infinity],
          ] as const) {
            arr[i] = v;
            skip[i] = true;
          }
          const opts = { granularity, saliency, temperature, nonFinite: 'skip' as const };
          const got = computeFd({ features: z, grads: g, shape, layout: 'NCL' }, opts);
          const ref = referenceFd(z, g, shape, 'NCL', opts, skip);
          expect(got.skipped).toBe(3);
          expect(got.units).toBe(ref.units);
          expect(got.dead_units).toBe(ref.dead);
          expect(got.fd).toBeRelClose(ref.fd, 1e-12);
          expect(got.fd_mass).toBeRelClose(ref.fd_mass, 1e-12);
          expect(got.fd_task).toBeRelClose(ref.fd_task, 1e-12);
          expect(upperPairs(got.fd_pair)).toBeRelClose(ref.fd_pair, 1e-12);
        }
      });
    }
  }

  it("under 'skip' the chunk returned for the Gram matrix has the skipped elements zeroed", () => {
    const { z, g } = data(4);
    g[1]![7] = NaN;
    const acc = new FdAccumulator({ tasks: ['a', 'b', 'c'], layout: 'NCL', shape, options: { nonFinite: 'skip' } });
    const chunk = { rowStart: 0, rows: 3, rowSize: 8, features: z, grads: g };
    const scored = acc.add(chunk);
    expect(scored).not.toBe(chunk);
    expect(scored.grads.map((x) => x[7])).toEqual([0, 0, 0]);
    expect(scored.features[7]).toBe(0);
    expect(scored.grads[0]![6]).toBe(g[0]![6]);
    expect(acc.add({ ...chunk, grads: chunk.grads.map((x) => x.map((v) => (Number.isFinite(v) ? v : 0))) })).not.toBe(scored);
  });

  it('refuses float64 values whose sums overflow instead of returning garbage', () => {
    const { z, g } = data(5);
    g[0]![0] = 1.7e308;
    g[1]![0] = 1.7e308;
    expect(() => computeFd({ features: z, grads: g, shape, layout: 'NCL' })).toThrow(/overflow/);
  });
});
