// Hostile input, item 8: `--workers` is capped at the machine's cores, with a warning
// (before: any number was taken, e.g. 100000 threads asked for).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureFileName, writeCapture } from '@mtl-fd/capture';
import { runCli } from '../../src/cli.js';
import { bufferIO } from '../../../../test/support/bufferIO.js';

let root = '';
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'mtl-fd-hostile-workers-'));
  await mkdir(join(root, 'run', 'captures'), { recursive: true });
  await writeCapture(join(root, 'run', 'captures', captureFileName(1)), {
    meta: { step: 1, tasks: ['a', 'b'], layout: 'NC' },
    shape: [2, 3],
    features: Float64Array.from({ length: 6 }, (_, i) => i / 8),
    grads: { a: Float64Array.from({ length: 6 }, (_, i) => (i % 3) / 4), b: Float64Array.from({ length: 6 }, (_, i) => -i / 16) },
  });
});
afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

describe('score --workers', () => {
  it('caps a count above the cores at the cores, and says so', async () => {
    const cores = availableParallelism();
    const io = bufferIO(root);
    expect(await runCli(['score', 'run', '--workers', '100000', '--no-cache'], io)).toBe(0);
    expect(io.err).toContain(`mtl-fd score: warning: --workers 100000 is more than the ${cores} cores here; using ${cores}\n`);
    expect(io.out.startsWith('run,step,metric')).toBe(true);
  });

  it('takes a count within the cores without a word', async () => {
    const io = bufferIO(root);
    expect(await runCli(['score', 'run', '--workers', '1', '--no-cache'], io)).toBe(0);
    expect(io.err).not.toContain('--workers');
  });
});
