import type { FileHandle } from 'node:fs/promises';
import { createAtomicFile, type AtomicFile } from './atomicFile.js';
import { CaptureError } from './captureError.js';
import { planCaptureFile, type CaptureFilePlan, type CaptureSpec } from './captureFilePlan.js';
import { DEFAULT_CHUNK_BYTES } from './openCapture.js';
import { checkRowData, gradsInTaskOrder, sliceValues } from './rowData.js';
import { encodeTensorValues } from './tensorCodec.js';
import type { CaptureData } from './types.js';

export type CaptureWriterOptions = CaptureSpec;

/** Writes a capture batch rows at a time, for captures bigger than memory. */
export interface CaptureWriter {
  readonly file: string;
  /** B, the batch rows the capture will hold */
  readonly rows: number;
  readonly rowSize: number;
  /**
   * Stores rows `[rowStart, rowStart + n)`: `features` holds n * rowSize values and
   * `grads` one array as long per task, in `meta.tasks` order. Rows may come in any
   * order and be rewritten; an I/O failure aborts the whole write. Float32Array
   * (F32) and Float64Array (F64) data is written without a copy, so leave the arrays
   * unchanged until the promise settles.
   */
  writeRows(rowStart: number, features: ArrayLike<number>, grads: readonly ArrayLike<number>[]): Promise<void>;
  /** publishes the file (atomically); every row must have been written */
  close(): Promise<void>;
  /** gives up: the temporary file is removed and `file` is left as it was */
  abort(): Promise<void>;
}

/**
 * Starts writing a capture through a temporary file in the same directory that is
 * renamed into place on `close()`. The header, losses and param_gram are written at
 * once; the layout is that of `planCaptureFile`, validated by the reader's rules first.
 */
export async function createCaptureWriter(file: string, opts: CaptureWriterOptions): Promise<CaptureWriter> {
  const plan = planCaptureFile(file, opts);
  const atomic = await createAtomicFile(file);
  try {
    await writeAt(atomic.handle, plan.prefix, 0);
    for (const { offset, bytes } of plan.small) await writeAt(atomic.handle, bytes, offset);
  } catch (err) {
    await atomic.abort();
    throw err;
  }
  return new FileCaptureWriter(file, plan, atomic);
}

/** Writes bytes at `position`, looping over short writes. */
async function writeAt(handle: FileHandle, bytes: Uint8Array, position: number): Promise<void> {
  let done = 0;
  while (done < bytes.byteLength) {
    const { bytesWritten } = await handle.write(bytes, done, bytes.byteLength - done, position + done);
    done += bytesWritten;
  }
}

class FileCaptureWriter implements CaptureWriter {
  readonly rows: number;
  readonly rowSize: number;
  private readonly written: Uint8Array;
  private readonly pending = new Set<Promise<void>>();
  private state: 'open' | 'closed' | 'aborted' = 'open';

  constructor(
    readonly file: string,
    private readonly plan: CaptureFilePlan,
    private readonly atomic: AtomicFile,
  ) {
    this.rows = plan.header.shape[0]!;
    this.rowSize = plan.header.rowSize;
    this.written = new Uint8Array(this.rows);
  }

  async writeRows(rowStart: number, features: ArrayLike<number>, grads: readonly ArrayLike<number>[]): Promise<void> {
    if (this.state !== 'open') throw new Error(`${this.file}: capture writer already ${this.state}`);
    const n = checkRowData(this.file, this.rowSize, this.plan.header.meta.tasks, features, grads);
    if (!Number.isSafeInteger(rowStart) || rowStart < 0 || rowStart + n > this.rows) {
      throw new CaptureError(this.file, `rows ${rowStart} to ${rowStart + n} are outside the batch of ${this.rows} rows`);
    }
    const write = this.store(rowStart, n, features, grads);
    this.pending.add(write);
    try {
      await write;
    } finally {
      this.pending.delete(write);
    }
  }

  private async store(rowStart: number, n: number, features: ArrayLike<number>, grads: readonly ArrayLike<number>[]): Promise<void> {
    const { header } = this.plan;
    const at = rowStart * header.rowBytes;
    try {
      await writeAt(this.atomic.handle, encodeTensorValues(header.dtype, features), header.features.offset + at);
      for (let i = 0; i < grads.length; i++) {
        await writeAt(this.atomic.handle, encodeTensorValues(header.dtype, grads[i]!), header.grads[i]!.offset + at);
      }
    } catch (err) {
      this.state = 'aborted';
      await this.atomic.abort();
      throw err;
    }
    this.written.fill(1, rowStart, rowStart + n);
  }

  async close(): Promise<void> {
    if (this.state !== 'open') throw new Error(`${this.file}: capture writer already ${this.state}`);
    await Promise.allSettled(this.pending);
    if (this.state !== 'open') throw new Error(`${this.file}: capture writer aborted by a failed write`);
    this.state = 'closed';
    const missing = this.written.indexOf(0);
    if (missing >= 0) {
      const count = this.written.reduce((n, w) => n + (w ? 0 : 1), 0);
      await this.atomic.abort();
      throw new CaptureError(this.file, `${count} of ${this.rows} batch rows were never written (first: row ${missing}); nothing was saved`);
    }
    await this.atomic.commit();
  }

  async abort(): Promise<void> {
    if (this.state === 'closed') return;
    this.state = 'aborted';
    await Promise.allSettled(this.pending);
    await this.atomic.abort();
  }
}

/**
 * Writes an in-memory capture to `file` atomically, streaming it through the
 * capture writer (~8 MB per tensor at a time) rather than building the file in memory.
 */
export async function writeCapture(file: string, data: CaptureData): Promise<void> {
  const writer = await createCaptureWriter(file, data);
  try {
    const grads = gradsInTaskOrder(file, data.meta.tasks, data.grads);
    const rows = checkRowData(file, writer.rowSize, data.meta.tasks, data.features, grads);
    if (rows !== writer.rows) throw new CaptureError(file, `features hold ${rows} rows but shape says ${writer.rows}`);
    const step = Math.max(1, Math.floor(DEFAULT_CHUNK_BYTES / (writer.rowSize * 8)));
    for (let row = 0; row < rows; row += step) {
      const [start, end] = [row * writer.rowSize, Math.min(rows, row + step) * writer.rowSize];
      await writer.writeRows(row, sliceValues(data.features, start, end), grads.map((g) => sliceValues(g, start, end)));
    }
    await writer.close();
  } catch (err) {
    await writer.abort();
    throw err;
  }
}
