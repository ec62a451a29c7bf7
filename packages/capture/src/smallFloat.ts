// Rounding a double to a narrow IEEE-754 binary format (float16, bfloat16) straight
// from its bits. Going through float32 first would round twice and can land on the
// wrong neighbour near a halfway point, so this works on the float64 bits directly.

const scratch = new Float64Array(1);
// Little-endian hosts only (every platform Node ships for): word 0 is the low half.
const words = new Uint32Array(scratch.buffer);

/**
 * An encoder for the binary format with `expBits` exponent and `mantBits` stored
 * mantissa bits (both formats here have mantBits < 20): round to nearest, ties to
 * even, with gradual underflow to subnormals, overflow to infinity, and NaN to the
 * format's quiet NaN. Returns the bit pattern as an unsigned integer.
 */
export function smallFloatEncoder(expBits: number, mantBits: number): (value: number) => number {
  const bias = (1 << (expBits - 1)) - 1;
  const minNormalExp = 1 - bias;
  const signBit = 1 << (expBits + mantBits);
  const infBits = ((1 << expBits) - 1) << mantBits;
  const nanBits = infBits | (1 << (mantBits - 1));
  // float64 keeps 20 mantissa bits in its high word; `dropped` of them fall off
  const dropped = 20 - mantBits;
  const roundBit = 1 << (dropped - 1);
  const stickyMask = roundBit - 1;

  return (value: number): number => {
    scratch[0] = value;
    const hi = words[1]!;
    const lo = words[0]!;
    const sign = hi >>> 31 ? signBit : 0;
    const biasedExp = (hi >>> 20) & 0x7ff;
    const mant = hi & 0xfffff;
    if (biasedExp === 0x7ff) return sign | (mant !== 0 || lo !== 0 ? nanBits : infBits);
    const exp = biasedExp - 1023;
    if (exp > bias) return sign | infBits;
    if (exp >= minNormalExp) {
      let bits = ((exp + bias) << mantBits) | (mant >>> dropped);
      // ties to even; a carry out of the mantissa correctly bumps the exponent (up to infinity)
      if (mant & roundBit && (mant & stickyMask || lo !== 0 || bits & 1)) bits++;
      return sign | bits;
    }
    // Below the normal range: count in units of the smallest subnormal,
    // 2^(minNormalExp - mantBits). The 21-bit significand 1.mant is shifted right.
    const shift = minNormalExp - mantBits - exp + 20;
    if (biasedExp === 0 || shift > 21) return sign; // under half the smallest subnormal: zero
    const significand = 0x100000 | mant;
    let bits = significand >>> shift;
    const half = 1 << (shift - 1);
    if (significand & half && (significand & (half - 1) || lo !== 0 || bits & 1)) bits++;
    return sign | bits;
  };
}
