// Hostile input, item 8: a lock left by another host, or by a pid whose start time was
// not recorded, looks held forever (no check here can clear it). The lock error says
// how to go on, and `mtl-fd clean --force-unlock` removes such a lock; a lock whose
// owner provably runs is never forced open.
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { acquireRunLock, RUN_LOCK_FILE } from '@mtl-fd/capture';
import { runCli } from '../../src/cli.js';
import { bufferIO } from '../../../../test/support/bufferIO.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

async function lockedRun(lock: Record<string, unknown>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'mtl-fd-hostile-lock-'));
  dirs.push(root);
  const run = join(root, 'run');
  await mkdir(join(run, 'captures'), { recursive: true });
  await writeFile(join(run, RUN_LOCK_FILE), `${JSON.stringify({ owner: 'old training', startedAt: '', nonce: 'n0', ...lock })}\n`);
  return run;
}

const CASES = [
  // another host: its processes cannot be checked from here
  ['a lock of another host', { pid: 4242, host: 'elsewhere.example', procStart: '123' }],
  // this host, a pid that runs (this very process) but no start time: a reused pid looks alive
  ['a lock of a running pid with no start time', { pid: process.pid, host: hostname(), procStart: null }],
] as const;

describe('locks that cannot be checked', () => {
  it.each(CASES)('%s: the lock error names clean --force-unlock', async (_name, lock) => {
    // before: "...if it has ended, remove <path>" or "stop that process first", and clean skipped the run forever
    const run = await lockedRun(lock);
    expect(() => acquireRunLock(run, 'new training')).toThrow(`run 'mtl-fd clean --force-unlock ${run}'`);
  });

  it.each(CASES)('%s: clean skips it and says so; clean --force-unlock removes it', async (_name, lock) => {
    const run = await lockedRun(lock);
    const plain = bufferIO();
    expect(await runCli(['clean', run], plain)).toBe(1);
    expect(plain.err).toMatch(/if it has ended, clean with --force-unlock/);
    expect(existsSync(join(run, RUN_LOCK_FILE))).toBe(true);

    const dry = bufferIO();
    expect(await runCli(['clean', run, '--force-unlock', '--dry-run'], dry)).toBe(0);
    expect(dry.out).toContain(`would remove ${join(run, RUN_LOCK_FILE)} (`);
    expect(existsSync(join(run, RUN_LOCK_FILE))).toBe(true);

    const io = bufferIO();
    expect(await runCli(['clean', run, '--force-unlock'], io)).toBe(0);
    expect(io.out).toMatch(/lock forced open/);
    expect(existsSync(join(run, RUN_LOCK_FILE))).toBe(false);
    // and a training can take the run again
    acquireRunLock(run, 'new training')();
  });

  it('never forces open a lock whose owner provably runs (its start time matches)', async () => {
    const run = await lockedRun({ pid: 1, host: 'x' });
    await rm(join(run, RUN_LOCK_FILE));
    const release = acquireRunLock(run, 'live training');
    try {
      const io = bufferIO();
      expect(await runCli(['clean', run, '--force-unlock'], io)).toBe(1);
      expect(io.err).toContain(`not forced open: its owner, pid ${process.pid}, runs (its start time matches): stop it first`);
      expect(existsSync(join(run, RUN_LOCK_FILE))).toBe(true);
    } finally {
      release();
    }
  });
});
