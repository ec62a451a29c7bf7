// Hostile input, item 1: `mtl-fd clean` deletes only files it can prove are its own
// (a cache-entry name AND a cache entry's content), never through a symlinked cache
// directory, and says what it keeps.
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { captureFileName, writeCapture } from '@mtl-fd/capture';
import { runCli } from '../../src/cli.js';
import { bufferIO } from '../../../../test/support/bufferIO.js';
import { useTempDirs } from '../../../../test/support/tempDirs.js';

const tmp = useTempDirs('mtl-fd-hostile-clean-');

async function runDir(root: string): Promise<string> {
  const dir = join(root, 'run');
  await mkdir(join(dir, 'captures'), { recursive: true });
  await writeCapture(join(dir, 'captures', captureFileName(1)), {
    meta: { step: 1, tasks: ['a', 'b'], layout: 'NC' },
    shape: [2, 3],
    features: Float64Array.from({ length: 6 }, (_, i) => i / 8),
    grads: { a: Float64Array.from({ length: 6 }, (_, i) => (i % 3) / 4), b: Float64Array.from({ length: 6 }, (_, i) => -i / 16) },
  });
  return dir;
}

const HEX = 'ab'.repeat(32);
/** a user's directory: files that look a bit like cache entries but are not mtl-fd's */
async function userFiles(dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const files = {
    'package.json': '{"name": "my-project"}\n',
    'notes.json': 'not json at all',
    [`${HEX}.json`]: '{"my": "data"}\n', // the name of an entry, not the content
    'settings.json': JSON.stringify({ format: 'mtl-fd/score-cache@1', metricsVersion: 'old' }), // content, not the name
  };
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return Object.keys(files).map((n) => join(dir, n));
}

describe('mtl-fd clean never deletes what is not provably its own', () => {
  it('keeps every file of a --cache-dir that is not a cache entry by name and content, and lists it', async () => {
    // before: "removed .../package.json (not a cache entry of this format)", and the others
    const root = await tmp();
    const run = await runDir(root);
    const mine = join(root, 'project');
    const files = await userFiles(mine);
    const stale = join(mine, `${'cd'.repeat(32)}.json`);
    await writeFile(stale, JSON.stringify({ format: 'mtl-fd/score-cache@1', metricsVersion: '0.0.0-old', fileHash: 'x', options: {} }));
    const io = bufferIO(root);
    expect(await runCli(['clean', run, '--cache-dir', mine], io)).toBe(0);
    for (const f of files) {
      expect(existsSync(f)).toBe(true);
      expect(io.out).toContain(`kept ${f} (`);
      expect(io.out).not.toContain(`removed ${f}`);
    }
    // an entry of an older cache format is provably ours: it goes
    expect(existsSync(stale)).toBe(false);
    expect(io.out).toContain(`removed ${stale} (cache entry of the older format mtl-fd/score-cache@1)`);
  });

  it('does not follow a symlinked .mtl-fd-cache of a run', async () => {
    // before: every non-entry *.json of the link's target was removed
    const root = await tmp();
    const run = await runDir(root);
    const target = join(root, 'elsewhere');
    const files = await userFiles(target);
    const stale = join(target, `${'cd'.repeat(32)}.json`);
    await writeFile(stale, JSON.stringify({ format: 'mtl-fd/score-cache@1', metricsVersion: '0.0.0-old', fileHash: 'x', options: {} }));
    await symlink(target, join(run, '.mtl-fd-cache'));
    const io = bufferIO(root);
    expect(await runCli(['clean', run], io)).toBe(0);
    for (const f of [...files, stale]) expect(existsSync(f)).toBe(true);
    expect(io.out).toContain(`kept ${join(run, '.mtl-fd-cache')} (a symbolic link: not followed)`);
  });

  it('does not follow a symlinked --cache-dir', async () => {
    const root = await tmp();
    const run = await runDir(root);
    const target = join(root, 'elsewhere');
    await userFiles(target);
    const stale = join(target, `${'cd'.repeat(32)}.json`);
    await writeFile(stale, JSON.stringify({ format: 'mtl-fd/score-cache@1', metricsVersion: '0.0.0-old', fileHash: 'x', options: {} }));
    await writeFile(join(target, `.x.json.999999999-0123456789ab.tmp`), 'half');
    const link = join(root, 'cache-link');
    await symlink(target, link);
    const io = bufferIO(root);
    expect(await runCli(['clean', run, '--cache-dir', link], io)).toBe(0);
    expect(existsSync(stale)).toBe(true);
    expect(existsSync(join(target, `.x.json.999999999-0123456789ab.tmp`))).toBe(true);
    expect(io.out).toContain(`kept ${link} (a symbolic link: not followed)`);
  });

  it('does not delete a symlink that carries an entry name, nor what it points to', async () => {
    const root = await tmp();
    const run = await runDir(root);
    const outside = join(root, 'precious.json');
    await writeFile(outside, JSON.stringify({ format: 'mtl-fd/score-cache@1', metricsVersion: '0.0.0-old', fileHash: 'x', options: {} }));
    await mkdir(join(run, '.mtl-fd-cache'));
    const link = join(run, '.mtl-fd-cache', `${HEX}.json`);
    await symlink(outside, link);
    const io = bufferIO(root);
    expect(await runCli(['clean', run], io)).toBe(0);
    expect(existsSync(outside)).toBe(true);
    expect(existsSync(link)).toBe(true);
    expect(io.out).toContain(`kept ${link} (not a regular file)`);
  });
});
