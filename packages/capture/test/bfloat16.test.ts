import { describe, expect, it } from 'vitest';
import { bfloat16Bits, bfloat16Value, decodeBfloat16, encodeBfloat16 } from '../src/bfloat16.js';

const isNaNBits = (b: number) => (b & 0x7f80) === 0x7f80 && (b & 0x7f) !== 0;

/** The usual float32 -> bfloat16 bit trick (round to nearest even), an independent reference for float32 inputs. */
function referenceBits(x: number): number {
  const u = new Uint32Array(new Float32Array([x]).buffer)[0]!;
  return ((u + 0x7fff + ((u >>> 16) & 1)) >>> 16) & 0xffff;
}

describe('bfloat16', () => {
  it('round-trips every non-NaN bit pattern exactly', () => {
    const wrong: number[] = [];
    let checked = 0;
    for (let bits = 0; bits < 0x10000; bits++) {
      if (isNaNBits(bits)) continue;
      if (bfloat16Bits(bfloat16Value(bits)) !== bits) wrong.push(bits);
      checked++;
    }
    expect(wrong).toEqual([]);
    expect(checked).toBe(0x10000 - 2 * 127);
  });

  it('decodes known values', () => {
    expect(bfloat16Value(0x3f80)).toBe(1);
    expect(bfloat16Value(0xc000)).toBe(-2);
    expect(bfloat16Value(0x7f7f)).toBe((2 - 2 ** -7) * 2 ** 127);
    expect(bfloat16Value(0x0001)).toBe(2 ** -133);
    expect(bfloat16Value(0x7f80)).toBe(Infinity);
    expect(bfloat16Value(0x7fc0)).toBeNaN();
    expect(isNaNBits(bfloat16Bits(NaN))).toBe(true);
  });

  it('rounds to nearest, ties to even, overflowing to infinity', () => {
    expect(bfloat16Bits(1 + 2 ** -8)).toBe(0x3f80);
    expect(bfloat16Bits(1 + 3 * 2 ** -8)).toBe(0x3f82);
    expect(bfloat16Bits(1 + 2 ** -8 + 2 ** -40)).toBe(0x3f81); // below float32 precision: needs the double's bits
    expect(bfloat16Bits((2 - 2 ** -8) * 2 ** 127)).toBe(0x7f80);
    expect(bfloat16Bits(3.39e38)).toBe(0x7f7f);
    expect(bfloat16Bits(3.38e38)).toBe(0x7f7e);
    expect(bfloat16Bits(1e39)).toBe(0x7f80);
    expect(bfloat16Bits(-1e300)).toBe(0xff80);
    expect(bfloat16Bits(2 ** -134)).toBe(0);
    expect(bfloat16Bits(3 * 2 ** -134)).toBe(2);
  });

  it('matches the float32 bit-trick reference on float32 inputs', () => {
    const wrong: number[] = [];
    let seed = 12345;
    for (let i = 0; i < 100_000; i++) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      const x = new Float32Array(new Uint32Array([seed ^ (seed << 13)]).buffer)[0]!;
      if (!Number.isNaN(x) && bfloat16Bits(x) !== referenceBits(x)) wrong.push(x);
    }
    expect(wrong).toEqual([]);
  });

  it('bulk decode and encode agree with the scalar functions', () => {
    const all = Uint16Array.from({ length: 0x10000 }, (_, i) => i);
    const values = decodeBfloat16(all);
    const wrong = [...all].filter((bits) => !isNaNBits(bits) && values[bits] !== bfloat16Value(bits));
    expect(wrong).toEqual([]);
    const finite = values.filter((v) => !Number.isNaN(v));
    expect(Array.from(decodeBfloat16(encodeBfloat16(finite)))).toEqual(Array.from(finite));
  });
});
