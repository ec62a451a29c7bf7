// A training process writing captures is killed (SIGKILL) at random points, 20
// times: the run directory must stay fully readable, hold only complete captures
// (byte for byte what the writer meant), score like a reference, and be cleanable.
// The child processes run the BUILT package (npm test builds first).
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { captureStepOf, listCaptures, readCapture, runLockStatus } from '@mtl-fd/capture';
import { type TidyRow } from '@mtl-fd/metrics';
import { cleanRun, findLeftovers, listSweep, scoreSweep } from '@mtl-fd/sweep';
import { builtPackage } from '../../../test/support/built.js';
import { childScript } from './childScript.js';


// The child: takes the run lock like a training would, then writes captures
// step after step, each through createCaptureWriter in pieces of 4 rows (a write
// spans many system calls), until it is killed. `reference` mode writes the given
// steps once and exits.
const CHILD = `
import { join } from 'node:path';
const m = await import(${JSON.stringify(builtPackage('@mtl-fd/capture'))});
const { acquireRunLock } = m;
const [mode, runDir, arg] = process.argv.slice(2);
const { SeededRandom } = await import(${JSON.stringify(builtPackage('@mtl-fd/metrics'))});
function rng(seed) {
  const r = SeededRandom.fromState(seed);
  return () => r.next();
}
const tasks = ['seg', 'depth', 'normal'];
const shape = [32, 8, 8, 8];
const rowSize = 8 * 8 * 8;
async function write(step) {
  const r = rng(step + 1);
  const n = shape[0] * rowSize;
  const features = Float32Array.from({ length: n }, () => r() - 0.5);
  const grads = tasks.map((_, i) => Float32Array.from({ length: n }, () => (r() - 0.5) * (i + 1)));
  const losses = Object.fromEntries(tasks.map((t) => [t, 1 / (1 + step) + r()]));
  const file = join(runDir, 'captures', m.captureFileName(step));
  const w = await m.createCaptureWriter(file, { meta: { step, tasks, layout: 'NCHW' }, shape, losses });
  for (let row = 0; row < shape[0]; row += 4) {
    const a = row * rowSize, b = (row + 4) * rowSize;
    await w.writeRows(row, features.subarray(a, b), grads.map((g) => g.subarray(a, b)));
  }
  await w.close();
}
if (mode === 'reference') {
  for (const step of arg.split(',').map(Number)) await write(step);
} else {
  acquireRunLock(runDir, 'kill test writer', { onWarning: () => {} });
  process.stdout.write('ready\\n');
  for (let step = Number(arg); ; step++) await write(step);
}
`;

const child = childScript('mtl-fd-kill-capture-', CHILD);

/** Starts a writer from `from`, kills it `delay` ms after it holds the lock; resolves once it is dead. */
function writeThenKill(runDir: string, from: number, delay: number): Promise<NodeJS.Signals | null> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [child.path, 'write', runDir, String(from)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.stdout.once('data', () => setTimeout(() => p.kill('SIGKILL'), delay));
    p.on('error', reject);
    p.on('exit', (code, signal) => (signal ? resolve(signal) : reject(new Error(`writer exited with ${code}: ${stderr}`))));
  });
}

const RUN_LEVEL = new Set(['loss_ratio', 'rel_rate', 'loss_share', 'dwa']);
const perCapture = (rows: TidyRow[], step: number) =>
  rows.filter((r) => r.step === step && !RUN_LEVEL.has(r.metric)).map((r) => ({ ...r, run: '' }));

describe('killing a capture writer', () => {
  it('leaves only complete, readable captures after 20 SIGKILLs at random points', async () => {
    const runs = [join(child.root, 'run-a'), join(child.root, 'run-b')];
    for (const r of runs) await mkdir(join(r, 'captures'), { recursive: true });
    let kills = 0;
    let partialSeen = 0;
    // two runs side by side, ten kills each
    await Promise.all(
      runs.map(async (runDir) => {
        for (let k = 0; k < 10; k++) {
          const steps = (await listCaptures(runDir)).map((f) => captureStepOf(basename(f))!);
          const from = steps.length ? Math.max(...steps) + 1 : 0;
          expect(await writeThenKill(runDir, from, Math.floor(Math.random() * 200))).toBe('SIGKILL');
          kills++;
          // the directory is readable at once: every listed capture reads, leftovers are only warned about
          for (const f of await listCaptures(runDir)) await readCapture(f);
          const listing = await listSweep([runDir]);
          partialSeen += (await findLeftovers(join(runDir, 'captures'))).length;
          expect(listing.warnings.every((w) => w.includes('partial file(s) left by interrupted writes'))).toBe(true);
          // the dead writer's lock is stale: the next writer takes it over
          expect(runLockStatus(runDir)?.state).toBe('stale');
        }
      }),
    );
    expect(kills).toBe(20);
    // some kills must have hit a write in progress, or this test proves little
    expect(partialSeen).toBeGreaterThan(0);

    // every complete capture is byte for byte the one the writer meant
    const refDir = join(child.root, 'reference');
    await mkdir(join(refDir, 'captures'), { recursive: true });
    const allSteps = new Set<number>();
    for (const r of runs) for (const f of await listCaptures(r)) allSteps.add(captureStepOf(basename(f))!);
    expect(allSteps.size).toBeGreaterThan(0);
    const ref = await child.run(['reference', refDir, [...allSteps].join(',')]);
    expect(ref.code, ref.stderr).toBe(0);
    for (const r of runs) {
      for (const f of await listCaptures(r)) {
        expect(Buffer.compare(await readFile(f), await readFile(join(refDir, 'captures', basename(f))))).toBe(0);
      }
    }

    // a fresh score succeeds and scores each capture like the reference
    const reference = await scoreSweep([refDir], {}, { workers: 0, cache: false });
    for (const r of runs) {
      const got = await scoreSweep([r], {}, { workers: 0, cache: false });
      for (const f of await listCaptures(r)) {
        const step = captureStepOf(basename(f))!;
        expect(perCapture(got.rows, step)).toEqual(perCapture(reference.rows, step));
      }
    }

    // clean removes what the kills left, and the lock; nothing else
    for (const r of runs) {
      const before = (await readdir(join(r, 'captures'))).filter((n) => captureStepOf(n) !== undefined).sort();
      const report = await cleanRun(r);
      expect(report.skipped).toBeUndefined();
      expect(await findLeftovers(r, true)).toEqual([]);
      expect(runLockStatus(r)).toBeUndefined();
      expect((await readdir(join(r, 'captures'))).sort()).toEqual(before);
      expect((await listSweep([r])).warnings).toEqual([]);
    }
  }, 180_000);
});
