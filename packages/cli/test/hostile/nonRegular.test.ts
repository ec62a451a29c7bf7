// Hostile input, item 8: a FIFO or a device where a capture should be is refused by
// `score` and `clean` with a one-line error, never read (opening a FIFO for reading
// used to wait for a writer forever). The CLI runs as a child with a timeout, so a
// hang fails the test instead of stalling it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureFileName } from '@mtl-fd/capture';
import { runMtlFd } from '../cliProcess.js';

const TIMEOUT_MS = 15_000;
let root = '';
let fifo = '';
let run = '';

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'mtl-fd-hostile-fifo-'));
  fifo = join(root, 'step.safetensors');
  execFileSync('mkfifo', [fifo]);
  // a run whose only capture is a link to the FIFO (listing counts links as captures)
  run = join(root, 'run');
  await mkdir(join(run, 'captures'), { recursive: true });
  await symlink(fifo, join(run, 'captures', captureFileName(1)));
});
afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

describe('non-regular files where a capture should be', () => {
  it.each([
    ['score of a FIFO, no cache', () => ['score', fifo, '--no-cache', '--workers', '0'], () => fifo],
    ['score of a FIFO, cache on (hashing)', () => ['score', fifo, '--workers', '0'], () => fifo],
    ['score of a run whose capture links to a FIFO', () => ['score', run, '--workers', '1'], () => join(run, 'captures', captureFileName(1))],
  ])('%s: refused with exit 2, no hang', async (_name, args, file) => {
    // before: blocked in open() until killed by the timeout
    const r = await runMtlFd(args(), { timeoutMs: TIMEOUT_MS });
    expect(r.signal).toBeNull();
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(`mtl-fd score: ${file()}: is a FIFO, not a capture file`);
    expect(r.stdout.length).toBe(0);
  }, 30_000);

  it('score of a character device is refused', async () => {
    const r = await runMtlFd(['score', '/dev/null', '--no-cache', '--workers', '0'], { timeoutMs: TIMEOUT_MS });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('mtl-fd score: /dev/null: is a character device, not a capture file');
  }, 30_000);

  it('clean of a run whose capture links to a FIFO keeps it, says so, and ends', async () => {
    // before: blocked hashing the FIFO until killed by the timeout
    const r = await runMtlFd(['clean', run], { timeoutMs: TIMEOUT_MS });
    expect(r.signal).toBeNull();
    expect(r.code).toBe(0);
    expect(r.stdout.toString()).toContain(`kept ${join(run, 'captures', captureFileName(1))} (is a FIFO, not a capture file)`);
  }, 30_000);
});
