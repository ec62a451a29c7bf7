import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { listCaptures, readCapture } from '@mtl-fd/capture';
import { fitExample } from '../examples/fit.js';
import { customLoopExample } from '../examples/customLoop.js';
import { tempDir } from './helpers/tmp.js';

const pkg = fileURLToPath(new URL('..', import.meta.url));
let root: string;
beforeAll(async () => {
  root = await tempDir();
});

describe('the README examples', () => {
  it('are the example files, verbatim', async () => {
    const readme = await readFile(join(pkg, 'README.md'), 'utf8');
    const blocks = [...readme.matchAll(/<!-- example: (\S+) -->\n```ts\n([\s\S]*?)```\n/g)];
    expect(blocks.map((b) => b[1])).toEqual(['examples/fit.ts', 'examples/customLoop.ts']);
    for (const [, file, code] of blocks) expect(code, file).toBe(await readFile(join(pkg, file as string), 'utf8'));
  });

  it('model.fit: captures at step 0 and after each epoch', async () => {
    const runDir = join(root, 'fit-example');
    const history = await fitExample(runDir);
    expect(history.epoch).toEqual([0, 1, 2]);
    const files = await listCaptures(runDir);
    expect(files.map((f) => basename(f))).toEqual([0, 4, 8, 12].map((s) => `step-${String(s).padStart(8, '0')}.safetensors`));
    const last = await readCapture(files[3] as string);
    expect(last.meta).toMatchObject({ step: 12, epoch: 3, tasks: ['class', 'brightness'], layout: 'NHWC', run: 'fit-example' });
    expect(last.shape).toEqual([16, 6, 6, 8]);
  });

  it('custom loop: captures every 5 steps', async () => {
    const runDir = join(root, 'loop-example');
    const files = await customLoopExample(runDir);
    expect(files).toEqual(await listCaptures(runDir));
    expect(files.map((f) => basename(f))).toEqual([0, 5, 10, 15, 20].map((s) => `step-${String(s).padStart(8, '0')}.safetensors`));
    const first = await readCapture(files[0] as string);
    const last = await readCapture(files[4] as string);
    expect(first.meta.tasks).toEqual(['score', 'flag']);
    expect(last.losses.score).toBeLessThan(first.losses.score as number);
  });
});
