import { smallFloatEncoder } from './smallFloat.js';

/** IEEE-754 binary16 bits of `value`, rounded to nearest even (subnormals, ±inf, NaN kept). */
export const float16Bits: (value: number) => number = smallFloatEncoder(5, 10);

/** The number a binary16 bit pattern stands for (exact: every float16 is a float32). */
export function float16Value(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >>> 10) & 0x1f;
  const mant = bits & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24; // zero and subnormals
  if (exp === 0x1f) return mant === 0 ? sign * Infinity : NaN;
  return sign * (0x400 + mant) * 2 ** (exp - 25);
}

// 65536 entries (256 KB), built on first use: a table lookup per element is the fast
// way to widen half floats in JavaScript.
let decodeTable: Float32Array | undefined;

function table(): Float32Array {
  if (!decodeTable) {
    decodeTable = new Float32Array(0x10000);
    for (let bits = 0; bits < 0x10000; bits++) decodeTable[bits] = float16Value(bits);
  }
  return decodeTable;
}

/** Widen float16 bit patterns to float32, exactly. */
export function decodeFloat16(src: Uint16Array, out: Float32Array = new Float32Array(src.length)): Float32Array {
  const t = table();
  for (let i = 0; i < src.length; i++) out[i] = t[src[i]!]!;
  return out;
}

/** Round numbers to float16 bit patterns (nearest, ties to even). */
export function encodeFloat16(values: ArrayLike<number>, out: Uint16Array = new Uint16Array(values.length)): Uint16Array {
  for (let i = 0; i < values.length; i++) out[i] = float16Bits(values[i]!);
  return out;
}
