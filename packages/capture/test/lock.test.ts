import { afterEach, describe, expect, it } from 'vitest';
import { builtPackage } from '../../../test/support/built.js';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../src/errors.js';
import {
  acquireRunLock,
  removeStaleRunLock,
  RUN_LOCK_FILE,
  RunLockedError,
  removeStaleLock,
  runLockStatus,
  type RunLockInfo,
} from '../src/lock.js';
import { isProcessAlive, processStartTime } from '../src/liveness.js';

const dirs: string[] = [];
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'mtl-fd-lock-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A pid that just exited (so it is dead, and unlikely to be reused within the test). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', '']);
  return r.pid as number;
}

function writeLock(dir: string, info: Partial<RunLockInfo>): void {
  const full: RunLockInfo = {
    pid: 1,
    host: hostname(),
    owner: 'test',
    startedAt: '2020-01-01T00:00:00.000Z',
    procStart: null,
    nonce: 'feedbeef',
    ...info,
  };
  writeFileSync(join(dir, RUN_LOCK_FILE), JSON.stringify(full));
}

describe('liveness', () => {
  it('knows this process is alive and an exited one is not', () => {
    expect(isProcessAlive(process.pid, processStartTime(process.pid))).toBe(true);
    expect(isProcessAlive(deadPid())).toBe(false);
    expect(isProcessAlive(0)).toBe(false);
    expect(isProcessAlive(-5)).toBe(false);
  });
  it.runIf(process.platform === 'linux')('treats a live pid with another start time as a reused pid', () => {
    const start = processStartTime(process.pid);
    expect(start).toMatch(/^\d+$/);
    expect(isProcessAlive(process.pid, `${start}9`)).toBe(false);
  });
});

describe('acquireRunLock', () => {
  it('creates the lock with pid, host and owner, and release removes it', () => {
    const dir = join(tmp(), 'run-a');
    const release = acquireRunLock(dir, 'trainer one');
    const info = JSON.parse(readFileSync(join(dir, RUN_LOCK_FILE), 'utf8')) as RunLockInfo;
    expect(info.pid).toBe(process.pid);
    expect(info.host).toBe(hostname());
    expect(info.owner).toBe('trainer one');
    expect(runLockStatus(dir)?.state).toBe('live');
    release();
    expect(existsSync(join(dir, RUN_LOCK_FILE))).toBe(false);
    release(); // idempotent
    // no temporary files are left behind
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses a second live writer with a UserError naming the holder', () => {
    const dir = tmp();
    const release = acquireRunLock(dir, 'first');
    let err: unknown;
    try {
      acquireRunLock(dir, 'second');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RunLockedError);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toContain(`pid ${process.pid}`);
    expect((err as Error).message).toContain("'first'");
    expect((err as Error).message).toContain(dir);
    release();
    acquireRunLock(dir, 'second')();
  });

  it('takes over a lock whose process is dead, with a warning', () => {
    const dir = tmp();
    const pid = deadPid();
    writeLock(dir, { pid, owner: 'crashed' });
    expect(runLockStatus(dir)?.state).toBe('stale');
    const warnings: string[] = [];
    const release = acquireRunLock(dir, 'new', { onWarning: (m) => warnings.push(m) });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`pid ${pid}`);
    expect(warnings[0]).toContain('stale');
    const info = JSON.parse(readFileSync(join(dir, RUN_LOCK_FILE), 'utf8')) as RunLockInfo;
    expect(info.owner).toBe('new');
    release();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses a lock held from another host (it cannot be checked)', () => {
    const dir = tmp();
    writeLock(dir, { host: `${hostname()}-elsewhere`, pid: deadPid() });
    expect(runLockStatus(dir)?.state).toBe('foreign');
    expect(() => acquireRunLock(dir, 'x')).toThrow(/another host/);
  });

  it('refuses an unreadable lock file, and clean-up removes it', () => {
    const dir = tmp();
    writeFileSync(join(dir, RUN_LOCK_FILE), '{"pid": "garbage');
    expect(runLockStatus(dir)?.state).toBe('unreadable');
    expect(() => acquireRunLock(dir, 'x')).toThrow(RunLockedError);
    expect(removeStaleRunLock(dir, true).removed).toBe(true);
    expect(existsSync(join(dir, RUN_LOCK_FILE))).toBe(true);
    expect(removeStaleRunLock(dir).removed).toBe(true);
    expect(existsSync(join(dir, RUN_LOCK_FILE))).toBe(false);
  });

  it('removeStaleRunLock leaves a live lock alone', () => {
    const dir = tmp();
    const release = acquireRunLock(dir, 'live');
    expect(removeStaleRunLock(dir)).toMatchObject({ removed: false, status: { state: 'live' } });
    expect(existsSync(join(dir, RUN_LOCK_FILE))).toBe(true);
    release();
    expect(removeStaleRunLock(dir)).toEqual({ status: undefined, removed: false });
  });

  it('a remover that read a stale lock never unlinks the fresh lock that replaced it', () => {
    const dir = tmp();
    writeLock(dir, { pid: deadPid(), owner: 'crashed' });
    const seenStale = runLockStatus(dir);
    expect(seenStale?.state).toBe('stale');
    const release = acquireRunLock(dir, 'a', { onWarning: () => {} }); // takes it over
    const mine = JSON.parse(readFileSync(join(dir, RUN_LOCK_FILE), 'utf8')) as RunLockInfo;
    // a slow contender now acts on what it saw before: the stale lock
    expect(removeStaleLock(join(dir, RUN_LOCK_FILE), seenStale?.info)).toBe(true);
    expect((JSON.parse(readFileSync(join(dir, RUN_LOCK_FILE), 'utf8')) as RunLockInfo).nonce).toBe(mine.nonce);
    release();
  });

  it('only one remover acts at a time: a held takeover makes others stand back', () => {
    const dir = tmp();
    writeLock(dir, { pid: deadPid(), owner: 'crashed' });
    writeFileSync(join(dir, `${RUN_LOCK_FILE}.takeover`), '1\n');
    expect(removeStaleRunLock(dir).removed).toBe(false);
    expect(runLockStatus(dir)?.state).toBe('stale');
  });

  it('release leaves alone a lock that is no longer its own', () => {
    const dir = tmp();
    const release = acquireRunLock(dir, 'a');
    writeLock(dir, { pid: process.pid, nonce: 'someone-else' });
    release();
    expect(existsSync(join(dir, RUN_LOCK_FILE))).toBe(true);
  });
});

