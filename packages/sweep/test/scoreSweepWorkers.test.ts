// Scoring in worker threads runs the built package (dist/sweep/worker.js):
// `npm test` builds before running vitest.
import { describe, expect, it } from 'vitest';
import { CaptureError } from '@mtl-fd/capture';
import { scoreSweep } from '../src/scoreSweep.js';
import { useTempDirs, writeRun } from './sweepFixture.js';

const tempDir = useTempDirs();

describe('scoreSweep in worker threads', () => {
  it('gives the same rows and warnings for 0, 1, 2 and 3 workers, cold and warm', async () => {
    const root = await tempDir();
    const runs = [
      await writeRun(root, 'big', [0, 1, 2, 3, 4, 5], { shape: [16, 8, 4, 4] }),
      await writeRun(root, 'small', [0, 2, 4, 6, 8]),
      await writeRun(root, 'two', [3, 1], { tasks: ['x', 'y'], shape: [6, 5] }),
    ];
    const reference = await scoreSweep(runs, {}, { workers: 0, cache: false });
    for (const workers of [1, 2, 3]) {
      const cache = `${root}/cache-${workers}`;
      const cold = await scoreSweep(runs, {}, { workers, cache });
      expect(cold.rows).toEqual(reference.rows);
      expect(cold.warnings).toEqual(reference.warnings);
      expect(cold.stats).toEqual({ files: 13, scored: 13, cached: 0, failed: 0 });
      const warm = await scoreSweep(runs, {}, { workers, cache });
      expect(warm.rows).toEqual(reference.rows);
      expect(warm.stats).toMatchObject({ scored: 0, cached: 13 });
    }
  });

  it('brings a worker\'s CaptureError back as a CaptureError naming the file', async () => {
    const root = await tempDir();
    const err = await scoreSweep([`${root}/missing.safetensors`], {}, { workers: 2, cache: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CaptureError);
    expect((err as CaptureError).file).toBe(`${root}/missing.safetensors`);
  });
});
