import { describe, expect, it } from 'vitest';
import { decodeTensorBytes, encodeTensorValues } from '../src/tensorCodec.js';
import type { DType } from '../src/types.js';
import { patternValues } from './sampleCaptures.js';

const DTYPES: DType[] = ['F32', 'F64', 'F16', 'BF16'];

describe('tensor codec', () => {
  it.each(DTYPES)('%s round-trips values the dtype holds exactly', (dtype) => {
    const values = patternValues(101, 3);
    const bytes = encodeTensorValues(dtype, values);
    expect(bytes.byteLength).toBe(101 * { F32: 4, F64: 8, F16: 2, BF16: 2 }[dtype]);
    const back = decodeTensorBytes(dtype, bytes);
    expect(back).toBeInstanceOf(dtype === 'F64' ? Float64Array : Float32Array);
    expect(Array.from(back)).toEqual(Array.from(values));
  });

  it.each(DTYPES)('%s decodes from an unaligned byte offset (by copying)', (dtype) => {
    const bytes = encodeTensorValues(dtype, [1.5, -2, 0.25]);
    const shifted = new Uint8Array(bytes.byteLength + 3);
    shifted.set(bytes, 3);
    const view = shifted.subarray(3);
    expect(Array.from(decodeTensorBytes(dtype, view))).toEqual([1.5, -2, 0.25]);
  });

  it('decodes F32 as a view without copying when aligned', () => {
    const bytes = encodeTensorValues('F32', [1, 2]);
    const values = decodeTensorBytes('F32', bytes);
    expect(values.buffer).toBe(bytes.buffer);
  });

  it('encodes a Float32Array to F32 (and a Float64Array to F64) as a view, without copying', () => {
    const f32 = new Float32Array([1, 2, 3, 4]).subarray(1);
    const bytes = encodeTensorValues('F32', f32);
    expect([bytes.buffer, bytes.byteOffset, bytes.byteLength]).toEqual([f32.buffer, 4, 12]);
    const f64 = new Float64Array([5]);
    expect(encodeTensorValues('F64', f64).buffer).toBe(f64.buffer);
    expect(encodeTensorValues('F32', f64).buffer).not.toBe(f64.buffer);
  });

  it('stores little-endian bytes', () => {
    expect(Array.from(encodeTensorValues('F32', [1]))).toEqual([0, 0, 0x80, 0x3f]);
    expect(Array.from(encodeTensorValues('F16', [1]))).toEqual([0, 0x3c]);
    expect(Array.from(encodeTensorValues('BF16', [1]))).toEqual([0x80, 0x3f]);
    expect(Array.from(encodeTensorValues('F64', [1]))).toEqual([0, 0, 0, 0, 0, 0, 0xf0, 0x3f]);
  });

  it('rounds to the dtype on encode', () => {
    expect(decodeTensorBytes('F32', encodeTensorValues('F32', [0.1]))[0]).toBe(Math.fround(0.1));
    expect(decodeTensorBytes('F16', encodeTensorValues('F16', [0.1]))[0]).toBe(0.0999755859375);
    expect(decodeTensorBytes('BF16', encodeTensorValues('BF16', [0.1]))[0]).toBe(0.10009765625);
  });

  it('refuses a byte count that is not a whole number of values', () => {
    expect(() => decodeTensorBytes('F32', new Uint8Array(6))).toThrow(RangeError);
  });
});

describe('decodeTensorBytes on a misaligned Node Buffer', () => {
  it('copies instead of failing (Buffer#slice returns a view, not a copy)', () => {
    const values = new Float32Array([1.5, -2.25, 3e-8]);
    const raw = Buffer.alloc(values.byteLength + 1);
    Buffer.from(values.buffer).copy(raw, 1);
    const view = raw.subarray(1);
    expect(view.byteOffset % 4).not.toBe(0);
    expect(Array.from(decodeTensorBytes('F32', view))).toEqual(Array.from(values));
  });
});
