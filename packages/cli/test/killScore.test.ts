// A scoring process (worker threads, cache on) is killed (SIGKILL) at random points,
// 20 times: the cache must hold only whole entries, and a fresh score must give
// exactly the reference rows. The child processes run the BUILT package.
import { beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { cp, mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { captureFileName, writeCapture, type CaptureData } from '@mtl-fd/capture';
import { cleanRun, findLeftovers, scoreSweep } from '@mtl-fd/sweep';
import { builtPackage } from '../../../test/support/built.js';
import { childScript } from './childScript.js';


// The child: scores the sweep with 2 workers into a shared cache dir, says when it
// starts and when it is done.
const CHILD = `
const m = await import(${JSON.stringify(builtPackage('@mtl-fd/sweep'))});
const [cache, ...runs] = process.argv.slice(2);
process.stdout.write('ready\\n');
await m.scoreSweep(runs, { granularity: 'channel' }, { workers: 2, cache });
process.stdout.write('done\\n');
`;

const child = childScript('mtl-fd-kill-score-', CHILD);
const runs: string[] = [];

function capture(step: number, seed: number): CaptureData {
  const shape = [8, 4, 4, 4];
  const n = shape.reduce((a, b) => a * b, 1);
  let s = seed;
  const next = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) - 0.5;
  const tasks = ['seg', 'depth', 'normal'];
  return {
    meta: { step, tasks, layout: 'NCHW' },
    shape,
    features: Float64Array.from({ length: n }, next),
    grads: Object.fromEntries(tasks.map((t) => [t, Float64Array.from({ length: n }, next)])),
    losses: Object.fromEntries(tasks.map((t) => [t, 1 + next()])),
  };
}

beforeAll(async () => {
  for (const name of ['mgda', 'pcgrad', 'uw']) {
    const run = join(child.root, 'sweep', name);
    await mkdir(join(run, 'captures'), { recursive: true });
    for (let step = 0; step < 8; step++) {
      await writeCapture(join(run, 'captures', captureFileName(step * 10)), capture(step * 10, step * 7 + name.length));
    }
    runs.push(run);
  }
});

/** Runs the scoring child; kills it `delay` ms after it starts unless it is done first. */
function scoreThenKill(cache: string, delay: number | undefined): Promise<{ killed: boolean; ms: number }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [child.path, cache, ...runs], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let stderr = '';
    let started = 0;
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (!started && out.includes('ready')) {
        started = performance.now();
        if (delay !== undefined) setTimeout(() => p.kill('SIGKILL'), delay);
      }
    });
    p.on('error', reject);
    p.on('exit', (code, signal) => {
      const ms = performance.now() - started;
      // a kill that lands after 'done' (while the process exits) interrupted nothing
      if (signal === 'SIGKILL') resolve({ killed: !out.includes('done'), ms });
      else if (code === 0) resolve({ killed: false, ms });
      else reject(new Error(`scorer exited with ${code ?? signal}: ${stderr}`));
    });
  });
}

describe('killing a scoring process', () => {
  it('leaves a cache that only ever speeds up a later score, after 20 SIGKILLs at random points', async () => {
    const options = { granularity: 'channel' } as const;
    const reference = await scoreSweep(runs, options, { workers: 0, cache: false });
    // how long a cold run takes, so the kills spread over all of it
    const full = await scoreThenKill(join(child.root, 'cache-probe'), undefined);
    expect(full.killed).toBe(false);
    const span = Math.max(50, full.ms);

    let kills = 0;
    let rounds = 0;
    // two scorers side by side, each with its own cache, until 20 kills landed mid-run
    await Promise.all(
      ['lane-a', 'lane-b'].map(async (lane) => {
        const cache = join(child.root, lane);
        while (kills < 20 && rounds < 80) {
          rounds++;
          const r = await scoreThenKill(cache, Math.random() * span);
          if (r.killed) kills++;
          // check a copy, so the next kill again finds work half done
          const check = join(child.root, `${lane}-check-${rounds}`);
          await cp(cache, check, { recursive: true }).catch(() => mkdir(check, { recursive: true }));
          const entries = (await readdir(check)).filter((n) => n.endsWith('.json') && !n.startsWith('.'));
          const again = await scoreSweep(runs, options, { workers: 0, cache: check });
          expect(again.rows).toEqual(reference.rows);
          expect(again.warnings).toEqual(reference.warnings);
          // every entry the killed scorer left is whole and was used (a damaged one would be a miss)
          expect(again.stats.cached).toBe(entries.length);
          await rm(check, { recursive: true, force: true });
          // forget about half the entries, so the next scorer has work to do
          for (const e of entries) if (Math.random() < 0.5) await rm(join(cache, e), { force: true });
        }
      }),
    );
    expect(kills).toBeGreaterThanOrEqual(20);

    // clean removes the partial entries the kills left in the shared caches
    for (const lane of ['lane-a', 'lane-b']) {
      await cleanRun(runs[0]!, { cacheDir: join(child.root, lane) });
      expect(await findLeftovers(join(child.root, lane))).toEqual([]);
    }
  }, 180_000);
});
