// Hostile input, item 3: a small file must not be able to ask for unbounded memory.
// The documented limits (docs/capture-format.md §4: MAX_TASKS tasks per capture,
// MAX_METADATA_CHARS characters per free-text metadata value) are checked by the
// reader before any table is allocated, with a one-line error and exit 2.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_METADATA_CHARS, MAX_TASKS, openCapture, writeCapture } from '@mtl-fd/capture';
import { runCli } from '../../src/cli.js';
import { bufferIO } from '../../../../test/support/bufferIO.js';
import { buildCapture } from '../../../../test/support/hostileCaptures.js';

let root = '';
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'mtl-fd-hostile-limits-'));
});
afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

/** A capture of [1, 1] tensors listing `T` tasks, with extra metadata. */
function bytesWith(T: number, meta: Record<string, string> = {}, tasksText?: string): Uint8Array {
  const tasks = Array.from({ length: T }, (_, i) => `t${i}`);
  return buildCapture({
    meta: { format: 'mtl-fd/capture@1', step: '1', tasks: tasksText ?? JSON.stringify(tasks), layout: 'NC', ...meta },
    tensors: [{ name: 'features', dtype: 'F32', shape: [1, 1] }, ...tasks.map((t) => ({ name: `grad.${t}`, dtype: 'F32', shape: [1, 1] }))],
  });
}

async function scoreBytes(name: string, bytes: Uint8Array): Promise<{ code: number; err: string; out: string; file: string }> {
  const file = join(root, `${name}.safetensors`);
  await writeFile(file, bytes);
  const io = bufferIO(root);
  const code = await runCli(['score', file, '--workers', '0', '--no-cache'], io);
  return { code, err: io.err, out: io.out, file };
}

describe('documented capture limits', () => {
  it(`refuses a 1 MB capture listing 10,000 tasks, at once (limit ${MAX_TASKS})`, async () => {
    // before: 8.4 GB of memory and no end within 120 s (pair tables of 50M pairs)
    const r = await scoreBytes('tasks10000', bytesWith(10_000));
    expect(r.code).toBe(2);
    // (its tasks text is already longer than MAX_TASKS names could be)
    expect(r.err.trim()).toBe(`mtl-fd score: ${r.file}: metadata tasks is 78891 characters long: more than the ${MAX_TASKS} tasks a capture may list`);
    expect(r.out).toBe('');
  });

  it('refuses one task over the limit and opens a capture at the limit', async () => {
    const over = await scoreBytes('tasks-over', bytesWith(MAX_TASKS + 1));
    expect(over.err).toContain(`lists ${MAX_TASKS + 1} tasks; a capture may list at most ${MAX_TASKS}`);
    const file = join(root, 'tasks-at.safetensors');
    await writeFile(file, bytesWith(MAX_TASKS));
    const reader = await openCapture(file);
    expect(reader.info.meta.tasks).toHaveLength(MAX_TASKS);
    await reader.close();
  });

  it('refuses an over-long tasks text before parsing it', async () => {
    const text = `[${' '.repeat(200_000)}"a", "b"]`;
    const r = await scoreBytes('tasks-text', bytesWith(2, {}, text));
    expect(r.err.trim()).toBe(`mtl-fd score: ${r.file}: metadata tasks is ${text.length} characters long: more than the ${MAX_TASKS} tasks a capture may list`);
  });

  it.each(['run', 'producer'])(`refuses a %s over ${MAX_METADATA_CHARS} characters (a 95 MB run once ended in "Invalid string length")`, async (key) => {
    const r = await scoreBytes(`long-${key}`, bytesWith(2, { [key]: 'x'.repeat(5_000_000) }));
    expect(r.code).toBe(2);
    expect(r.err.trim()).toBe(`mtl-fd score: ${r.file}: metadata ${key} is 5000000 characters long; at most ${MAX_METADATA_CHARS} are allowed`);
  });

  it(`writes and scores a run name of exactly ${MAX_METADATA_CHARS} characters; the writer refuses one more`, async () => {
    const base = { shape: [2, 3], features: Float64Array.from({ length: 6 }, (_, i) => i / 8), grads: { a: Float64Array.from({ length: 6 }, (_, i) => (i % 3) / 4), b: Float64Array.from({ length: 6 }, (_, i) => -i / 16) } };
    const file = join(root, 'run-at.safetensors');
    const run = 'r'.repeat(MAX_METADATA_CHARS);
    await writeCapture(file, { ...base, meta: { step: 1, tasks: ['a', 'b'], layout: 'NC', run } });
    const io = bufferIO(root);
    expect(await runCli(['score', file, '--workers', '0', '--no-cache'], io)).toBe(0);
    expect(io.out.split('\n')[1]!.startsWith(`${run},1,`)).toBe(true);
    await expect(writeCapture(join(root, 'run-over.safetensors'), { ...base, meta: { step: 1, tasks: ['a', 'b'], layout: 'NC', run: `${run}r` } })).rejects.toThrow(/metadata run is 1025 characters long/);
  });
});
