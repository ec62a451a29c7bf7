// Hostile input, item 2: large but valid input must not overflow the stack. Spreading
// a data-sized array into a call (`rows.push(...rows2)`, `Math.max(...values)`) ended
// a 500-task capture and a 20k-capture run in "Maximum call stack size exceeded",
// exit 70, after all the scoring was done. (test/noSpreadArguments.test.ts keeps such
// calls out of the sources.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureFileName, writeCapture, type CaptureData } from '@mtl-fd/capture';
import { runCli } from '../../src/cli.js';
import { bufferIO } from '../../../../test/support/bufferIO.js';

let root = '';
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'mtl-fd-hostile-large-'));
});
afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

/** A tiny capture ([2, 2], F32) with `T` tasks. */
function capture(step: number, T: number): CaptureData {
  let s = 7 + step;
  const r = () => ((s = (s * 16807) % 2147483647) / 2147483647) - 0.5;
  const tasks = Array.from({ length: T }, (_, i) => `t${i}`);
  return {
    meta: { step, tasks, layout: 'NC' },
    shape: [2, 2],
    dtype: 'F32',
    features: Float32Array.from({ length: 4 }, r),
    grads: Object.fromEntries(tasks.map((t) => [t, Float32Array.from({ length: 4 }, r)])),
    losses: Object.fromEntries(tasks.map((t) => [t, 1 + r()])),
  };
}

describe('large valid input', () => {
  it('scores a capture with 500 tasks', async () => {
    // before: exit 70, "internal error: Maximum call stack size exceeded"
    const run = join(root, 'tasks500');
    await mkdir(join(run, 'captures'), { recursive: true });
    await writeCapture(join(run, 'captures', captureFileName(0)), capture(0, 500));
    const out = join(root, 'tasks500.csv');
    const io = bufferIO(root);
    expect(await runCli(['score', run, '--workers', '0', '--no-cache', '--out', out], io)).toBe(0);
    const lines = (await readFile(out, 'utf8')).trimEnd().split('\n');
    // one fd_pair row per pair of tasks
    expect(lines.filter((l) => l.includes(',fd_pair,')).length).toBe((500 * 499) / 2);
  }, 60_000);

  it('scores a run of 20,000 captures, end to end through the CLI', async () => {
    // before: exit 70, "internal error: Maximum call stack size exceeded", after 20k captures were scored
    const run = join(root, 'captures20k');
    await mkdir(join(run, 'captures'), { recursive: true });
    // one capture written by the writer, the others its bytes with another 8-digit step
    // in the header (same length, so offsets stay): fast to make, each a valid capture
    const template = join(run, 'captures', captureFileName(10_000_000));
    await writeCapture(template, capture(10_000_000, 2));
    const bytes = await readFile(template);
    const at = bytes.indexOf('"10000000"');
    expect(at).toBeGreaterThan(0);
    await rm(template);
    const N = 20_000;
    for (let step = 0; step < N; step += 500) {
      await Promise.all(
        Array.from({ length: 500 }, (_, k) => {
          const copy = Buffer.from(bytes);
          copy.write(`"${String(step + k).padStart(8, '0')}"`, at, 'latin1');
          return writeFile(join(run, 'captures', captureFileName(step + k)), copy);
        }),
      );
    }
    const out = join(root, 'captures20k.csv');
    const io = bufferIO(root);
    expect(await runCli(['score', run, '--workers', '0', '--no-cache', '--out', out], io)).toBe(0);
    const text = await readFile(out, 'utf8');
    const fdRows = text.split('\n').filter((l) => /^captures20k,\d+,fd,,,/.test(l));
    expect(fdRows.length).toBe(N);
    // the run-level rows over all 20k steps are there too
    expect(text).toContain(',loss_share,');
  }, 180_000);
});
