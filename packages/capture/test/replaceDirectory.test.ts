import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempPathFor } from '../src/atomicFile.js';
import { replaceDirectory } from '../src/replaceDirectory.js';

let root: string;
beforeAll(async () => void (root = await mkdtemp(join(tmpdir(), 'mtl-fd-replace-dir-'))));
afterAll(async () => rm(root, { recursive: true, force: true }));

async function filled(dir: string, files: Record<string, string>): Promise<string> {
  await mkdir(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return dir;
}

describe('replaceDirectory', () => {
  it('moves a new directory into place, and replaces an old one whole, leaving no temporary name', async () => {
    const target = join(root, 'report');
    await replaceDirectory(await filled(tempPathFor(target), { 'a.txt': 'one' }), target);
    expect(await readdir(target)).toEqual(['a.txt']);
    await replaceDirectory(await filled(tempPathFor(target), { 'b.txt': 'two' }), target);
    expect(await readdir(target)).toEqual(['b.txt']);
    expect(await readFile(join(target, 'b.txt'), 'utf8')).toBe('two');
    expect(await readdir(root)).toEqual(['report']);
  });

  it('keeps the old directory when the new one cannot be moved in', async () => {
    const target = await filled(join(root, 'kept'), { 'old.txt': 'old' });
    await expect(replaceDirectory(join(root, 'no-such-temp'), target)).rejects.toThrow(/ENOENT/);
    expect(await readdir(target)).toEqual(['old.txt']);
    expect((await readdir(root)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });
});
