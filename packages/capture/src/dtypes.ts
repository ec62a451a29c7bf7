import type { DType } from './types.js';

/**
 * Every whole-byte dtype safetensors defines, with its size in bytes. Any other
 * string (including the sub-byte F4/F6 types) is an unknown dtype to this reader.
 */
export const SAFETENSORS_DTYPE_SIZES: ReadonlyMap<string, number> = new Map([
  ['BOOL', 1],
  ['U8', 1],
  ['I8', 1],
  ['F8_E5M2', 1],
  ['F8_E4M3', 1],
  ['F8_E8M0', 1],
  ['I16', 2],
  ['U16', 2],
  ['F16', 2],
  ['BF16', 2],
  ['I32', 4],
  ['U32', 4],
  ['F32', 4],
  ['I64', 8],
  ['U64', 8],
  ['F64', 8],
]);

/** Bytes per element of the float dtypes a capture stores. */
export const DTYPE_BYTES: Readonly<Record<DType, number>> = { F16: 2, BF16: 2, F32: 4, F64: 8 };

export const CAPTURE_DTYPES: readonly DType[] = ['F32', 'F16', 'BF16', 'F64'];

export function isCaptureDType(name: string): name is DType {
  return (CAPTURE_DTYPES as readonly string[]).includes(name);
}
