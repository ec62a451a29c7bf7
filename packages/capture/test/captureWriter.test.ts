import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../src/errors.js';
import { CaptureError, readCapture, writeCapture } from '../src/index.js';
import { createCaptureWriter } from '../src/captureWriter.js';
import { encodeCapture } from '../src/encodeCapture.js';
import { sampleCapture } from './sampleCaptures.js';
import { useTempDir } from './tempDir.js';

const dir = useTempDir();
let n = 0;
/** A fresh empty directory per test, so leftover temp files are easy to see. */
async function freshDir(): Promise<string> {
  const d = join(dir(), `w${n++}`);
  await mkdir(d);
  return d;
}

function rowsOf(values: ArrayLike<number>, rowSize: number, start: number, end: number): Float64Array {
  return Float64Array.from(values).subarray(start * rowSize, end * rowSize);
}

describe('createCaptureWriter', () => {
  it('writes rows in any order and pieces, giving the same file as encodeCapture', async () => {
    const d = await freshDir();
    const data = sampleCapture({ layout: 'NLC', shape: [5, 2, 3], dtype: 'F16', extras: true });
    const file = join(d, 'streamed.safetensors');
    const writer = await createCaptureWriter(file, { meta: data.meta, shape: data.shape, dtype: 'F16', losses: data.losses!, paramGram: data.paramGram! });
    expect([writer.rows, writer.rowSize, writer.file]).toEqual([5, 6, file]);
    const grads = data.meta.tasks.map((t) => data.grads[t]!);
    for (const [start, end] of [[3, 5], [0, 1], [1, 3]]) {
      await writer.writeRows(start!, rowsOf(data.features, 6, start!, end!), grads.map((g) => rowsOf(g, 6, start!, end!)));
    }
    expect(await readdir(d)).not.toContain('streamed.safetensors'); // nothing visible before close
    await writer.close();
    expect(new Uint8Array(await readFile(file))).toEqual(encodeCapture(data));
    expect(await readdir(d)).toEqual(['streamed.safetensors']);
  });

  it('accepts parallel writeRows calls', async () => {
    const d = await freshDir();
    const data = sampleCapture({ shape: [6, 4], tasks: ['a', 'b'] });
    const file = join(d, 'parallel.safetensors');
    const writer = await createCaptureWriter(file, { meta: data.meta, shape: data.shape });
    await Promise.all(
      [0, 1, 2, 3, 4, 5].map((r) => writer.writeRows(r, rowsOf(data.features, 4, r, r + 1), ['a', 'b'].map((t) => rowsOf(data.grads[t]!, 4, r, r + 1)))),
    );
    await writer.close();
    expect(new Uint8Array(await readFile(file))).toEqual(encodeCapture(data));
  });

  it('refuses to close with rows never written, and leaves nothing behind', async () => {
    const d = await freshDir();
    const file = join(d, 'partial.safetensors');
    const writer = await createCaptureWriter(file, { meta: { step: 1, tasks: ['a', 'b'], layout: 'NC' }, shape: [4, 2] });
    await writer.writeRows(1, [1, 2], [[3, 4], [5, 6]]);
    await expect(writer.close()).rejects.toThrow(new CaptureError(file, '3 of 4 batch rows were never written (first: row 0); nothing was saved'));
    expect(await readdir(d)).toEqual([]);
  });

  it('checks each writeRows call and stays usable after a refused one', async () => {
    const d = await freshDir();
    const file = join(d, 'checked.safetensors');
    const writer = await createCaptureWriter(file, { meta: { step: 1, tasks: ['a', 'b'], layout: 'NC' }, shape: [2, 2] });
    await expect(writer.writeRows(0, [1, 2], [[1, 2]])).rejects.toThrow(/got 1 gradients for 2 tasks/);
    await expect(writer.writeRows(0, [1, 2, 3], [[1, 2, 3], [1, 2, 3]])).rejects.toThrow(/features hold 3 values, not a positive whole number of rows of 2/);
    await expect(writer.writeRows(0, [1, 2], [[1, 2], [1]])).rejects.toThrow(/gradient of task "b" holds 1 values/);
    await expect(writer.writeRows(1, [1, 2, 3, 4], [[1, 2, 3, 4], [1, 2, 3, 4]])).rejects.toThrow(/rows 1 to 3 are outside the batch of 2 rows/);
    await expect(writer.writeRows(-1, [1, 2], [[1, 2], [1, 2]])).rejects.toBeInstanceOf(CaptureError);
    await writer.writeRows(0, [1, 2, 3, 4], [[5, 6, 7, 8], [9, 10, 11, 12]]);
    await writer.close();
    expect(Array.from((await readCapture(file)).grads.b!)).toEqual([9, 10, 11, 12]);
    await expect(writer.writeRows(0, [1, 2], [[1, 2], [1, 2]])).rejects.toThrow(/already closed/);
  });

  it('abort removes the temporary file and leaves an existing capture as it was', async () => {
    const d = await freshDir();
    const file = join(d, 'kept.safetensors');
    await writeFile(file, 'old contents');
    const writer = await createCaptureWriter(file, { meta: { step: 1, tasks: ['a', 'b'], layout: 'NC' }, shape: [1, 2] });
    await writer.writeRows(0, [1, 2], [[1, 2], [3, 4]]);
    expect((await readdir(d)).length).toBe(2);
    await writer.abort();
    await writer.abort();
    expect(await readdir(d)).toEqual(['kept.safetensors']);
    expect(await readFile(file, 'utf8')).toBe('old contents');
  });

  it('refuses a bad spec before creating any file', async () => {
    const d = await freshDir();
    await expect(createCaptureWriter(join(d, 'x.safetensors'), { meta: { step: 1, tasks: ['a'], layout: 'NC' }, shape: [1, 2] })).rejects.toThrow(
      /metadata tasks lists 1 task\(s\)/,
    );
    expect(await readdir(d)).toEqual([]);
  });

  it('names the file when its directory does not exist', async () => {
    const file = join(dir(), 'no-such-dir', 'x.safetensors');
    const err = await createCaptureWriter(file, { meta: { step: 1, tasks: ['a', 'b'], layout: 'NC' }, shape: [1, 1] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toBe(`${file}: cannot write (its directory does not exist)`);
  });
});

describe('writeCapture', () => {
  it('replaces an existing capture atomically, leaving no temporary file', async () => {
    const d = await freshDir();
    const file = join(d, 'step-00000001.safetensors');
    await writeCapture(file, sampleCapture({ step: 1 }));
    await writeCapture(file, sampleCapture({ step: 2 }));
    expect((await readCapture(file)).meta.step).toBe(2);
    expect(await readdir(d)).toEqual(['step-00000001.safetensors']);
  });

  it('writes a capture bigger than one 8 MB slice in several pieces', async () => {
    const d = await freshDir();
    const data = sampleCapture({ layout: 'NC', shape: [40, 30_000], tasks: ['a', 'b'] }); // 1.2 M values, 9.6 MB as float64 input
    const file = join(d, 'sliced.safetensors');
    await writeCapture(file, data);
    // Buffer.equals: toEqual walks 14 MB element by element far too slowly
    expect((await readFile(file)).equals(encodeCapture(data))).toBe(true);
  });

  it('leaves neither the file nor a temporary file when the data is wrong', async () => {
    const d = await freshDir();
    const data = sampleCapture({ shape: [3, 5] });
    const tenValues = (values: ArrayLike<number>) => Array.from(values).slice(0, 10);
    data.features = tenValues(data.features);
    data.grads = Object.fromEntries(Object.entries(data.grads).map(([t, g]) => [t, tenValues(g)]));
    const file = join(d, 'wrong.safetensors');
    await expect(writeCapture(file, data)).rejects.toThrow(/features hold 2 rows but shape says 3/);
    expect(await readdir(d)).toEqual([]);
  });
});
