import { decodeBfloat16, encodeBfloat16 } from './bfloat16.js';
import { DTYPE_BYTES } from './dtypes.js';
import { decodeFloat16, encodeFloat16 } from './float16.js';
import type { DType, FloatArray } from './types.js';

// Safetensors data is little-endian and typed arrays use the host's byte order.
// Every platform Node ships for is little-endian; a big-endian host is refused
// rather than silently byte-swapped.
const littleEndianHost = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function assertLittleEndianHost(): void {
  if (!littleEndianHost) throw new Error('mtl-fd reads and writes captures on little-endian hosts only');
}

/** `bytes` itself when it sits at an offset the typed array needs, else an aligned copy. */
function aligned(bytes: Uint8Array, alignment: number): Uint8Array {
  return bytes.byteOffset % alignment === 0 ? bytes : new Uint8Array(bytes); // a fresh buffer at offset 0 (Buffer#slice would return a view)
}

/**
 * Raw little-endian tensor bytes as numbers: F32 and F64 are views on (an aligned
 * copy of) `bytes`, F16 and BF16 are widened to a new Float32Array, exactly.
 */
export function decodeTensorBytes(dtype: DType, bytes: Uint8Array): FloatArray {
  assertLittleEndianHost();
  const size = DTYPE_BYTES[dtype];
  if (bytes.byteLength % size !== 0) throw new RangeError(`${bytes.byteLength} bytes is not a whole number of ${dtype} values`);
  const src = aligned(bytes, size);
  const n = src.byteLength / size;
  switch (dtype) {
    case 'F32':
      return new Float32Array(src.buffer, src.byteOffset, n);
    case 'F64':
      return new Float64Array(src.buffer, src.byteOffset, n);
    case 'F16':
      return decodeFloat16(new Uint16Array(src.buffer, src.byteOffset, n));
    case 'BF16':
      return decodeBfloat16(new Uint16Array(src.buffer, src.byteOffset, n));
  }
}

/**
 * Numbers as little-endian tensor bytes in `dtype` (rounded to nearest even): a view
 * on `values` itself when it already is a Float32Array (F32) or Float64Array (F64),
 * so writers stream big arrays without a copy; new bytes otherwise.
 */
export function encodeTensorValues(dtype: DType, values: ArrayLike<number>): Uint8Array {
  assertLittleEndianHost();
  switch (dtype) {
    case 'F32':
      return bytesOf(values instanceof Float32Array ? values : new Float32Array(values));
    case 'F64':
      return bytesOf(values instanceof Float64Array ? values : new Float64Array(values));
    case 'F16':
      return bytesOf(encodeFloat16(values));
    case 'BF16':
      return bytesOf(encodeBfloat16(values));
  }
}

function bytesOf(array: Float32Array | Float64Array | Uint16Array): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}