// Child processes race for one lock through the built module (npm test builds first).
const builtCapture = builtPackage('@mtl-fd/capture');

/**
 * A child that tries to take the lock at time `goAt` and prints `got` or `refused`; a
 * winner holds the lock until the test closes its stdin, so a late starter cannot
 * slip in after a release.
 */
function contender(dir: string, goAt: number): { result: Promise<string>; done: Promise<void>; finish: () => void } {
  const script = `
    const { acquireRunLock } = await import(${JSON.stringify(builtCapture)});
    while (Date.now() < ${goAt}) {}
    try {
      const release = acquireRunLock(${JSON.stringify(dir)}, 'child ' + process.pid, { onWarning: () => {} });
      process.stdout.write('got');
      process.stdin.on('data', () => {});
      process.stdin.on('end', release);
    } catch (e) {
      process.stdout.write(e.name === 'RunLockedError' ? 'refused' : 'error ' + e.stack);
    }`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  const result = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      resolve(out);
    });
    child.on('error', reject);
    child.on('exit', () => resolve(out));
  });
  const done = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return { result, done, finish: () => child.stdin.end() };
}

async function race(dir: string, n: number): Promise<string[]> {
  const goAt = Date.now() + 1000;
  const children = Array.from({ length: n }, () => contender(dir, goAt));
  const outs = await Promise.all(children.map((c) => c.result));
  for (const c of children) c.finish();
  await Promise.all(children.map((c) => c.done));
  return outs;
}

describe('acquireRunLock across processes', () => {
  it('lets exactly one of several simultaneous writers in', async () => {
    const dir = tmp();
    const outs = await race(dir, 5);
    expect(outs.filter((o) => o === 'got')).toHaveLength(1);
    expect(outs.filter((o) => o === 'refused')).toHaveLength(4);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('lets exactly one of several simultaneous writers take over a stale lock', async () => {
    const dir = tmp();
    writeLock(dir, { pid: deadPid(), owner: 'crashed' });
    const outs = await race(dir, 5);
    expect(outs.filter((o) => o === 'got')).toHaveLength(1);
    expect(outs.filter((o) => o === 'refused')).toHaveLength(4);
    expect(readdirSync(dir)).toEqual([]);
  });
});
