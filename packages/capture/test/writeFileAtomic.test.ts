import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../src/errors.js';
import { writeFileAtomic } from '../src/writeFileAtomic.js';
import { useTempDir } from './tempDir.js';

const dir = useTempDir();

describe('writeFileAtomic', () => {
  it('writes strings as UTF-8 and bytes as they are, replacing what was there', async () => {
    const d = join(dir(), 'ok');
    await mkdir(d);
    const file = join(d, 'metrics.csv');
    await writeFile(file, 'old');
    await writeFileAtomic(file, 'run,step\nπ,1\n');
    expect(await readFile(file, 'utf8')).toBe('run,step\nπ,1\n');
    await writeFileAtomic(file, new Uint8Array([0, 255, 7]));
    expect(Array.from(await readFile(file))).toEqual([0, 255, 7]);
    expect(await readdir(d)).toEqual(['metrics.csv']);
  });

  it('leaves the old file and no temporary file when writing fails', async () => {
    const d = join(dir(), 'fail');
    await mkdir(d);
    const file = join(d, 'metrics.json');
    await writeFile(file, '{"old":true}');
    await expect(writeFileAtomic(file, 42 as unknown as string)).rejects.toThrow();
    expect(await readdir(d)).toEqual(['metrics.json']);
    expect(await readFile(file, 'utf8')).toBe('{"old":true}');
  });

  it('names the file in a UserError when its directory is missing', async () => {
    const file = join(dir(), 'missing', 'out.json');
    const err = await writeFileAtomic(file, '{}').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).message).toBe(`${file}: cannot write (its directory does not exist)`);
  });
});
