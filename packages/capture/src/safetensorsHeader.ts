import { CaptureError, jsonKind, quote } from './captureError.js';
import { SAFETENSORS_DTYPE_SIZES } from './dtypes.js';

/** Largest header a reader accepts, as in the reference safetensors implementation. */
export const MAX_HEADER_BYTES = 100_000_000;

/** One tensor as the header declares it; `begin`/`end` are relative to the data section. */
export interface TensorEntry {
  name: string;
  dtype: string;
  shape: number[];
  begin: number;
  end: number;
}

/** A safetensors header that passed every structural and offset check. */
export interface SafetensorsHeader {
  /** absolute file offset of the data section: 8 + header length */
  dataStart: number;
  /** `__metadata__`, absent when the header has none; every value is a string */
  metadata?: Record<string, string>;
  /** in header order */
  tensors: TensorEntry[];
}

/**
 * The header length from the 8-byte little-endian prefix, checked against the 100 MB
 * limit and the file size before anything is allocated for it.
 */
export function readHeaderLength(file: string, prefix: Uint8Array, fileSize: number): number {
  if (fileSize < 8 || prefix.byteLength < 8) {
    throw new CaptureError(file, `file is ${fileSize} bytes, too short for a safetensors header (needs at least 8)`);
  }
  const length = new DataView(prefix.buffer, prefix.byteOffset, 8).getBigUint64(0, true);
  if (length > BigInt(MAX_HEADER_BYTES)) {
    throw new CaptureError(file, `header length ${length} is over the ${MAX_HEADER_BYTES / 1e6} MB limit`);
  }
  if (length > BigInt(fileSize - 8)) {
    throw new CaptureError(file, `header length ${length} is larger than the file (${fileSize} bytes)`);
  }
  return Number(length);
}

/**
 * Parses and validates a safetensors header: a JSON object whose `__metadata__` maps
 * strings to strings and whose other entries are tensors with a known dtype, a shape
 * and `data_offsets` that tile the data section exactly (no overlap, no gap, nothing
 * past the end) and agree with shape x dtype size. Tensors may come in any order.
 */
export function parseSafetensorsHeader(file: string, headerBytes: Uint8Array, fileSize: number): SafetensorsHeader {
  const dataStart = 8 + headerBytes.byteLength;
  const dataSize = fileSize - dataStart;
  const json = parseJsonObject(file, headerBytes);
  let metadata: Record<string, string> | undefined;
  const tensors: TensorEntry[] = [];
  for (const [name, value] of Object.entries(json)) {
    if (name === '__metadata__') metadata = parseMetadata(file, value);
    else tensors.push(parseEntry(file, name, value));
  }
  // JSON.parse keeps the last of duplicate keys; the bytes of a dropped tensor then show up as a gap
  checkTiling(file, tensors, dataSize);
  for (const t of tensors) checkByteCount(file, t);
  return metadata ? { dataStart, metadata, tensors } : { dataStart, tensors };
}

function parseJsonObject(file: string, bytes: Uint8Array): Record<string, unknown> {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new CaptureError(file, 'header is not valid UTF-8');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new CaptureError(file, `header is not valid JSON (${(err as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CaptureError(file, `header is not a JSON object (it is ${jsonKind(value)})`);
  }
  return value as Record<string, unknown>;
}

function parseMetadata(file: string, value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CaptureError(file, `__metadata__ is ${jsonKind(value)}, not a JSON object`);
  }
  const entries = Object.entries(value);
  for (const [key, v] of entries) {
    if (typeof v !== 'string') {
      throw new CaptureError(file, `metadata key ${quote(key)} holds ${jsonKind(v)}; safetensors metadata values must be strings`);
    }
  }
  // fromEntries defines own properties, so a key such as "__proto__" stays plain data
  return Object.fromEntries(entries) as Record<string, string>;
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

function parseEntry(file: string, name: string, value: unknown): TensorEntry {
  const where = `tensor ${quote(name)}`;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CaptureError(file, `${where} is ${jsonKind(value)}, not an object with dtype, shape and data_offsets`);
  }
  const { dtype, shape, data_offsets: offsets } = value as Record<string, unknown>;
  if (typeof dtype !== 'string') throw new CaptureError(file, `${where} has no dtype string`);
  if (!SAFETENSORS_DTYPE_SIZES.has(dtype)) throw new CaptureError(file, `${where} has unknown dtype ${quote(dtype)}`);
  if (!Array.isArray(shape) || !shape.every(isCount)) {
    throw new CaptureError(file, `${where} has a shape that is not an array of non-negative integers`);
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !isCount(offsets[0]) || !isCount(offsets[1]) || offsets[0] > offsets[1]) {
    throw new CaptureError(file, `${where} has data_offsets that are not [begin, end] with 0 <= begin <= end`);
  }
  return { name, dtype, shape: shape as number[], begin: offsets[0], end: offsets[1] };
}

function checkTiling(file: string, tensors: TensorEntry[], dataSize: number): void {
  for (const t of tensors) {
    if (t.end > dataSize) {
      throw new CaptureError(
        file,
        `tensor ${quote(t.name)} runs past the end of the file (data_offsets end at ${t.end}, the data section holds ${dataSize} bytes)`,
      );
    }
  }
  const sorted = [...tensors].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let position = 0;
  let previous: TensorEntry | undefined;
  for (const t of sorted) {
    if (t.begin < position) {
      throw new CaptureError(file, `tensors ${quote(previous!.name)} and ${quote(t.name)} overlap (bytes ${t.begin} to ${position} of the data section)`);
    }
    if (t.begin > position) {
      const after = previous ? `between tensors ${quote(previous.name)} and` : 'before tensor';
      throw new CaptureError(file, `gap of ${t.begin - position} bytes ${after} ${quote(t.name)} in the data section`);
    }
    position = t.end;
    previous = t;
  }
  if (position < dataSize) {
    throw new CaptureError(file, `${dataSize - position} bytes at the end of the data section belong to no tensor (a gap)`);
  }
}

function checkByteCount(file: string, t: TensorEntry): void {
  const span = t.end - t.begin;
  // The product only has to be exact while it stays within the span (itself bounded
  // by the file size); past that it can only mismatch, whatever its rounding.
  let elements = 1;
  for (const d of t.shape) elements *= d;
  const bytes = elements * SAFETENSORS_DTYPE_SIZES.get(t.dtype)!;
  if (bytes !== span) {
    throw new CaptureError(
      file,
      `tensor ${quote(t.name)} has shape [${t.shape.join(', ')}] of ${t.dtype} (${bytes} bytes) but its data_offsets span ${span} bytes`,
    );
  }
}
