import { describe, expect, it } from 'vitest';
import { cp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CaptureError, writeCapture, captureFileName, CAPTURES_DIR, listCaptures, UserError } from '@mtl-fd/capture';
import { scoreCaptures } from '@mtl-fd/metrics';
import { CACHE_DIR_NAME } from '../src/cache.js';
import { scoreSweep } from '../src/scoreSweep.js';
import { syntheticCapture, useTempDirs, writeRun } from './sweepFixture.js';

const tempDir = useTempDirs();

async function sweepOf(root: string): Promise<string[]> {
  return [
    await writeRun(root, 'mgda', [0, 10, 20, 30]),
    await writeRun(root, 'pcgrad', [0, 5, 10]),
    await writeRun(root, 'nolosses', [0, 1], { losses: false, tasks: ['a', 'b'] }),
  ];
}

describe('scoreSweep in this thread', () => {
  it('gives exactly the rows and warnings of scoreCaptures over the same files', async () => {
    const root = await tempDir();
    const runs = await sweepOf(root);
    // a duplicate step within a run (named by metadata) exercises the run-level warnings
    await writeCapture(join(runs[1]!, CAPTURES_DIR, captureFileName(99)), syntheticCapture({ step: 5, seed: 3 }));
    const files = (await Promise.all(runs.map(listCaptures))).flat();
    const reference = await scoreCaptures(files, { granularity: 'channel' });
    const got = await scoreSweep(runs, { granularity: 'channel' }, { workers: 0, cache: false });
    expect(got.rows).toEqual(reference.rows);
    expect(got.warnings).toEqual(reference.warnings);
    expect(got.options).toEqual(reference.options);
    expect(got.stats).toEqual({ files: files.length, scored: files.length, cached: 0, failed: 0 });
    expect(got.rows.some((r) => r.metric === 'dwa')).toBe(true);
    expect(got.warnings.some((w) => w.includes('already has a capture at step 5'))).toBe(true);
  });

  it('caches per-capture rows by content: a second run scores nothing, a grown sweep only the new captures', async () => {
    const root = await tempDir();
    const runs = await sweepOf(root);
    const cold = await scoreSweep(runs, {}, { workers: 0 });
    expect(cold.stats).toMatchObject({ scored: 9, cached: 0 });
    expect((await readdir(join(runs[0]!, CACHE_DIR_NAME))).filter((n) => n.endsWith('.json'))).toHaveLength(4);

    const warm = await scoreSweep(runs, {}, { workers: 0 });
    expect(warm.stats).toMatchObject({ scored: 0, cached: 9 });
    expect(warm.rows).toEqual(cold.rows);
    expect(warm.warnings).toEqual(cold.warnings);

    await writeRun(root, 'mgda', [40, 50]);
    const grown = await scoreSweep(runs, {}, { workers: 0 });
    expect(grown.stats).toMatchObject({ scored: 2, cached: 9 });
    const fresh = await scoreSweep(runs, {}, { workers: 0, cache: false });
    expect(grown.rows).toEqual(fresh.rows);
  });

  it('rescores a capture whose bytes changed, and keys by the options', async () => {
    const root = await tempDir();
    const run = await writeRun(root, 'r', [0, 1, 2]);
    await scoreSweep([run], {}, { workers: 0 });
    await writeCapture(join(run, CAPTURES_DIR, captureFileName(1)), syntheticCapture({ step: 1, seed: 424242 }));
    const changed = await scoreSweep([run], {}, { workers: 0 });
    expect(changed.stats).toMatchObject({ scored: 1, cached: 2 });
    expect(changed.rows).toEqual((await scoreSweep([run], {}, { workers: 0, cache: false })).rows);

    const other = await scoreSweep([run], { saliency: 'grad_x_act' }, { workers: 0 });
    expect(other.stats).toMatchObject({ scored: 3, cached: 0 });
    expect(other.rows).not.toEqual(changed.rows);
    expect((await scoreSweep([run], { saliency: 'grad_x_act' }, { workers: 0 })).stats.cached).toBe(3);
  });

  it('serves the same bytes elsewhere from a shared cache dir, with that place\'s run name and file', async () => {
    const root = await tempDir();
    const cacheDir = join(root, 'shared-cache');
    const a = await writeRun(root, 'seed-a', [0, 1, 2]);
    await scoreSweep([a], {}, { workers: 0, cache: cacheDir });
    await expect(readdir(join(a, CACHE_DIR_NAME))).rejects.toThrow();
    const b = join(root, 'copy-b');
    await cp(a, b, { recursive: true });
    const got = await scoreSweep([b], {}, { workers: 0, cache: cacheDir });
    expect(got.stats).toMatchObject({ scored: 0, cached: 3 });
    const fresh = await scoreSweep([b], {}, { workers: 0, cache: false });
    expect(got.rows).toEqual(fresh.rows);
    expect(got.rows.every((r) => r.run === 'copy-b')).toBe(true);
    expect(got.warnings).toEqual(fresh.warnings);
  });

  it('treats a damaged cache entry as a miss and rewrites it', async () => {
    const root = await tempDir();
    const run = await writeRun(root, 'r', [0, 1]);
    const cold = await scoreSweep([run], {}, { workers: 0 });
    const dir = join(run, CACHE_DIR_NAME);
    const [first, second] = (await readdir(dir)).sort();
    await writeFile(join(dir, first!), '{"format": "mtl-fd/score-cache@1", "rows": [');
    const entry = JSON.parse(await readFile(join(dir, second!), 'utf8')) as { rows: unknown[][] };
    entry.rows[0]![3] = 'not a number';
    await writeFile(join(dir, second!), JSON.stringify(entry));
    const again = await scoreSweep([run], {}, { workers: 0 });
    expect(again.stats).toMatchObject({ scored: 2, cached: 0 });
    expect(again.rows).toEqual(cold.rows);
    expect((await scoreSweep([run], {}, { workers: 0 })).stats.cached).toBe(2);
  });

  it('warns and carries on when the cache cannot be written', async () => {
    const root = await tempDir();
    const run = await writeRun(root, 'r', [0, 1]);
    const blocker = join(root, 'not-a-dir');
    await writeFile(blocker, 'x');
    const got = await scoreSweep([run], {}, { workers: 0, cache: blocker });
    expect(got.stats).toMatchObject({ scored: 2 });
    expect(got.warnings.filter((w) => w.includes('cannot write the score cache'))).toHaveLength(1);
    expect(got.rows).toEqual((await scoreSweep([run], {}, { workers: 0, cache: false })).rows);
  });

  it('fails with the first unreadable capture in listing order, or leaves it out with onBadCapture warn', async () => {
    const root = await tempDir();
    const run = await writeRun(root, 'r', [0, 1, 2, 3]);
    await writeFile(join(run, CAPTURES_DIR, captureFileName(1)), 'garbage');
    await writeFile(join(run, CAPTURES_DIR, captureFileName(3)), new Uint8Array(16));
    for (const workers of [0, 2]) {
      const err = await scoreSweep([run], {}, { workers, cache: false }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CaptureError);
      expect((err as CaptureError).file).toBe(join(run, CAPTURES_DIR, captureFileName(1)));
    }
    const kept = await scoreSweep([run], {}, { workers: 0, onBadCapture: 'warn' });
    expect(kept.stats).toMatchObject({ files: 4, scored: 2, failed: 2 });
    expect(kept.warnings.filter((w) => w.endsWith('(left out)'))).toHaveLength(2);
    expect(new Set(kept.rows.map((r) => r.step))).toEqual(new Set([0, 2]));
  });

  it('skips partial files of interrupted writes with a warning naming clean', async () => {
    const root = await tempDir();
    const run = await writeRun(root, 'r', [0, 1]);
    const captures = join(run, CAPTURES_DIR);
    await writeFile(join(captures, `.${captureFileName(2)}.999999999-abcdef012345.tmp`), 'half a capture');
    await writeFile(join(captures, `.${captureFileName(3)}.${process.pid}-abcdef012345.tmp`), 'being written');
    await writeFile(join(captures, 'notes.txt'), 'hello');
    const got = await scoreSweep([run], {}, { workers: 0, cache: false });
    expect(got.stats.files).toBe(2);
    expect(got.warnings.some((w) => w.includes('1 partial file(s)') && w.includes(`mtl-fd clean ${run}`))).toBe(true);
    expect(got.warnings.some((w) => w.includes('1 capture(s) still being written'))).toBe(true);
    expect(got.warnings.some((w) => w.includes('notes.txt'))).toBe(true);
  });

  it('never uses a run name from metadata as a path', async () => {
    const root = await tempDir();
    const nest = join(root, 'a', 'b');
    await mkdir(nest, { recursive: true });
    const run = await writeRun(nest, 'r', [0, 1], { run: '../../escaped' });
    const got = await scoreSweep([run], {}, { workers: 0 });
    expect(new Set(got.rows.map((r) => r.run))).toEqual(new Set(['../../escaped']));
    expect((await readdir(root)).sort()).toEqual(['a']);
    expect((await readdir(join(root, 'a'))).sort()).toEqual(['b']);
    expect((await readdir(run)).sort()).toEqual([CACHE_DIR_NAME, CAPTURES_DIR]);
  });

  it('reports progress once per capture and rejects a bad worker count', async () => {
    const root = await tempDir();
    const run = await writeRun(root, 'r', [0, 1, 2]);
    await scoreSweep([run], {}, { workers: 0, cache: join(root, 'c') });
    const seen: [number, number, boolean][] = [];
    await scoreSweep([join(run, CAPTURES_DIR, captureFileName(2)), run], {}, {
      workers: 0,
      cache: join(root, 'c'),
      onProgress: (p) => seen.push([p.done, p.total, p.cached]),
    });
    expect(seen.map((s) => s[0])).toEqual([1, 2, 3]);
    expect(seen.every((s) => s[1] === 3 && s[2])).toBe(true);
    await expect(scoreSweep([run], {}, { workers: -1 })).rejects.toBeInstanceOf(UserError);
    await expect(scoreSweep([run], {}, { workers: 1.5 })).rejects.toBeInstanceOf(UserError);
  });
});
