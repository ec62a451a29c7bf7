import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { acquireRunLock, captureFileName, writeCapture, type CaptureData } from '@mtl-fd/capture';
import { runCli } from '../src/cli.js';
import { bufferIO } from '../../../test/support/bufferIO.js';
import { useTempDirs } from '../../../test/support/tempDirs.js';


const tmp = useTempDirs('mtl-fd-clean-');

const DEAD = 999999999;

function capture(step: number): CaptureData {
  const n = 2 * 3;
  return {
    meta: { step, tasks: ['a', 'b'], layout: 'NC' },
    shape: [2, 3],
    features: Float64Array.from({ length: n }, (_, i) => i / 8),
    grads: { a: Float64Array.from({ length: n }, (_, i) => (i % 3) / 4), b: Float64Array.from({ length: n }, (_, i) => -i / 16) },
  };
}

/** `<root>/sweep/<name>/captures/` with one capture and one leftover of an interrupted write. */
async function run(root: string, name: string): Promise<{ dir: string; leftover: string }> {
  const dir = join(root, 'sweep', name);
  await mkdir(join(dir, 'captures'), { recursive: true });
  await writeCapture(join(dir, 'captures', captureFileName(1)), capture(1));
  const leftover = join(dir, 'captures', `.${captureFileName(2)}.${DEAD}-0123456789ab.tmp`);
  await writeFile(leftover, 'half');
  return { dir, leftover };
}


describe('mtl-fd clean', () => {
  it('lists leftovers on --dry-run and removes them otherwise, over a directory of runs', async () => {
    const root = await tmp();
    const a = await run(root, 'a');
    const b = await run(root, 'b');
    const dry = bufferIO(root);
    expect(await runCli(['clean', 'sweep', '--dry-run'], dry)).toBe(0);
    expect(dry.out).toContain(`would remove ${a.leftover} (partial file of an interrupted write (pid ${DEAD}))`);
    expect(dry.out).toContain(`would remove ${b.leftover}`);
    expect(dry.out.trim().split('\n').at(-1)).toBe('clean: would remove 2 files (8 B) in 2 runs');
    expect(existsSync(a.leftover) && existsSync(b.leftover)).toBe(true);

    const io = bufferIO(root);
    expect(await runCli(['clean', a.dir, b.dir], io)).toBe(0);
    expect(io.out.trim().split('\n').at(-1)).toBe('clean: removed 2 files (8 B) in 2 runs');
    expect(existsSync(a.leftover) || existsSync(b.leftover)).toBe(false);
    expect(existsSync(join(a.dir, 'captures', captureFileName(1)))).toBe(true);
    expect(io.err).toBe('');
  });

  it('skips a run a live training holds, with exit code 1', async () => {
    const root = await tmp();
    const a = await run(root, 'a');
    const b = await run(root, 'b');
    const release = acquireRunLock(a.dir, 'training');
    try {
      const io = bufferIO(root);
      expect(await runCli(['clean', 'sweep'], io)).toBe(1);
      expect(io.err).toContain(`skipped ${a.dir}: locked by a running writer (pid ${process.pid}`);
      expect(existsSync(a.leftover)).toBe(true);
      expect(existsSync(b.leftover)).toBe(false);
      expect(io.out).toContain('skipped 1 locked');
    } finally {
      release();
    }
  });

  it('answers bad input with one line and exit code 2', async () => {
    const root = await tmp();
    for (const argv of [['clean'], ['clean', 'nowhere'], ['clean', '.', '--frobnicate']]) {
      const io = bufferIO(root);
      expect(await runCli(argv, io)).toBe(2);
      expect(io.err.trim().split('\n')).toHaveLength(1);
      expect(io.out).toBe('');
    }
  });
});
