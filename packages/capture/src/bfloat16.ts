import { smallFloatEncoder } from './smallFloat.js';

/** bfloat16 bits of `value` (the top half of a float32), rounded to nearest even from the full double. */
export const bfloat16Bits: (value: number) => number = smallFloatEncoder(8, 7);

const scratch = new Float32Array(1);
const scratchBits = new Uint32Array(scratch.buffer);

/** The number a bfloat16 bit pattern stands for (exact: it is a float32 with 16 zero low bits). */
export function bfloat16Value(bits: number): number {
  scratchBits[0] = (bits & 0xffff) << 16;
  return scratch[0]!;
}

/** Widen bfloat16 bit patterns to float32, exactly (NaN payloads included). */
export function decodeBfloat16(src: Uint16Array, out: Float32Array = new Float32Array(src.length)): Float32Array {
  const outBits = new Uint32Array(out.buffer, out.byteOffset, out.length);
  for (let i = 0; i < src.length; i++) outBits[i] = src[i]! << 16;
  return out;
}

/** Round numbers to bfloat16 bit patterns (nearest, ties to even). */
export function encodeBfloat16(values: ArrayLike<number>, out: Uint16Array = new Uint16Array(values.length)): Uint16Array {
  for (let i = 0; i < values.length; i++) out[i] = bfloat16Bits(values[i]!);
  return out;
}
