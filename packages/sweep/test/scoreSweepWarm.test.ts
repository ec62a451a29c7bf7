// A warm sweep of settled captures must not read them: it stats each one and reads
// its cache entry. Counted by wrapping the two functions that read capture bytes.
import { describe, expect, it, vi } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { captureFileName, CAPTURES_DIR, writeCapture } from '@mtl-fd/capture';
import { scoreOne } from '../src/scoreOne.js';
import { stampFile } from '../src/hashIndex.js';
import { scoreSweep } from '../src/scoreSweep.js';
import { syntheticCapture, useTempDirs, writeRun } from './sweepFixture.js';

const reads = vi.hoisted(() => ({ hash: 0, score: 0 }));
vi.mock('../src/hash.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../src/hash.js')>();
  return { hashFile: (f: string) => (reads.hash++, real.hashFile(f)) };
});
vi.mock('../src/scoreFile.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../src/scoreFile.js')>();
  return { scoreFile: (...a: Parameters<typeof real.scoreFile>) => (reads.score++, real.scoreFile(...a)) };
});

const tempDir = useTempDirs();

describe('a warm sweep', () => {
  it('reads no capture once they have settled, only stats and cache entries', async () => {
    const root = await tempDir();
    const run = await writeRun(root, 'r', [0, 1, 2, 3]);
    await new Promise((r) => setTimeout(r, 2100));
    const cold = await scoreSweep([run], {}, { workers: 0 });
    expect(reads).toEqual({ hash: 4, score: 4 });
    const warm = await scoreSweep([run], {}, { workers: 0 });
    expect(reads).toEqual({ hash: 4, score: 4 });
    expect(warm.rows).toEqual(cold.rows);
    expect(warm.stats).toMatchObject({ cached: 4, scored: 0 });
    // a rewritten capture is hashed and scored again, the others still are not read
    await writeCapture(join(run, CAPTURES_DIR, captureFileName(2)), syntheticCapture({ step: 2, seed: 99 }));
    const grown = await scoreSweep([run], {}, { workers: 0 });
    expect(reads).toEqual({ hash: 5, score: 5 });
    expect(grown.stats).toMatchObject({ cached: 3, scored: 1 });
  }, 20_000);

  it('does not cache rows of a capture that changed while it was scored', async () => {
    const root = await tempDir();
    const run = await writeRun(root, 'r', [0, 1]);
    const file = join(run, CAPTURES_DIR, captureFileName(0));
    const cacheDir = join(root, 'cache');
    const other = join(root, 'other');
    await writeFile(other, 'x');
    // the stamp taken before scoring is not the file's: as if it changed meanwhile
    const reply = await scoreOne({ file, options: { saliency: 'grad', granularity: 'element', temperature: 0, nonFinite: 'error', weighted: false }, cacheDir, stamp: stampFile(other)! });
    expect(reply.changed).toBe(true);
    expect(reply.cached).toBe(false);
    const again = await scoreSweep([file], {}, { workers: 0, cache: cacheDir });
    expect(again.stats).toMatchObject({ scored: 1, cached: 0 });
  });
});
