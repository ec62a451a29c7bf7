import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { CaptureError, captureFileName, CAPTURES_DIR, acquireRunLock, RUN_LOCK_FILE } from '@mtl-fd/capture';
import { CACHE_DIR_NAME } from '../src/cache.js';
import { cleanRun } from '../src/clean.js';
import { scoreSweep } from '../src/scoreSweep.js';
import { useTempDirs, writeRun } from './sweepFixture.js';

const tempDir = useTempDirs();
const DEAD = 999999999; // above any pid_max: never a running process

/** A run with every kind of debris an interrupted job leaves, and one write in progress. */
async function messyRun(root: string) {
  const run = await writeRun(root, 'run', [0, 1, 2]);
  await scoreSweep([run], {}, { workers: 0 });
  const cache = join(run, CACHE_DIR_NAME);
  const entries = (await readdir(cache)).sort();
  // the capture of step 2 goes away: its entry becomes stale
  await rm(join(run, CAPTURES_DIR, captureFileName(2)));
  const oldVersion = join(cache, entries[0]!);
  const old = JSON.parse(await readFile(oldVersion, 'utf8')) as Record<string, unknown>;
  const oldPath = join(cache, `${'0'.repeat(64)}.json`);
  await writeFile(oldPath, JSON.stringify({ ...old, metricsVersion: '0.0.1' }));
  const damaged = join(cache, `${'1'.repeat(64)}.json`);
  await writeFile(damaged, '{"format": "mtl-fd/score-cache@1", "ro');
  const partialCapture = join(run, CAPTURES_DIR, `.${captureFileName(3)}.${DEAD}-abcdef012345.tmp`);
  const partialCache = join(cache, `.${'2'.repeat(64)}.json.${DEAD}-abcdef012345.tmp`);
  const partialMetrics = join(run, `.metrics.json.${DEAD}-abcdef012345.tmp`);
  const inProgress = join(run, 'report', `.index.html.${process.pid}-abcdef012345.tmp`);
  await mkdir(join(run, 'report'));
  for (const f of [partialCapture, partialCache, partialMetrics, inProgress]) await writeFile(f, 'partial');
  const lock = join(run, RUN_LOCK_FILE);
  await writeFile(lock, JSON.stringify({ pid: DEAD, host: hostname(), owner: 'crashed training', startedAt: '', procStart: null, nonce: 'x' }));
  return { run, cache, oldPath, damaged, partialCapture, partialCache, partialMetrics, inProgress, lock };
}

describe('cleanRun', () => {
  it('removes entries of an older cache format and entries that fail their checksum, keeps the current ones', async () => {
    const run = await writeRun(await tempDir(), 'run', [0, 1]);
    await scoreSweep([run], {}, { workers: 0 });
    const cache = join(run, CACHE_DIR_NAME);
    const [good, edited] = (await readdir(cache)).sort().map((n) => join(cache, n));
    const entry = JSON.parse(await readFile(edited!, 'utf8')) as Record<string, unknown>;
    // a forged value under the entry's own name: provably ours, not to be trusted
    await writeFile(edited!, JSON.stringify({ ...entry, step: 12345 }));
    const older = join(cache, `${'3'.repeat(64)}.json`);
    await writeFile(older, JSON.stringify({ ...entry, format: 'mtl-fd/score-cache@1' }));
    const report = await cleanRun(run, {});
    const removed = Object.fromEntries(report.removed.map((i) => [i.path, i.reason]));
    expect(removed).toEqual({
      [edited!]: 'cache entry that fails its checksum (edited or damaged)',
      [older]: 'cache entry of the older format mtl-fd/score-cache@1',
    });
    expect(existsSync(good!)).toBe(true);
  });

  it('lists the debris on a dry run and removes nothing', async () => {
    const m = await messyRun(await tempDir());
    const before = await readdir(m.cache);
    const report = await cleanRun(m.run, { dryRun: true });
    const removed = Object.fromEntries(report.removed.map((i) => [i.path, i.reason]));
    const known = [m.lock, m.partialCapture, m.partialCache, m.partialMetrics, m.oldPath, m.damaged];
    const others = Object.keys(removed).filter((p) => !known.includes(p));
    expect(known.every((p) => p in removed)).toBe(true);
    expect(others).toHaveLength(1);
    expect(others[0]!.startsWith(m.cache)).toBe(true);
    expect(removed[others[0]!]).toBe('cache entry of a capture no longer in the run');
    expect(report.removed).toHaveLength(7);
    expect(removed[m.lock]).toMatch(/stale lock .*crashed training/);
    expect(removed[m.partialCapture]).toMatch(/interrupted write/);
    expect(removed[m.oldPath]).toMatch(/version 0\.0\.1/);
    expect(removed[m.damaged]).toMatch(/unreadable/);
    expect(report.kept.map((k) => k.path)).toEqual([m.inProgress]);
    for (const f of [m.lock, m.partialCapture, m.partialCache, m.partialMetrics, m.oldPath, m.damaged]) expect(existsSync(f)).toBe(true);
    expect(await readdir(m.cache)).toEqual(before);
  });

  it('removes the debris, keeps current cache entries and writes in progress', async () => {
    const m = await messyRun(await tempDir());
    const report = await cleanRun(m.run);
    expect(report.removed).toHaveLength(7);
    expect(report.skipped).toBeUndefined();
    for (const f of [m.lock, m.partialCapture, m.partialCache, m.partialMetrics, m.oldPath, m.damaged]) expect(existsSync(f)).toBe(false);
    expect(existsSync(m.inProgress)).toBe(true);
    // the entries of the two remaining captures are still good
    expect((await readdir(m.cache)).filter((n) => n.endsWith('.json'))).toHaveLength(2);
    expect((await scoreSweep([m.run], {}, { workers: 0 })).stats).toMatchObject({ scored: 0, cached: 2 });
    // nothing left to do, and clean's own lock is gone
    const again = await cleanRun(m.run);
    expect(again.removed).toEqual([]);
    expect(existsSync(m.lock)).toBe(false);
  });

  it('skips a run whose lock a live writer holds', async () => {
    const m = await messyRun(await tempDir());
    await rm(m.lock);
    const release = acquireRunLock(m.run, 'training');
    try {
      const report = await cleanRun(m.run);
      expect(report.skipped).toMatch(new RegExp(`pid ${process.pid}`));
      expect(report.removed).toEqual([]);
      expect(existsSync(m.partialCapture)).toBe(true);
    } finally {
      release();
    }
  });

  it('refuses what is not a run directory', async () => {
    const root = await tempDir();
    await expect(cleanRun(join(root, 'nope'))).rejects.toBeInstanceOf(CaptureError);
    await expect(cleanRun(root)).rejects.toThrow(/not a run directory/);
  });
});
