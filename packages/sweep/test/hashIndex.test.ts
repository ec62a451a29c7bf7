import { describe, expect, it } from 'vitest';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HASH_INDEX_FILE, HashIndex, SETTLED_MS, sameStamp, stampFile } from '../src/hashIndex.js';
import { useTempDirs } from './sweepFixture.js';

const tempDir = useTempDirs();
const later = () => Date.now() + SETTLED_MS + 1000;

describe('stampFile', () => {
  it('changes when the file is rewritten, even with the same size', async () => {
    const dir = await tempDir();
    const f = join(dir, 'a');
    await writeFile(f, 'aaaa');
    const s1 = stampFile(f)!;
    expect(sameStamp(s1, stampFile(f)!)).toBe(true);
    await new Promise((r) => setTimeout(r, 20));
    await writeFile(f, 'bbbb');
    expect(sameStamp(s1, stampFile(f)!)).toBe(false);
    expect(stampFile(join(dir, 'missing'))).toBeUndefined();
  });
});

describe('HashIndex', () => {
  it('remembers a settled file\'s hash across save and load, and forgets it once the file changes', async () => {
    const dir = await tempDir();
    const f = join(dir, 'capture');
    await writeFile(f, 'bytes');
    const stamp = stampFile(f)!;
    const index = HashIndex.load(dir);
    index.record(f, stamp, stampFile(f), 'h1', later());
    expect(index.lookup(f, stamp)).toBe('h1');
    await index.save();
    expect(HashIndex.load(dir).lookup(f, stamp)).toBe('h1');
    await new Promise((r) => setTimeout(r, 20));
    await writeFile(f, 'other');
    expect(HashIndex.load(dir).lookup(f, stampFile(f)!)).toBeUndefined();
  });

  it('does not remember a file hashed within 2 s of its last change, or one that changed while hashed', async () => {
    const dir = await tempDir();
    const f = join(dir, 'capture');
    await writeFile(f, 'bytes');
    const stamp = stampFile(f)!;
    const index = HashIndex.load(dir);
    index.record(f, stamp, stamp, 'fresh', Date.now());
    expect(index.lookup(f, stamp)).toBeUndefined();
    const moved = [...stamp] as unknown as typeof stamp;
    (moved as unknown as string[])[3] = '1';
    index.record(f, stamp, moved, 'changed', later());
    index.record(f, stamp, undefined, 'gone', later());
    expect(index.lookup(f, stamp)).toBeUndefined();
    await index.save();
    await expect(readFile(join(dir, HASH_INDEX_FILE))).rejects.toThrow();
  });

  it('merges with what another process saved, drops files that are gone, and survives a damaged file', async () => {
    const dir = await tempDir();
    const [a, b, c] = ['a', 'b', 'c'].map((n) => join(dir, n));
    for (const f of [a, b, c]) await writeFile(f, f);
    const one = HashIndex.load(dir);
    const two = HashIndex.load(dir);
    one.record(a!, stampFile(a!)!, stampFile(a!), 'ha', later());
    one.record(c!, stampFile(c!)!, stampFile(c!), 'hc', later());
    two.record(b!, stampFile(b!)!, stampFile(b!), 'hb', later());
    await one.save();
    await writeFile(c!, 'x'); // c changes: its old row no longer matches
    await rm(a!); // a goes away: its row is dropped on the next save
    await two.save();
    const merged = JSON.parse(await readFile(join(dir, HASH_INDEX_FILE), 'utf8')) as { files: Record<string, string[]> };
    expect(Object.keys(merged.files).sort()).toEqual([b, c].sort());
    expect(HashIndex.load(dir).lookup(b!, stampFile(b!)!)).toBe('hb');
    await writeFile(join(dir, HASH_INDEX_FILE), '{"format": "mtl-fd/hash-index@1", "files": ');
    expect(HashIndex.load(dir).lookup(b!, stampFile(b!)!)).toBeUndefined();
  });
});
