import { readFile, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CaptureError, openCapture, readCapture, writeCapture } from '../src/index.js';
import { createCaptureWriter } from '../src/captureWriter.js';
import { type CaptureReader, type ChunkOptions } from '../src/openCapture.js';
import { encodeTensorValues } from '../src/tensorCodec.js';
import { LAYOUTS, type DType, type RowChunk } from '../src/types.js';
import { rawSafetensors } from '../../../test/support/hostileCaptures.js';
import { sampleCapture } from './sampleCaptures.js';
import { useTempDir } from './tempDir.js';

const dir = useTempDir();
const DTYPES: DType[] = ['F32', 'F16', 'BF16', 'F64'];

async function allChunks(reader: CaptureReader, opts?: ChunkOptions): Promise<RowChunk[]> {
  const chunks: RowChunk[] = [];
  for await (const chunk of reader.chunks(opts)) chunks.push(chunk);
  return chunks;
}

/** Joins the chunks' features (tensor -1) or gradient `k` back into one array. */
function joined(chunks: RowChunk[], k: number): number[] {
  return chunks.flatMap((c) => Array.from(k < 0 ? c.features : c.grads[k]!));
}

async function opened<T>(file: string, use: (reader: CaptureReader) => Promise<T>, defaults?: ChunkOptions): Promise<T> {
  const reader = await openCapture(file, defaults);
  try {
    return await use(reader);
  } finally {
    await reader.close();
  }
}

