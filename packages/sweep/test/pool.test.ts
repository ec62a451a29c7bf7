import { describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { WorkerPool, type WireError } from '../src/pool.js';
import { useTempDirs } from './sweepFixture.js';
import { builtPackage } from '../../../test/support/built.js';

const tempDir = useTempDirs();

// A worker that doubles numbers after a short random delay, dies on 'die', and
// answers 'bad' with an error.
const SCRIPT = `
import { parentPort } from 'node:worker_threads';
parentPort.on('message', ({ id, request }) => {
  if (request === 'die') process.exit(3);
  if (request === 'bad') return parentPort.postMessage({ id, ok: false, error: { name: 'Oops', message: 'bad input', user: true, exitCode: 2 } });
  setTimeout(() => parentPort.postMessage({ id, ok: true, result: request * 2 }), Math.random() * 5);
});
`;

async function script(): Promise<string> {
  const file = join(await tempDir(), 'worker.mjs');
  await writeFile(file, SCRIPT);
  return file;
}

const decode = (e: WireError) => Object.assign(new Error(e.message), { name: e.name, wire: e });

describe('WorkerPool', () => {
  it('answers every request with its own result, whatever worker took it', async () => {
    const pool = new WorkerPool<number | string, number>(await script(), 3, decode);
    try {
      const inputs = Array.from({ length: 60 }, (_, i) => i);
      expect(await Promise.all(inputs.map((i) => pool.run(i)))).toEqual(inputs.map((i) => 2 * i));
    } finally {
      await pool.close();
    }
  });

  it('fails only the job of a worker that dies, and replaces the worker', async () => {
    const pool = new WorkerPool<number | string, number>(await script(), 2, decode);
    try {
      const jobs = [pool.run(1), pool.run('die'), pool.run(2), pool.run('die'), pool.run(3), pool.run(4)];
      const settled = await Promise.allSettled(jobs);
      expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
      expect((settled[1] as PromiseRejectedResult).reason.message).toMatch(/exited unexpectedly \(code 3\)/);
      expect(await pool.run(21)).toBe(42);
    } finally {
      await pool.close();
    }
  });

  it('turns an error reply into the caller\'s exception', async () => {
    const pool = new WorkerPool<number | string, number>(await script(), 1, decode);
    try {
      const err = await pool.run('bad').catch((e: unknown) => e);
      expect(err).toMatchObject({ name: 'Oops', message: 'bad input', wire: { user: true, exitCode: 2 } });
    } finally {
      await pool.close();
    }
  });

  it('rejects queued work on close and refuses new work', async () => {
    const pool = new WorkerPool<number | string, number>(await script(), 1, decode);
    const jobs = Promise.allSettled(Array.from({ length: 5 }, (_, i) => pool.run(i)));
    await pool.close();
    const settled = await jobs;
    expect(settled.every((s) => s.status === 'rejected')).toBe(true);
    await expect(pool.run(1)).rejects.toThrow(/closed/);
    expect(() => new WorkerPool('x', 0, decode)).toThrow(RangeError);
  });
});

// A worker of serveRequests that reports each request's halves as events, then replies
// with the workerData it was started with plus the request.
const EVENTS_SCRIPT = (serveRequestsUrl: string) => `
import { workerData } from 'node:worker_threads';
import { serveRequests } from ${JSON.stringify(serveRequestsUrl)};
serveRequests(async (n, emit) => {
  if (n < 0) throw new Error('negative');
  emit({ half: n / 2 });
  emit({ half: n / 2 });
  return workerData.base + n;
});
`;

describe('WorkerPool with serveRequests', () => {
  it('gives each thread its workerData and routes each job its own events before its reply', async () => {
    const served = builtPackage('@mtl-fd/sweep');
    const file = join(await tempDir(), 'events.mjs');
    await writeFile(file, EVENTS_SCRIPT(served));
    const pool = new WorkerPool<number, number, { half: number }>(file, 2, decode, { workerData: { base: 100 }, role: 'test' });
    try {
      const seen = new Map<number, number[]>();
      const results = await Promise.all([2, 4, 6, 8].map((n) => pool.run(n, (e) => seen.set(n, [...(seen.get(n) ?? []), e.half]))));
      expect(results).toEqual([102, 104, 106, 108]);
      for (const n of [2, 4, 6, 8]) expect(seen.get(n)).toEqual([n / 2, n / 2]);
      await expect(pool.run(-1)).rejects.toThrow('negative');
    } finally {
      await pool.close();
    }
  });
});
