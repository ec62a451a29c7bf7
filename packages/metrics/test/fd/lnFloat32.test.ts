import { describe, expect, it } from 'vitest';
import { float32Bits, lnFloat32 } from '../../src/fd/lnFloat32.js';
import { rng } from './random.js';

function check(values: Float32Array): number {
  const bits = float32Bits(values);
  let worst = 0;
  for (let i = 0; i < values.length; i++) {
    const v = Math.abs(values[i]!);
    const exact = Math.log(v);
    const got = lnFloat32(bits[i]! & 0x7fffffff, v);
    if (exact === got) continue;
    worst = Math.max(worst, Math.abs(got - exact) / Math.max(1, Math.abs(exact)));
  }
  return worst;
}

describe('lnFloat32', () => {
  it('matches Math.log to a few ulps over the whole float32 range, either sign', () => {
    const rand = rng(9);
    const v = Float32Array.from({ length: 200_000 }, () => (rand() - 0.5) * 2 ** Math.floor(rand() * 250 - 125));
    expect(check(v)).toBeLessThan(1e-15);
  });

  it('is exact at the edges: powers of two, bucket borders, the smallest normal, the largest float32', () => {
    const edges: number[] = [1, 2, 0.5, 2 ** -126, 2 ** 127, 3.4028234663852886e38, 1.1754942106924411e-38];
    for (let k = 0; k <= 1024; k++) edges.push(1 + k / 1024, 1 + k / 1024 - 2 ** -23, 1 + (k + 0.5) / 1024);
    expect(check(Float32Array.from(edges))).toBeLessThan(1e-15);
  });

  it('hands zero, subnormals, infinities and NaN to Math.log', () => {
    const special = Float32Array.from([0, 1e-40, 1.4e-45, Infinity, NaN]);
    const bits = float32Bits(special);
    expect(lnFloat32(bits[0]!, 0)).toBe(-Infinity);
    expect(lnFloat32(bits[1]!, special[1]!)).toBe(Math.log(special[1]!));
    expect(lnFloat32(bits[2]!, special[2]!)).toBe(Math.log(special[2]!));
    expect(lnFloat32(bits[3]!, Infinity)).toBe(Infinity);
    expect(lnFloat32(bits[4]!, NaN)).toBeNaN();
  });

  it('views a Float32Array without copying', () => {
    const a = new Float32Array(8).subarray(2, 6);
    const b = float32Bits(a);
    a[1] = 1;
    expect(b.length).toBe(4);
    expect(b[1]).toBe(0x3f800000);
  });
});