describe('openCapture', () => {
  describe.each(LAYOUTS)('layout %s', (layout) => {
    it.each(DTYPES)('round-trips %s features, gradients, losses and param_gram', async (dtype) => {
      const data = sampleCapture({ layout, dtype, extras: true });
      const file = join(dir(), `roundtrip-${layout}-${dtype}.safetensors`);
      await writeCapture(file, data);
      await opened(file, async (reader) => {
        expect(reader.info).toEqual({
          file,
          meta: { format: 'mtl-fd/capture@1', ...data.meta },
          shape: data.shape,
          dtype,
          rowSize: data.shape.slice(1).reduce((a, b) => a * b, 1),
          losses: data.losses,
          paramGram: Float64Array.from(data.paramGram!),
        });
        const chunks = await allChunks(reader);
        expect(chunks).toHaveLength(1);
        expect(chunks[0]!.features).toBeInstanceOf(dtype === 'F64' ? Float64Array : Float32Array);
        expect(joined(chunks, -1)).toEqual(Array.from(data.features));
        data.meta.tasks.forEach((task, k) => expect(joined(chunks, k)).toEqual(Array.from(data.grads[task]!)));
      });
    });
  });

  it('streams many small chunks that add up to the whole read', async () => {
    const data = sampleCapture({ layout: 'NLC', shape: [7, 3, 2], dtype: 'F16' });
    const file = join(dir(), 'small-chunks.safetensors');
    await writeCapture(file, data);
    const whole = await readCapture(file);
    for (const rowsPerChunk of [1, 2, 3, 7, 10]) {
      const chunks = await opened(file, (reader) => allChunks(reader, { rowsPerChunk }));
      expect(chunks.map((c) => c.rows)).toEqual(
        Array.from({ length: Math.ceil(7 / rowsPerChunk) }, (_, i) => Math.min(rowsPerChunk, 7 - i * rowsPerChunk)),
      );
      expect(chunks.map((c) => c.rowStart)).toEqual(chunks.map((_, i) => i * rowsPerChunk));
      expect(chunks.every((c) => c.rowSize === 6 && c.features.length === c.rows * 6)).toBe(true);
      expect(joined(chunks, -1)).toEqual(Array.from(whole.features));
      whole.meta.tasks.forEach((task, k) => expect(joined(chunks, k)).toEqual(Array.from(whole.grads[task]!)));
    }
  });

  it('sizes chunks by chunkBytes (at least one row) and takes defaults from openCapture', async () => {
    const file = join(dir(), 'chunk-bytes.safetensors');
    await writeCapture(file, sampleCapture({ layout: 'NLC', shape: [7, 3, 2], dtype: 'F16' })); // 12 bytes a row
    const rowsOf = (chunks: RowChunk[]) => chunks.map((c) => c.rows);
    expect(rowsOf(await opened(file, (r) => allChunks(r, { chunkBytes: 25 })))).toEqual([2, 2, 2, 1]);
    expect(rowsOf(await opened(file, (r) => allChunks(r, { chunkBytes: 5 })))).toEqual([1, 1, 1, 1, 1, 1, 1]);
    expect(rowsOf(await opened(file, (r) => allChunks(r), { rowsPerChunk: 3 }))).toEqual([3, 3, 1]);
    expect(rowsOf(await opened(file, (r) => allChunks(r, { rowsPerChunk: 4 }), { rowsPerChunk: 3 }))).toEqual([4, 3]);
    expect(rowsOf(await opened(file, (r) => allChunks(r, {}), { rowsPerChunk: 3 }))).toEqual([3, 3, 1]);
    expect(rowsOf(await opened(file, (r) => allChunks(r, { chunkBytes: 50 }), { rowsPerChunk: 1 }))).toEqual([4, 3]);
  });

  it('reads a 30 MB capture in small chunks, each in its own row-sized buffer', async () => {
    const shape = [80, 16, 16, 128]; // 128 KiB per row and tensor
    const rowSize = 16 * 16 * 128;
    const value = (k: number, row: number, j: number) => ((row * 131 + j * 7 + k * 17) % 1000) / 8;
    const rowsOf = (k: number, start: number, rows: number) => {
      const out = new Float32Array(rows * rowSize);
      for (let r = 0; r < rows; r++) for (let j = 0; j < rowSize; j++) out[r * rowSize + j] = value(k, start + r, j);
      return out;
    };
    const file = join(dir(), 'big.safetensors');
    const writer = await createCaptureWriter(file, { meta: { step: 7, tasks: ['a', 'b'], layout: 'NHWC' }, shape, dtype: 'F32' });
    // out of order, in uneven pieces, rows 5-9 and 75-79 written twice
    for (const [start, rows] of [[75, 5], [0, 20], [40, 20], [5, 5], [60, 20], [20, 20]] as const) {
      await writer.writeRows(start, rowsOf(0, start, rows), [rowsOf(1, start, rows), rowsOf(2, start, rows)]);
    }
    await writer.close();

    for (const opts of [{ rowsPerChunk: 3 }, {}]) {
      const seen: number[] = [];
      let mismatches = 0;
      await opened(file, async (reader) => {
        for await (const chunk of reader.chunks(opts)) {
          seen.push(chunk.rows);
          for (const [k, arr] of [chunk.features, ...chunk.grads].entries()) {
            // a fresh buffer per tensor and chunk: nothing holds the whole file
            expect(arr.buffer.byteLength).toBe(chunk.rows * rowSize * 4);
            for (let i = 0; i < arr.length; i += 97) {
              if (arr[i] !== value(k, chunk.rowStart + Math.floor(i / rowSize), i % rowSize)) mismatches++;
            }
          }
        }
      });
      expect(mismatches).toBe(0);
      expect(seen).toEqual('rowsPerChunk' in opts ? [...Array(26).fill(3), 2] : [64, 16]); // default: 8 MiB per tensor
    }
  });

  it('accepts tensors in any order, at unaligned offsets, and ignores unknown tensors', async () => {
    const f64 = (v: number[]) => encodeTensorValues('F64', v);
    const parts: [string, string, number[], Uint8Array][] = [
      ['param_gram', 'F32', [2, 2], encodeTensorValues('F32', [1, 0.5, 0.5, 2])],
      ['loss.depth', 'F16', [1], encodeTensorValues('F16', [0.75])],
      ['grad.depth', 'F64', [2, 3], f64([6, 5, 4, 3, 2, 1])],
      ['notes', 'U8', [3], new Uint8Array([1, 2, 3])],
      ['grad.seg', 'F64', [2, 3], f64([-1, -2, -3, -4, -5, -6])],
      ['features', 'F64', [2, 3], f64([0.1, 0.2, 0.3, 0.4, 0.5, 0.6])],
      ['loss.seg', 'F64', [], f64([1.25])],
    ];
    const header: Record<string, unknown> = { __metadata__: { format: 'mtl-fd/capture@1', step: '3', tasks: '["seg", "depth"]', layout: 'NC' } };
    let at = 0;
    for (const [name, dtype, shape, bytes] of parts) {
      header[name] = { dtype, shape, data_offsets: [at, at + bytes.byteLength] };
      at += bytes.byteLength;
    }
    let text = JSON.stringify(header);
    if (text.length % 2 === 0) text += ' '; // odd header length: every tensor lands on an odd offset
    const data = new Uint8Array(at);
    let pos = 0;
    for (const [, , , bytes] of parts) {
      data.set(bytes, pos);
      pos += bytes.byteLength;
    }
    const file = join(dir(), 'any-order.safetensors');
    await writeFile(file, rawSafetensors(text, data));
    const capture = await readCapture(file);
    expect(Array.from(capture.features)).toEqual([0.1, 0.2, 0.3, 0.4, 0.5, 0.6]);
    expect(Array.from(capture.grads.seg!)).toEqual([-1, -2, -3, -4, -5, -6]);
    expect(Array.from(capture.grads.depth!)).toEqual([6, 5, 4, 3, 2, 1]);
    expect(capture.losses).toEqual({ seg: 1.25, depth: 0.75 });
    expect(Array.from(capture.paramGram!)).toEqual([1, 0.5, 0.5, 2]);
  });

  it('passes NaN and infinities through: judging them is the scorer\'s policy', async () => {
    const data = sampleCapture({ dtype: 'F16' });
    const features = Array.from(data.features);
    features[1] = NaN;
    features[2] = -Infinity;
    const file = join(dir(), 'non-finite.safetensors');
    await writeCapture(file, { ...data, features });
    const back = await readCapture(file);
    expect(back.features[1]).toBeNaN();
    expect(back.features[2]).toBe(-Infinity);
  });

  it('names a missing file and a directory', async () => {
    await expect(openCapture(join(dir(), 'nope.safetensors'))).rejects.toThrow(new CaptureError(join(dir(), 'nope.safetensors'), 'no such file'));
    await expect(openCapture(dir())).rejects.toThrow(/is a directory, not a capture file/);
  });

  it('reports a file truncated after it was opened', async () => {
    const file = join(dir(), 'shrinks.safetensors');
    await writeCapture(file, sampleCapture({ layout: 'NC', shape: [6, 4] }));
    const size = (await readFile(file)).byteLength;
    await opened(file, async (reader) => {
      await truncate(file, size - 200);
      await expect(allChunks(reader)).rejects.toThrow(/file ended at byte \d+ while reading/);
    });
  });

  it('stops after close, and close can be called twice', async () => {
    const file = join(dir(), 'closed.safetensors');
    await writeCapture(file, sampleCapture({ shape: [4, 2] }));
    const reader = await openCapture(file);
    const iterator = reader.chunks({ rowsPerChunk: 1 })[Symbol.asyncIterator]();
    expect((await iterator.next()).done).toBe(false);
    await reader.close();
    await reader.close();
    await expect(iterator.next()).rejects.toThrow(/used after close/);
  });

  it('runs concurrent iterations over one reader independently', async () => {
    const file = join(dir(), 'concurrent.safetensors');
    await writeCapture(file, sampleCapture({ shape: [9, 5] }));
    const [a, b] = await opened(file, (reader) => Promise.all([allChunks(reader, { rowsPerChunk: 2 }), allChunks(reader, { rowsPerChunk: 4 })]));
    expect(joined(a!, 0)).toEqual(joined(b!, 0));
    expect(joined(a!, -1)).toEqual(joined(b!, -1));
  });

  it('refuses chunk options that are not positive', async () => {
    const file = join(dir(), 'options.safetensors');
    await writeCapture(file, sampleCapture());
    await expect(openCapture(file, { rowsPerChunk: 0 })).rejects.toThrow(RangeError);
    await opened(file, async (reader) => {
      expect(() => reader.chunks({ rowsPerChunk: 1.5 })).toThrow(RangeError);
      expect(() => reader.chunks({ chunkBytes: -1 })).toThrow(RangeError);
    });
  });
});
