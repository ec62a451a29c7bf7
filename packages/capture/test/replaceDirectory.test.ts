import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempPathFor } from '../src/atomicFile.js';
import { removeDeadTempDirectories, replaceDirectory } from '../src/replaceDirectory.js';

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

  it('removes the temporary directories a killed writer left beside the target, and only those', async () => {
    const target = join(root, 'swept');
    const dead = await filled(join(root, '.swept.999999999-abcdef123456.tmp'), { 'x.svg': 'half' });
    const alive = await filled(tempPathFor(target), { 'y.svg': 'mine, in progress' });
    const other = await filled(join(root, '.other.999999999-abcdef123456.tmp'), {});
    await writeFile(join(root, '.swept.999999998-abcdef123456.tmp'), 'a file, not a directory');
    expect(await removeDeadTempDirectories(target)).toEqual([dead]);
    expect((await readdir(root)).sort()).toEqual([basename(alive), basename(other), '.swept.999999998-abcdef123456.tmp', 'kept', 'report'].sort());
  });
});
