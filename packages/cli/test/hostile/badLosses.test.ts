// Item 8 (losses) of the hostile-input issue: probe losses that are NaN, zero or negative.
// Before: no warning anywhere, and loss_share left [0, 1] (losses -1 and 2 gave shares
// -1 and 2). After: one warning per run and task in score's and diagnose's output, and
// every loss_share is in [0, 1] or null.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureFileName, writeCapture } from '@mtl-fd/capture';
import { fromJSON } from '@mtl-fd/metrics';
import { runCli } from '../../src/cli.js';
import { bufferIO, values } from '../scoreHelpers.js';

let root: string;
let dir: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'mtl-fd-hostile-loss-'));
  dir = join(root, 'bad-losses');
  await mkdir(join(dir, 'captures'), { recursive: true });
  const seg = [1, -1, 0, NaN, -2];
  for (const [k, step] of [0, 100, 200, 300, 400].entries()) {
    await writeCapture(join(dir, 'captures', captureFileName(step)), {
      meta: { step, tasks: ['seg', 'depth'], layout: 'NC' },
      shape: [4, 6],
      features: values(24, 1 + k),
      grads: { seg: values(24, 10 + k), depth: values(24, 20 + k) },
      losses: { seg: seg[k]!, depth: 2 / (1 + k) },
    });
  }
});
afterAll(async () => rm(root, { recursive: true, force: true }));

async function cli(...args: string[]) {
  const io = bufferIO(root);
  const code = await runCli(args, io);
  return { code, out: io.out, err: io.err };
}

const SEG_WARNING = "run 'bad-losses': task 'seg' has a probe loss that is NaN or infinite at 1 capture (step 300) and zero at 1 capture (step 200) and negative at 2 captures (first at step 100)";

describe('NaN, zero and negative probe losses', () => {
  it('score warns once for the task and keeps every loss_share in [0, 1] or null', async () => {
    const { code, out, err } = await cli('score', dir, '--format', 'json', '--no-cache');
    expect(code).toBe(0);
    expect(err.split(SEG_WARNING)).toHaveLength(2);
    expect(err).not.toContain("task 'depth' has a probe loss");
    const shares = fromJSON(out).rows.filter((r) => r.metric === 'loss_share');
    expect(shares).toHaveLength(10);
    for (const r of shares) expect(r.value === null || (r.value >= 0 && r.value <= 1)).toBe(true);
    expect(shares.filter((r) => r.step === 100).map((r) => r.value)).toEqual([null, null]);
  });

  it('diagnose warns about them, from the captures and from a stored table', async () => {
    const fromCaptures = await cli('diagnose', dir, '--no-scan');
    expect(fromCaptures.err).toContain(`mtl-fd diagnose: warning: ${SEG_WARNING}`);
    expect(fromCaptures.err.split(`warning: ${SEG_WARNING}`)).toHaveLength(2);
    expect((await cli('score', dir, '--out', join(dir, 'metrics.json'), '--format', 'json', '--no-cache')).code).toBe(0);
    const fromTable = await cli('diagnose', join(dir, 'metrics.json'));
    expect(fromTable.err).toContain(`mtl-fd diagnose: warning: ${SEG_WARNING}`);
  });
});
