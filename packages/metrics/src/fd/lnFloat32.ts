// ln of a float32 from its bit pattern, to double precision. V8 calls Math.log out
// of line; the element kernels take ln |g| this way instead (about a third faster
// there) when the gradients are float32 and so already sit in memory as bits:
// the exponent comes from the bits, ln of the first 10 mantissa bits from a table,
// and the remaining factor 1 + u, |u| < 2^-11, from a degree-4 series of log1p
// (truncation below 1e-17). Zero, subnormals, infinities and NaN go to Math.log.

const TABLE_BITS = 10;
const SIZE = 1 << TABLE_BITS;
const SHIFT = 23 - TABLE_BITS;
/** ln(m0) for m0 the midpoint of each mantissa bucket */
const LN_MID = new Float64Array(SIZE);
/** 1 / (m0 * 2^23): turns a mantissa offset into u = (m - m0) / m0 */
const INV_MID = new Float64Array(SIZE);
/** the midpoint as a 23-bit mantissa integer */
const MID = new Int32Array(SIZE);
for (let k = 0; k < SIZE; k++) {
  const m0 = 1 + (k + 0.5) / SIZE;
  LN_MID[k] = Math.log(m0);
  INV_MID[k] = 1 / m0 / 8388608;
  MID[k] = (k << SHIFT) + (1 << (SHIFT - 1));
}

/**
 * ln(value) for `bits`, the float32 bit pattern of `value` with the sign cleared
 * (`bits & 0x7fffffff`). `value` is only read for the cases the table does not
 * cover (zero, subnormal, infinite, NaN).
 */
export function lnFloat32(bits: number, value: number): number {
  // normal numbers: 0x00800000 <= bits < 0x7f800000, in one unsigned comparison
  if ((bits - 0x00800000) >>> 0 >= 0x7f000000) return Math.log(value);
  const mant = bits & 0x7fffff;
  const k = mant >> SHIFT;
  const u = (mant - MID[k]!) * INV_MID[k]!;
  return ((bits >> 23) - 127) * Math.LN2 + LN_MID[k]! + u * (1 + u * (-0.5 + u * (1 / 3 + u * -0.25)));
}

/** The bits of a Float32Array, as an Int32Array over the same memory (no copy). */
export function float32Bits(a: Float32Array): Int32Array {
  return new Int32Array(a.buffer, a.byteOffset, a.length);
}
