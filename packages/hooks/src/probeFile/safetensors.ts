import { readFile } from 'node:fs/promises';
import { parseSafetensorsHeader, readHeaderLength, safetensorsPrefix, writeFileAtomic, decodeTensorBytes, UserError } from '@mtl-fd/capture';

/** A tensor as plain numbers: every dtype below is read into float32. */
export interface PlainTensor {
  shape: number[];
  values: Float32Array;
}

const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Integer and boolean dtypes, read through a typed array of that kind. */
const INT_ARRAYS: Record<string, (b: ArrayBuffer, o: number, n: number) => ArrayLike<number | bigint>> = {
  BOOL: (b, o, n) => new Uint8Array(b, o, n),
  U8: (b, o, n) => new Uint8Array(b, o, n),
  I8: (b, o, n) => new Int8Array(b, o, n),
  I16: (b, o, n) => new Int16Array(b, o, n),
  U16: (b, o, n) => new Uint16Array(b, o, n),
  I32: (b, o, n) => new Int32Array(b, o, n),
  U32: (b, o, n) => new Uint32Array(b, o, n),
  I64: (b, o, n) => new BigInt64Array(b, o, n),
  U64: (b, o, n) => new BigUint64Array(b, o, n),
};
const SIZES: Record<string, number> = { BOOL: 1, U8: 1, I8: 1, I16: 2, U16: 2, I32: 4, U32: 4, I64: 8, U64: 8 };

function toFloat32(file: string, name: string, dtype: string, view: Uint8Array): Float32Array {
  // an aligned copy (Buffer#slice would be a view into Node's pooled buffer, at any offset)
  const bytes = new Uint8Array(view);
  if (dtype === 'F32' || dtype === 'F64' || dtype === 'F16' || dtype === 'BF16') return Float32Array.from(decodeTensorBytes(dtype, bytes));
  const make = INT_ARRAYS[dtype];
  const size = SIZES[dtype];
  if (make === undefined || size === undefined) throw new UserError(`${file}: tensor '${name}' has dtype ${dtype}, which a probe file cannot use`);
  const ints = make(bytes.buffer, 0, bytes.byteLength / size);
  const out = new Float32Array(ints.length);
  for (let i = 0; i < ints.length; i++) out[i] = Number(ints[i]);
  return out;
}

/** Reads a whole (small) safetensors file: its metadata and every tensor as float32. */
export async function readSafetensors(file: string): Promise<{ metadata: Record<string, string>; tensors: Map<string, PlainTensor> }> {
  if (!littleEndian) throw new Error('safetensors files are read on little-endian hosts only');
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UserError(`${file}: cannot read (${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (code ?? (err as Error).message)})`);
  }
  const headerLength = readHeaderLength(file, bytes.subarray(0, 8), bytes.byteLength);
  const header = parseSafetensorsHeader(file, bytes.subarray(8, 8 + headerLength), bytes.byteLength);
  const tensors = new Map<string, PlainTensor>();
  for (const t of header.tensors) {
    const data = bytes.subarray(header.dataStart + t.begin, header.dataStart + t.end);
    tensors.set(t.name, { shape: t.shape, values: toFloat32(file, t.name, t.dtype, data) });
  }
  return { metadata: header.metadata ?? {}, tensors };
}

/** A tensor to write: float32 values, or int32 ones (class labels). */
export interface TensorToWrite {
  shape: number[];
  values: Float32Array | Int32Array;
}

/**
 * Writes a safetensors file atomically: F32 / I32 tensors in the given order, the
 * header padded with spaces to a multiple of 8 bytes (so the data is aligned).
 */
export async function writeSafetensors(file: string, tensors: Map<string, TensorToWrite>, metadata: Record<string, string> = {}): Promise<void> {
  const layout = [...tensors].map(([name, t]) => ({ name, dtype: t.values instanceof Int32Array ? 'I32' : 'F32', shape: t.shape, byteLength: t.values.byteLength }));
  const { prefix, dataBytes } = safetensorsPrefix(layout, Object.keys(metadata).length > 0 ? metadata : undefined);
  const out = new Uint8Array(prefix.byteLength + dataBytes);
  out.set(prefix, 0);
  let at = prefix.byteLength;
  for (const t of tensors.values()) {
    out.set(new Uint8Array(t.values.buffer, t.values.byteOffset, t.values.byteLength), at);
    at += t.values.byteLength;
  }
  await writeFileAtomic(file, out);
}
