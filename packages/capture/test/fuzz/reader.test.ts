// Property-based fuzzing of the capture reader (and of scoring what it accepts).
// Every case must end in the documented error (CaptureError; for scoring, a
// UserError) or a correct result: no other exception, no hang, and no allocation
// larger than the file justifies. A valid capture must score, and its FD scores must
// match the test reference (test/support/referenceFd.ts). FUZZ_RUNS sets the number of cases (10,000 by
// default); `npm run fuzz -- --runs 1000000` is the long run, FUZZ_SEED replays one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { closeSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { CaptureError } from '../../src/captureError.js';
import { openCapture } from '../../src/openCapture.js';
import { readCapture } from '../../src/readCapture.js';
import { TASK_NAME_PATTERN } from '../../src/taskNames.js';
import type { CaptureData } from '../../src/types.js';
import { UserError } from '../../src/errors.js';
import { scoreCapture, METRIC_ORDER } from '@mtl-fd/metrics';
import { installAllocationSpy, type AllocationSpy } from './allocationSpy.js';
import { hostileCapture, join, split, validCapture, type Hostile } from './mutations.js';
import { encodeCapture } from '../../src/encodeCapture.js';
import { referenceFd } from '../../../../test/support/referenceFd.js';
import '../../../../test/support/tolerance.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
/** generous, as CI machines are shared: a hang is minutes, not milliseconds */
const MAX_CASE_MS = 3_000;
const TIMEOUT = Math.max(120_000, RUNS * 20);

