// Hostile input, item 4: inputs are never silently overwritten. `score --out` naming
// one of the input captures (by path, or through a link) is refused; `score --model`
// never replaces a capture that already exists at a checkpoint's step unless --overwrite.
import { describe, expect, it } from 'vitest';
import { cp, link, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { captureFileName, readCapture, writeCapture, type CaptureData } from '@mtl-fd/capture';
import { runCli } from '../../src/cli.js';
import { captureCheckpoints } from '../../src/commands/scoreModel.js';
import { bufferIO } from '../../../../test/support/bufferIO.js';
import { useTempDirs } from '../../../../test/support/tempDirs.js';

const tmp = useTempDirs('mtl-fd-hostile-overwrite-');

function capture(step: number): CaptureData {
  return {
    meta: { step, tasks: ['a', 'b'], layout: 'NC' },
    shape: [2, 3],
    features: Float64Array.from({ length: 6 }, (_, i) => i / 8),
    grads: { a: Float64Array.from({ length: 6 }, (_, i) => (i % 3) / 4), b: Float64Array.from({ length: 6 }, (_, i) => -i / 16) },
  };
}

async function runWithCaptures(root: string): Promise<{ run: string; files: string[] }> {
  const run = join(root, 'run');
  await mkdir(join(run, 'captures'), { recursive: true });
  const files = [];
  for (const step of [1, 2]) {
    const file = join(run, 'captures', captureFileName(step));
    await writeCapture(file, capture(step));
    files.push(file);
  }
  return { run, files };
}

describe('score --out never replaces an input', () => {
  it.each([
    ['the capture itself, in a run given as a directory', async (run: string, files: string[]) => ({ args: [run], out: files[0]! })],
    ['the capture itself, given as a file', async (_run: string, files: string[]) => ({ args: files, out: files[1]! })],
    ['a symbolic link to an input', async (run: string, files: string[]) => {
      const alias = join(run, '..', 'alias.csv');
      await symlink(files[0]!, alias);
      return { args: [run], out: alias };
    }],
    ['a hard link to an input', async (run: string, files: string[]) => {
      const alias = join(run, '..', 'hard.csv');
      await link(files[1]!, alias);
      return { args: [run], out: alias };
    }],
    ['the --from list', async (run: string, files: string[]) => {
      const list = join(run, '..', 'list.txt');
      await writeFile(list, `${files.join('\n')}\n`);
      return { args: ['--from', list], out: list };
    }],
  ])('refuses --out that is %s (exit 2, input unchanged)', async (_name, setup) => {
    // before: exit 0, and the capture (or list) was replaced by CSV text
    const root = await tmp();
    const { run, files } = await runWithCaptures(root);
    const { args, out } = await setup(run, files);
    const before = await Promise.all([...files, out].map((f) => readFile(f)));
    const io = bufferIO(root);
    expect(await runCli(['score', ...args, '--out', out, '--workers', '0', '--no-cache'], io)).toBe(2);
    expect(io.err).toMatch(new RegExp(`--out ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: is one of the input files`));
    expect(io.out).toBe('');
    const after = await Promise.all([...files, out].map((f) => readFile(f)));
    expect(after).toEqual(before);
  });

  it('still writes an --out that is no input, and over an old table', async () => {
    const root = await tmp();
    const { run } = await runWithCaptures(root);
    const out = join(root, 'scores.csv');
    await writeFile(out, 'old table\n');
    expect(await runCli(['score', run, '--out', out, '--workers', '0', '--no-cache'], bufferIO(root))).toBe(0);
    expect((await readFile(out, 'utf8')).startsWith('run,step,metric')).toBe(true);
  });
});

const fixture = fileURLToPath(new URL('../../../../fixtures/checkpoint/', import.meta.url));

describe('score --model never replaces an existing capture unless --overwrite', () => {
  it('refuses before writing anything, and replaces with overwrite', async () => {
    // before: the capture training wrote at step 4 was silently replaced
    const root = await tmp();
    const run = join(root, 'run');
    await cp(join(fixture, 'run'), run, { recursive: true });
    const trained = join(run, 'captures', captureFileName(4));
    await mkdir(join(run, 'captures'));
    await writeCapture(trained, capture(4));
    const bytes = await readFile(trained);
    const args = { model: run, sharedLayer: 'shared', probe: join(fixture, 'probe.safetensors') };
    const io = { ...bufferIO(root), stdout: () => undefined };
    await expect(captureCheckpoints(args, io)).rejects.toThrow(
      `${trained}: a capture already exists at that checkpoint's step (training may have written it); nothing was written. Pass --overwrite to replace it`,
    );
    expect(await readFile(trained)).toEqual(bytes);
    // step 0 has no capture yet, and none was written either
    await expect(readFile(join(run, 'captures', captureFileName(0)))).rejects.toThrow(/ENOENT/);

    const files = await captureCheckpoints({ ...args, overwrite: true }, io);
    expect(files).toEqual([join(run, 'captures', captureFileName(0)), trained]);
    expect((await readCapture(trained)).meta.tasks).toEqual(['depth', 'segmentation']);
  }, 60_000);

  it('the command takes --overwrite only with --model', async () => {
    const io = bufferIO();
    expect(await runCli(['score', 'x.safetensors', '--overwrite'], io)).toBe(2);
    expect(io.err).toContain('--overwrite goes with --model');
  });
});
