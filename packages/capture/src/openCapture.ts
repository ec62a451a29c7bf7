import type { FileHandle } from 'node:fs/promises';
import { CaptureError } from './captureError.js';
import { validateCaptureHeader, type CaptureHeader, type TensorSpan } from './captureHeader.js';
import { openRegularFile } from './openRegularFile.js';
import { readAt } from './readAt.js';
import { parseSafetensorsHeader, readHeaderLength } from './safetensorsHeader.js';
import { decodeTensorBytes } from './tensorCodec.js';
import type { CaptureInfo, RowChunk } from './types.js';

/** Bytes per bulk tensor that one chunk aims for, when no `rowsPerChunk` is given. */
export const DEFAULT_CHUNK_BYTES = 8 * 1024 * 1024;

export interface ChunkOptions {
  /** batch rows per chunk (a positive integer); overrides `chunkBytes` */
  rowsPerChunk?: number;
  /** target bytes per tensor per chunk (default 8 MiB); a chunk always holds at least 1 row */
  chunkBytes?: number;
}

export interface CaptureReader {
  /** header, metadata, losses, param_gram and weights: everything but the bulk tensors */
  readonly info: CaptureInfo;
  /**
   * Batch rows of `features` and every `grad.<task>`, in order, read with positional
   * reads into fresh buffers: memory is bounded by the chunk size, not the file size.
   * F32 arrives as Float32Array, F64 as Float64Array, F16/BF16 widened exactly to
   * Float32Array. Several iterations may run at once; all end when the reader closes.
   */
  chunks(opts?: ChunkOptions): AsyncIterable<RowChunk>;
  /** releases the file; safe to call twice */
  close(): Promise<void>;
}

/**
 * Opens a capture: reads and validates the header (every reader rule of
 * docs/capture-format.md §7, before any allocation a number in the file asks for) and the
 * small tensors (`loss.*`, `param_gram`, `weight.*`); bulk data waits for `chunks()`.
 * `defaults` are the chunk options `chunks()` uses when called without any.
 */
export async function openCapture(file: string, defaults: ChunkOptions = {}): Promise<CaptureReader> {
  checkChunkOptions(defaults);
  const handle = await openRegularFile(file, { kind: 'capture file' });
  try {
    const header = await readHeader(handle, file);
    const info = await readInfo(handle, file, header);
    return new FileCaptureReader(handle, file, header, info, defaults);
  } catch (err) {
    await handle.close();
    throw err;
  }
}

async function readHeader(handle: FileHandle, file: string): Promise<CaptureHeader> {
  const { size } = await handle.stat();
  const prefix = size >= 8 ? await readAt(handle, file, 0, 8) : new Uint8Array(0);
  const headerLength = readHeaderLength(file, prefix, size);
  const headerBytes = await readAt(handle, file, 8, headerLength);
  return validateCaptureHeader(file, parseSafetensorsHeader(file, headerBytes, size));
}

async function readSmall(handle: FileHandle, file: string, span: TensorSpan) {
  return decodeTensorBytes(span.dtype, await readAt(handle, file, span.offset, span.byteLength));
}

async function readInfo(handle: FileHandle, file: string, header: CaptureHeader): Promise<CaptureInfo> {
  const losses: [string, number][] = [];
  for (const { task, span } of header.losses) losses.push([task, (await readSmall(handle, file, span))[0]!]);
  const info: CaptureInfo = {
    file,
    meta: header.meta,
    shape: header.shape,
    dtype: header.dtype,
    rowSize: header.rowSize,
    // fromEntries: a task called "__proto__" or "constructor" stays an ordinary key
    losses: Object.fromEntries(losses),
  };
  if (header.paramGram) info.paramGram = Float64Array.from(await readSmall(handle, file, header.paramGram));
  if (header.weights) {
    const weights: [string, number][] = [];
    for (const [i, span] of header.weights.entries()) weights.push([header.meta.tasks[i]!, (await readSmall(handle, file, span))[0]!]);
    info.weights = Object.fromEntries(weights);
  }
  return info;
}

function checkChunkOptions(opts: ChunkOptions): void {
  const { rowsPerChunk, chunkBytes } = opts;
  if (rowsPerChunk !== undefined && !(Number.isSafeInteger(rowsPerChunk) && rowsPerChunk >= 1)) {
    throw new RangeError(`rowsPerChunk must be a positive integer, got ${rowsPerChunk}`);
  }
  if (chunkBytes !== undefined && !(chunkBytes > 0)) throw new RangeError(`chunkBytes must be positive, got ${chunkBytes}`);
}

class FileCaptureReader implements CaptureReader {
  private closed = false;

  constructor(
    private readonly handle: FileHandle,
    private readonly file: string,
    private readonly header: CaptureHeader,
    readonly info: CaptureInfo,
    private readonly defaults: ChunkOptions,
  ) {}

  chunks(opts?: ChunkOptions): AsyncIterable<RowChunk> {
    // options given here replace the reader's defaults as a whole (never half of each)
    const options = opts && (opts.rowsPerChunk !== undefined || opts.chunkBytes !== undefined) ? opts : this.defaults;
    checkChunkOptions(options);
    const { rowBytes, rowSize } = this.header;
    const rowsPerChunk =
      options.rowsPerChunk ?? Math.max(1, Math.floor((options.chunkBytes ?? DEFAULT_CHUNK_BYTES) / rowBytes));
    return this.iterate(rowsPerChunk, rowSize);
  }

  private async *iterate(rowsPerChunk: number, rowSize: number): AsyncGenerator<RowChunk> {
    const { header } = this;
    const rowCount = header.shape[0]!;
    for (let rowStart = 0; rowStart < rowCount; rowStart += rowsPerChunk) {
      if (this.closed) throw new Error(`${this.file}: capture reader used after close()`);
      const rows = Math.min(rowsPerChunk, rowCount - rowStart);
      const [features, ...grads] = await Promise.all(
        [header.features, ...header.grads].map(async (span) => {
          const bytes = await readAt(this.handle, this.file, span.offset + rowStart * header.rowBytes, rows * header.rowBytes);
          return decodeTensorBytes(header.dtype, bytes);
        }),
      );
      yield { rowStart, rows, rowSize, features: features!, grads };
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.handle.close();
  }
}
