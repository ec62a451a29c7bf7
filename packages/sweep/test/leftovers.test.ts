import { describe, expect, it } from 'vitest';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseTempFileName } from '@mtl-fd/capture';
import { findLeftovers } from '../src/leftovers.js';
import { useTempDirs } from './sweepFixture.js';

const tempDir = useTempDirs();

describe('parseTempFileName', () => {
  it('reads the target and pid of an atomic write\'s temporary name', () => {
    expect(parseTempFileName('.step-00000010.safetensors.4242-0a1b2c3d4e5f.tmp')).toEqual({ target: 'step-00000010.safetensors', pid: 4242 });
    expect(parseTempFileName('.mtl-fd.lock.17-00112233aabbccdd.tmp')).toEqual({ target: 'mtl-fd.lock', pid: 17 });
    for (const name of ['step-00000010.safetensors', 'x.tmp', '.x.tmp', '.x.0-abcdef.tmp', '.x.12-XYZ123.tmp', '.x.12-abc.tmp', '..tmp']) {
      expect(parseTempFileName(name)).toBeUndefined();
    }
  });
});

describe('findLeftovers', () => {
  it('finds temporary files, tells live writers from dead ones, and follows no links', async () => {
    const root = await tempDir();
    const run = join(root, 'run');
    await mkdir(join(run, 'captures'), { recursive: true });
    await mkdir(join(run, 'report', 'deep'), { recursive: true });
    const dead = join(run, 'captures', '.step-00000001.safetensors.999999999-abcdef012345.tmp');
    const live = join(run, 'report', 'deep', `.index.html.${process.pid}-abcdef012345.tmp`);
    await writeFile(dead, 'x');
    await writeFile(live, 'y');
    await writeFile(join(run, 'captures', 'step-00000001.safetensors'), 'z');
    const outside = join(root, 'outside');
    await mkdir(outside);
    await writeFile(join(outside, '.a.999999999-abcdef012345.tmp'), 'not ours');
    await symlink(outside, join(run, 'link'));
    expect(await findLeftovers(run, true)).toEqual([
      { path: dead, pid: 999999999, writing: false },
      { path: live, pid: process.pid, writing: true },
    ]);
    expect(await findLeftovers(join(run, 'captures'))).toEqual([{ path: dead, pid: 999999999, writing: false }]);
    expect(await findLeftovers(join(run, 'nowhere'), true)).toEqual([]);
  });
});
