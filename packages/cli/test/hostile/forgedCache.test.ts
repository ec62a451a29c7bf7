// Item 6 of the hostile-input issue: forged score-cache entries. Before: an entry edited to
// say fd = 0.999, shipped in a copied run directory (or edited in place), was printed as
// the capture's score, silently. After: each entry carries a checksum over its content and
// the capture hash it claims; an entry that fails it, or that claims other bytes than the
// capture's, is ignored with a warning naming it and the capture is scored afresh.
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromJSON } from '@mtl-fd/metrics';
import { runCli } from '../../src/cli.js';
import { bufferIO, writeRun } from '../scoreHelpers.js';

const CACHE = '.mtl-fd-cache';
let root: string;
beforeAll(async () => void (root = await mkdtemp(join(tmpdir(), 'mtl-fd-hostile-cache-'))));
afterAll(async () => rm(root, { recursive: true, force: true }));

async function score(dir: string) {
  const io = bufferIO(root);
  const code = await runCli(['score', dir, '--format', 'json', '--workers', '0'], io);
  return { code, err: io.err, rows: code === 0 ? fromJSON(io.out).rows : [] };
}

const fdOf = (rows: { metric: string; step: number; value: number | null }[], step: number) => rows.find((r) => r.metric === 'fd' && r.step === step)?.value;

async function entries(dir: string): Promise<string[]> {
  return (await readdir(join(dir, CACHE))).filter((n) => /^[0-9a-f]{64}\.json$/.test(n)).map((n) => join(dir, CACHE, n));
}

/** Rewrites every entry's fd row to 0.999, keeping everything else (the hash it claims too). */
async function forgeFd(dir: string): Promise<void> {
  for (const file of await entries(dir)) {
    const e = JSON.parse(await readFile(file, 'utf8'));
    for (const row of e.rows) if (row[0] === 'fd') row[3] = 0.999;
    await writeFile(file, `${JSON.stringify(e)}\n`);
  }
}

describe('forged score-cache entries', () => {
  it('are ignored with a warning when shipped in a copied run directory', async () => {
    const original = await writeRun(root, 'original', { steps: [0, 100], seed: 4 });
    const honest = await score(original);
    expect(honest.code).toBe(0);
    expect(await entries(original)).toHaveLength(2);
    await forgeFd(original);
    const copy = join(root, 'copy');
    await cp(original, copy, { recursive: true });

    const { code, err, rows } = await score(copy);
    expect(code).toBe(0);
    expect(fdOf(rows, 0)).toBe(fdOf(honest.rows, 0));
    expect(fdOf(rows, 100)).not.toBe(0.999);
    expect(err).toMatch(/warning: .*\.mtl-fd-cache\/[0-9a-f]{64}\.json: cache entry fails its checksum \(edited or damaged\); ignored, .*step-00000000\.safetensors scored afresh/);
    // the rescoring replaced the forged entries: a second run is quiet and cached
    const again = await score(copy);
    expect(again.err).not.toContain('checksum');
    expect(fdOf(again.rows, 100)).toBe(fdOf(honest.rows, 100));
  });

  it('are ignored with a warning when edited in place (the capture unchanged)', async () => {
    const dir = await writeRun(root, 'in-place', { steps: [0], seed: 6 });
    const honest = await score(dir);
    await forgeFd(dir);
    const { err, rows } = await score(dir);
    expect(fdOf(rows, 0)).toBe(fdOf(honest.rows, 0));
    expect(err).toMatch(/cache entry fails its checksum \(edited or damaged\); ignored/);
  });

  it('are ignored with a warning when they claim another capture\'s content', async () => {
    const dir = await writeRun(root, 'swapped', { steps: [0, 100], seed: 8 });
    const honest = await score(dir);
    const [a, b] = await entries(dir);
    await writeFile(b!, await readFile(a!, 'utf8')); // a whole, checksummed entry of the other capture
    await rm(join(dir, CACHE, '.hash-index.json'), { force: true });
    const { err, rows } = await score(dir);
    expect(rows.filter((r) => r.metric === 'fd').map((r) => r.value)).toEqual(honest.rows.filter((r) => r.metric === 'fd').map((r) => r.value));
    expect(err).toMatch(/cache entry claims the content of another capture \(sha256 [0-9a-f]{12}…\); ignored, .*scored afresh/);
  });
});
