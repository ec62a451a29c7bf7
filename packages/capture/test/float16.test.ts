import { describe, expect, it } from 'vitest';
import { decodeFloat16, encodeFloat16, float16Bits, float16Value } from '../src/float16.js';

const isNaNBits = (b: number) => (b & 0x7c00) === 0x7c00 && (b & 0x3ff) !== 0;

describe('float16', () => {
  it('round-trips every non-NaN bit pattern exactly, signed zeros, subnormals and infinities included', () => {
    const wrong: number[] = [];
    let checked = 0;
    for (let bits = 0; bits < 0x10000; bits++) {
      if (isNaNBits(bits)) continue;
      if (float16Bits(float16Value(bits)) !== bits) wrong.push(bits);
      checked++;
    }
    expect(wrong).toEqual([]);
    expect(checked).toBe(0x10000 - 2 * 1023);
  });

  it('decodes NaN patterns to NaN and encodes NaN to a NaN pattern', () => {
    expect(float16Value(0x7e00)).toBeNaN();
    expect(float16Value(0xfc01)).toBeNaN();
    expect(isNaNBits(float16Bits(NaN))).toBe(true);
  });

  it('decodes known values, subnormals included', () => {
    expect(float16Value(0x3c00)).toBe(1);
    expect(float16Value(0xc000)).toBe(-2);
    expect(float16Value(0x7bff)).toBe(65504);
    expect(float16Value(0x0400)).toBe(2 ** -14);
    expect(float16Value(0x0001)).toBe(2 ** -24);
    expect(float16Value(0x03ff)).toBe(1023 * 2 ** -24);
    expect(Object.is(float16Value(0x8000), -0)).toBe(true);
    expect(float16Value(0x7c00)).toBe(Infinity);
    expect(float16Value(0xfc00)).toBe(-Infinity);
  });

  it('orders positive patterns by value (the decoder is monotonic)', () => {
    const unordered: number[] = [];
    for (let bits = 1; bits <= 0x7c00; bits++) if (!(float16Value(bits) > float16Value(bits - 1))) unordered.push(bits);
    expect(unordered).toEqual([]);
  });

  it('rounds to nearest, ties to even, from the full double (no double rounding)', () => {
    expect(float16Bits(1 + 2 ** -11)).toBe(0x3c00); // tie, down to even
    expect(float16Bits(1 + 3 * 2 ** -11)).toBe(0x3c02); // tie, up to even
    expect(float16Bits(1 + 2 ** -11 + 2 ** -40)).toBe(0x3c01); // sticky bit in the low word
    // via float32 this would round to 1 + 2^-11 first, then tie down to 1.0
    expect(float16Bits(1 + 2 ** -11 + 2 ** -30)).toBe(0x3c01);
    expect(float16Bits(0.1)).toBe(0x2e66);
    expect(float16Bits(-0)).toBe(0x8000);
  });

  it('overflows to infinity at the halfway point above 65504', () => {
    expect(float16Bits(65519.99)).toBe(0x7bff);
    expect(float16Bits(65520)).toBe(0x7c00);
    expect(float16Bits(-1e10)).toBe(0xfc00);
    expect(float16Bits(Infinity)).toBe(0x7c00);
  });

  it('underflows gradually through the subnormals', () => {
    expect(float16Bits(2 ** -25)).toBe(0); // half the smallest subnormal: tie to even zero
    expect(float16Bits(2 ** -25 + 2 ** -60)).toBe(1);
    expect(float16Bits(3 * 2 ** -25)).toBe(2); // 1.5 units: tie to even
    expect(float16Bits(2 ** -26)).toBe(0);
    expect(float16Bits(-(2 ** -26))).toBe(0x8000);
    expect(float16Bits(1023.5 * 2 ** -24)).toBe(0x0400); // rounds up into the normals
    expect(float16Bits(5e-324)).toBe(0);
  });

  it('bulk decode and encode agree with the scalar functions', () => {
    const all = Uint16Array.from({ length: 0x10000 }, (_, i) => i);
    const values = decodeFloat16(all);
    expect(values).toBeInstanceOf(Float32Array);
    const wrong = [...all].filter((bits) => !isNaNBits(bits) && !Object.is(values[bits], float16Value(bits)));
    expect(wrong).toEqual([]);
    const finite = values.filter((v) => !Number.isNaN(v));
    expect(Array.from(decodeFloat16(encodeFloat16(finite)))).toEqual(Array.from(finite));
  });
});