let dir = '';
let spy: AllocationSpy;
beforeAll(async () => {
  dir = await mkdtemp(joinPath(tmpdir(), 'mtl-fd-fuzz-'));
  spy = installAllocationSpy();
});
afterAll(async () => {
  spy?.restore();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The most a reader may allocate for a file of `size` bytes: a few times its size (F16 widens 2x, to doubles 4x). */
const allowance = (size: number) => 1024 * 1024 + 16 * size;

function expectCaptureError(err: unknown, file: string): void {
  if (!(err instanceof CaptureError)) throw new Error(`not a CaptureError: ${String((err as Error)?.stack ?? err)}`);
  if (err.file !== file || !err.message.startsWith(`${file}: `) || err.message.includes('\n')) {
    throw new Error(`a CaptureError must name the file on one line: ${err.message}`);
  }
}

function expectSameData(got: Awaited<ReturnType<typeof readCapture>>, want: CaptureData): void {
  expect(got.meta.step).toBe(want.meta.step);
  expect(got.meta.tasks).toEqual(want.meta.tasks);
  expect(got.meta.layout).toBe(want.meta.layout);
  expect(got.meta.run).toBe(want.meta.run);
  expect(got.shape).toEqual(want.shape);
  expect(Array.from(got.features)).toEqual(Array.from(want.features));
  for (const t of want.meta.tasks) expect(Array.from(got.grads[t]!)).toEqual(Array.from(want.grads[t]!));
  expect(got.losses).toEqual(want.losses ?? {});
  if (want.paramGram) expect(Array.from(got.paramGram!)).toEqual(Array.from(want.paramGram));
  else expect(got.paramGram).toBeUndefined();
}

/** What any accepted capture must satisfy, whatever was done to it. */
function expectWellFormed(got: Awaited<ReturnType<typeof readCapture>>): void {
  const n = got.shape.reduce((a, b) => a * b, 1);
  expect(got.shape.every((d) => Number.isSafeInteger(d) && d >= 1)).toBe(true);
  expect(got.features.length).toBe(n);
  expect(got.meta.tasks.length).toBeGreaterThanOrEqual(2);
  for (const t of got.meta.tasks) {
    // never a path: no separator; '.' and '..' are legal names, so paths use safePathSegment
    expect(t).toMatch(TASK_NAME_PATTERN);
    expect(t.includes('/') || t.includes('\\')).toBe(false);
    expect(got.grads[t]!.length).toBe(n);
  }
  expect(Number.isSafeInteger(got.meta.step) && got.meta.step >= 0).toBe(true);
}

const fds = new Map<string, number>();
afterAll(() => {
  for (const fd of fds.values()) closeSync(fd);
});

/** Puts `bytes` in `file` through one open descriptor: far cheaper per case than a new file. */
function rewrite(file: string, bytes: Uint8Array): void {
  let fd = fds.get(file);
  if (fd === undefined) fds.set(file, (fd = openSync(file, 'w+')));
  ftruncateSync(fd, bytes.length);
  let done = 0;
  while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done, done);
}

const SCORE_OPTIONS = [
  { saliency: 'grad', granularity: 'element', temperature: 0, nonFinite: 'error' },
  { saliency: 'grad_x_act', granularity: 'channel', temperature: 0.5, nonFinite: 'skip' },
  { saliency: 'grad', granularity: 'spatial', temperature: 2, nonFinite: 'error' },
] as const;

type Scores = Awaited<ReturnType<typeof scoreCapture>>;
type Options = (typeof SCORE_OPTIONS)[number];

/** The FD rows of a valid capture against the test reference (docs/metrics.md: 1e-6 relative). */
function expectReferenceFd(s: Scores, got: Awaited<ReturnType<typeof readCapture>>, o: Options): void {
  const tasks = got.meta.tasks;
  const ref = referenceFd(got.features, tasks.map((t) => got.grads[t]!), got.shape, got.meta.layout, o);
  const value = (metric: string, task = '', taskB = '') => {
    const r = s.rows.filter((x) => x.metric === metric && x.task === task && x.task_b === taskB);
    if (r.length !== 1) throw new Error(`${r.length} rows of ${metric} '${task}' '${taskB}'`);
    return r[0]!.value;
  };
  const at = `${got.meta.layout} [${got.shape}] ${tasks.length} tasks ${JSON.stringify(o)}`;
  expect(value('fd'), at).toBeRelClose(ref.fd, 1e-6, 1e-9);
  expect(value('fd_mass'), at).toBeRelClose(ref.fd_mass, 1e-6, 1e-9);
  expect(value('dead_units'), at).toBe(ref.dead);
  expect(value('units'), at).toBe(ref.units);
  expect(tasks.map((t) => value('fd_task', t)), at).toBeRelClose(ref.fd_task, 1e-6, 1e-9);
  const pairs: (number | null)[] = [];
  for (let a = 0; a < tasks.length; a++) for (let b = a + 1; b < tasks.length; b++) pairs.push(value('fd_pair', tasks[a], tasks[b]));
  expect(pairs, at).toBeRelClose(ref.fd_pair, 1e-6, 1e-9);
  for (const t of tasks) if (Object.hasOwn(got.losses, t)) expect(value('loss', t)).toBe(got.losses[t]);
}

async function streamAndScore(file: string, got: Awaited<ReturnType<typeof readCapture>>, index: number, valid: boolean): Promise<void> {
  const reader = await openCapture(file, { rowsPerChunk: 1 });
  try {
    let rows = 0;
    for await (const chunk of reader.chunks()) {
      const want = got.features.subarray(chunk.rowStart * chunk.rowSize, (chunk.rowStart + chunk.rows) * chunk.rowSize);
      expect(Array.from(chunk.features)).toEqual(Array.from(want));
      rows += chunk.rows;
    }
    expect(rows).toBe(got.shape[0]);
    const options = SCORE_OPTIONS[(index >> 2) % SCORE_OPTIONS.length]!;
    let s: Scores;
    try {
      s = await scoreCapture(reader, options);
    } catch (err) {
      // a mutated file may hold what scoring refuses; a valid capture must score
      if (valid || !(err instanceof UserError)) throw err;
      return;
    }
    for (const r of s.rows) {
      expect(METRIC_ORDER).toContain(r.metric);
      expect(r.value === null || Number.isFinite(r.value)).toBe(true);
    }
    if (valid) expectReferenceFd(s, got, options);
  } finally {
    await reader.close();
  }
}

/**
 * Reads one file whole (and, for some, in 1-row chunks and scored); returns its
 * verdict. Throws on anything but a CaptureError or a correct result.
 */
async function check(h: Hostile, file: string, index: number): Promise<void> {
  rewrite(file, h.bytes);
  try {
    const got = await readCapture(file);
    if (h.expected) expectSameData(got, h.expected);
    expectWellFormed(got);
    // every few accepted cases (and every valid one): the streaming path with the
    // smallest chunks agrees with the whole read, and scoring ends in rows or a UserError
    if (h.expected || index % 4 === 0) await streamAndScore(file, got, index, h.expected !== undefined);
  } catch (err) {
    if (h.expected) throw err;
    // assertion failures propagate as they are; anything else must be a CaptureError
    if ((err as Error)?.name === 'AssertionError') throw err;
    expectCaptureError(err, file);
  }
}

/**
 * Checks a batch of files at once (reads overlap, which hides file-system latency),
 * then the time taken and the largest allocation against the largest file.
 */
async function checkBatch(batch: Hostile[], files: string[], first: number): Promise<void> {
  spy.reset();
  const t0 = performance.now();
  await Promise.all(batch.map((h, i) => check(h, files[i]!, first + i)));
  const ms = performance.now() - t0;
  const kinds = batch.map((h) => h.kind).join(', ');
  if (ms > MAX_CASE_MS) throw new Error(`batch took ${ms.toFixed(0)} ms (${kinds})`);
  const largest = Math.max(...batch.map((h) => h.bytes.length));
  const asked = spy.max();
  if (asked > allowance(largest)) throw new Error(`asked for ${asked} bytes, the largest file is ${largest} bytes (${kinds})`);
}

const BATCH = 8;

describe('capture reader under fuzzing', () => {
  it(
    `ends every hostile file in a CaptureError or a correct result (${RUNS} cases)`,
    async () => {
      const files = Array.from({ length: BATCH }, (_, i) => joinPath(dir, `case-${i}.safetensors`));
      let index = 0;
      const kinds = new Set<string>();
      await fc.assert(
        fc.asyncProperty(fc.array(hostileCapture, { minLength: BATCH, maxLength: BATCH }), async (batch) => {
          await checkBatch(batch, files, index);
          index += batch.length;
          for (const h of batch) kinds.add(h.kind.startsWith('nested') ? 'nested' : h.kind);
        }),
        { numRuns: Math.ceil(RUNS / BATCH), ...(SEED !== undefined ? { seed: SEED } : {}) },
      );
      expect(index).toBeGreaterThanOrEqual(RUNS);
      // every generator took part
      expect([...kinds].sort()).toEqual(
        ['appended bytes', 'byte flips', 'header byte flips', 'header edits', 'length prefix', 'nested', 'random JSON header', 'random bytes', 'truncation', 'valid'].sort(),
      );
    },
    TIMEOUT,
  );

  it('reads every valid capture back exactly, values and metadata, and scores it as the reference does', async () => {
    const file = joinPath(dir, 'valid.safetensors');
    let index = 0;
    await fc.assert(
      fc.asyncProperty(validCapture, async (c) => {
        // the index walks through every score option
        await checkBatch([{ kind: 'valid', bytes: encodeCapture(c), expected: c }], [file], 4 * index++);
      }),
      { numRuns: Math.max(100, Math.round(RUNS / 100)) },
    );
  });
});

describe('capture reader on resource attacks', () => {
  async function verdict(name: string, bytes: Uint8Array): Promise<{ err: unknown; ms: number; asked: number }> {
    const file = joinPath(dir, `${name}.safetensors`);
    await writeFile(file, bytes);
    spy.reset();
    const t0 = performance.now();
    const err = await readCapture(file).then(
      () => undefined,
      (e: unknown) => e,
    );
    return { err, ms: performance.now() - t0, asked: spy.max() };
  }

  function base(): { header: Record<string, unknown>; data: Uint8Array } {
    const c: CaptureData = {
      meta: { step: 1, tasks: ['a', 'b'], layout: 'NC' },
      shape: [2, 3],
      features: new Float64Array(6),
      grads: { a: new Float64Array(6), b: new Float64Array(6) },
    };
    return split(encodeCapture(c));
  }

  it('refuses 2^40 elements (and other absurd shapes) without allocating them', async () => {
    for (const shape of [[2 ** 20, 2 ** 20], [2 ** 40, 1], [2 ** 53 - 1, 2 ** 53 - 1], [1, 2 ** 31], [4294967296, 1]]) {
      const { header, data } = base();
      for (const t of ['features', 'grad.a', 'grad.b']) {
        const e = header[t] as { shape: number[]; data_offsets: number[] };
        e.shape = shape;
      }
      const r = await verdict('absurd-shape', join(JSON.stringify(header), data));
      expectCaptureError(r.err, joinPath(dir, 'absurd-shape.safetensors'));
      expect(r.asked).toBeLessThan(allowance(200));
    }
  });

  it('refuses a header length over the limit or the file before reading it', async () => {
    const { header, data } = base();
    for (const length of [2n ** 64n - 1n, 2n ** 40n, 100_000_001n, 5000n]) {
      const r = await verdict('long-prefix', join(JSON.stringify(header), data, length));
      expectCaptureError(r.err, joinPath(dir, 'long-prefix.safetensors'));
      expect(r.asked).toBeLessThan(allowance(200));
    }
  });

  it('handles a 200,000-deep nesting and a 30 MB header within bounds', async () => {
    const { header, data } = base();
    const deep = JSON.stringify({ ...header, junk: '__X__' }).replace('"__X__"', `${'['.repeat(200_000)}${']'.repeat(200_000)}`);
    const r1 = await verdict('deep', join(deep, data));
    // extra top-level keys are tensors: this one is not an object, so the reader must say so
    expectCaptureError(r1.err, joinPath(dir, 'deep.safetensors'));
    expect(r1.ms).toBeLessThan(MAX_CASE_MS);
    const meta = header.__metadata__ as Record<string, string>;
    // an unknown metadata key is ignored: a valid capture, whatever its size
    meta.notes = 'x'.repeat(30_000_000);
    const big = join(JSON.stringify(header), data);
    const r2 = await verdict('big-header', big);
    expect(r2.err).toBeUndefined();
    expect(r2.ms).toBeLessThan(10_000);
    expect(r2.asked).toBeLessThan(allowance(big.length));
    // a free-text value that becomes part of every row is bounded (MAX_METADATA_CHARS)
    delete meta.notes;
    meta.producer = 'x'.repeat(30_000_000);
    const r3 = await verdict('big-producer', join(JSON.stringify(header), data));
    expectCaptureError(r3.err, joinPath(dir, 'big-producer.safetensors'));
    expect((r3.err as CaptureError).problem).toBe('metadata producer is 30000000 characters long; at most 1024 are allowed');
    expect(r3.ms).toBeLessThan(10_000);
  });

  it('rejects task names that are paths', async () => {
    for (const tasks of ['["a/b", "c"]', '["../x", "c"]', '["a", "/etc"]', '["a\\\\b", "c"]', '["", "c"]']) {
      const { header, data } = base();
      (header.__metadata__ as Record<string, string>).tasks = tasks;
      const r = await verdict('path-task', join(JSON.stringify(header), data));
      expectCaptureError(r.err, joinPath(dir, 'path-task.safetensors'));
      expect((r.err as CaptureError).problem).toMatch(/not a task name/);
    }
  });
});
