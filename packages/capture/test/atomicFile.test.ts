import { mkdir, readFile, readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAtomicFile } from '../src/atomicFile.js';
import { captureStepOf } from '../src/runDirectory.js';
import { useTempDir } from './tempDir.js';

const dir = useTempDir();

describe('createAtomicFile', () => {
  it('writes under a hidden .tmp name in the same directory, which no capture listing counts', async () => {
    const d = join(dir(), 'a');
    await mkdir(d);
    const file = join(d, 'step-00000005.safetensors');
    const atomic = await createAtomicFile(file);
    expect(dirname(atomic.tempPath)).toBe(d);
    expect(basename(atomic.tempPath)).toMatch(/^\.step-00000005\.safetensors\.\d+-[0-9a-f]{12}\.tmp$/);
    expect(captureStepOf(basename(atomic.tempPath))).toBeUndefined();
    await atomic.handle.write('hello', 0);
    expect(await readdir(d)).toEqual([basename(atomic.tempPath)]);
    await atomic.commit();
    expect(await readdir(d)).toEqual(['step-00000005.safetensors']);
    expect(await readFile(file, 'utf8')).toBe('hello');
    await atomic.abort(); // no-op after commit
    expect(await readFile(file, 'utf8')).toBe('hello');
    await expect(atomic.commit()).rejects.toThrow(/already committed/);
  });

  it('removes the temporary file when the rename fails', async () => {
    const d = join(dir(), 'b');
    await mkdir(join(d, 'target'), { recursive: true });
    const atomic = await createAtomicFile(join(d, 'target')); // a directory is in the way
    await atomic.handle.write('x', 0);
    await expect(atomic.commit()).rejects.toThrow();
    expect(await readdir(d)).toEqual(['target']);
    expect((await stat(join(d, 'target'))).isDirectory()).toBe(true);
  });
});
