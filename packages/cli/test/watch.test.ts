// mtl-fd watch against a training that is still writing: a child process writes
// captures one by one (one of them byte by byte, in place, as a foreign writer might),
// then marks the run finished. The watch must end by itself with the same tables as a
// one-shot score, a report, event files without a (tag, step) twice, and each capture
// scored once. The child and the CLI run BUILT packages (npm test builds first).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TidyRow } from '@mtl-fd/metrics';
import { builtPackage } from '../../../test/support/built.js';
import { readEventDir } from '../../../test/support/tfEventReader.js';
import { childScript } from './childScript.js';
import { MTL_FD_BIN, runMtlFd } from './cliProcess.js';

const CHILD = `
import { appendFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
const { writeCapture, writeFileAtomic, captureFileName } = await import(${JSON.stringify(builtPackage('@mtl-fd/capture'))});
const [runDir, slowStep, finish] = process.argv.slice(2);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const tasks = ['seg', 'depth'];
const shape = [2, 3, 4];
const manifest = { format: 'mtl-fd/run@1', run: 'live', createdAt: new Date().toISOString() };
mkdirSync(join(runDir, 'captures'), { recursive: true });
await writeFileAtomic(join(runDir, 'run.json'), JSON.stringify(manifest));
let seed = 7;
const next = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296 - 0.5);
for (const [k, step] of [0, 10, 20, 30, 40].entries()) {
  const data = {
    meta: { step, tasks, layout: 'NLC' },
    shape,
    features: Float32Array.from({ length: 24 }, next),
    grads: Object.fromEntries(tasks.map((t, i) => [t, Float32Array.from({ length: 24 }, () => next() * (i + 1))])),
    losses: Object.fromEntries(tasks.map((t, i) => [t, (1 + i) / (1 + k)])),
  };
  const file = join(runDir, 'captures', captureFileName(step));
  if (step === Number(slowStep)) {
    const scratch = join(runDir, '..', 'scratch.safetensors');
    await writeCapture(scratch, data);
    const bytes = readFileSync(scratch);
    rmSync(scratch);
    for (let i = 0; i < bytes.length; i++) {
      appendFileSync(file, bytes.subarray(i, i + 1));
      if (i % 8 === 0) await sleep(1);
    }
  } else await writeCapture(file, data);
  await sleep(400);
}
if (finish === 'finish') await writeFileAtomic(join(runDir, 'run.json'), JSON.stringify({ ...manifest, finishedAt: new Date().toISOString() }));
`;

const child = childScript('mtl-fd-watch-', CHILD);

function watchProcess(args: string[]) {
  const p = spawn(process.execPath, [MTL_FD_BIN, 'watch', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => p.on('exit', (code) => resolve(code)));
  return { p, exited, out: () => ({ stdout, stderr }) };
}

const rowsOf = async (file: string) => JSON.parse(await readFile(file, 'utf8')) as { options: object; rows: TidyRow[] };

describe('mtl-fd watch', () => {
  it('follows a run while it is written, ends when it finishes, with the one-shot tables, a report and event files', async () => {
    const runs = join(child.root, 'runs');
    const runDir = join(runs, 'live');
    const report = join(child.root, 'report');
    const logdir = join(child.root, 'logs');
    // the run directory does not exist yet when the watch starts
    const watch = watchProcess([runs, '--out', report, '--tensorboard', logdir, '--interval', '0.05', '--workers', '0']);
    const writer = await child.run([runDir, '20', 'finish']);
    expect(writer.code, writer.stderr).toBe(0);
    const code = await watch.exited;
    const { stdout, stderr } = watch.out();
    expect(code, stderr).toBe(0);
    expect(stderr).toContain('stopped (every run finished): 5 capture(s), 5 scoring(s) by this watch');
    expect(stderr).not.toMatch(/warning|error/i);

    const oneShot = await runMtlFd(['score', runDir, '--format', 'json', '--no-cache']);
    expect(oneShot.code, oneShot.stderr).toBe(0);
    const expected = JSON.parse(oneShot.stdout.toString()) as { options: object; rows: TidyRow[] };
    expect(await rowsOf(join(runDir, 'metrics.json'))).toEqual(expected);
    expect(existsSync(join(report, 'index.html'))).toBe(true);

    const seen = new Map<string, number>();
    for (const { events } of readEventDir(join(logdir, 'live'))) {
      for (const e of events) for (const s of e.scalars) seen.set(`${s.tag}@${e.step}`, (seen.get(`${s.tag}@${e.step}`) ?? 0) + 1);
    }
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
    expect(seen.size).toBe(expected.rows.filter((r) => r.value !== null).length);
    // it published while the run was still being written, not only at the end
    expect(stderr).toMatch(/\b[1-4] capture\(s\) of 1 run\(s\) scored so far/);
    for (const line of stdout.split('\n').filter(Boolean)) expect(line).toMatch(/^live: (info|warning|critical) /); // findings only
  }, 60_000);

  it('stops on Ctrl-C (SIGINT) with everything written', async () => {
    const runDir = join(child.root, 'unfinished', 'live');
    const writer = await child.run([runDir, '-1', 'no']);
    expect(writer.code, writer.stderr).toBe(0);
    const watch = watchProcess([runDir, '--interval', '0.05', '--workers', '0']);
    for (let i = 0; i < 400 && !existsSync(join(runDir, 'metrics.json')); i++) await new Promise((r) => setTimeout(r, 50));
    watch.p.kill('SIGINT');
    const code = await watch.exited;
    expect(code, watch.out().stderr).toBe(0);
    expect(watch.out().stderr).toContain('stopped (interrupted): 5 capture(s)');
    expect((await rowsOf(join(runDir, 'metrics.json'))).rows.length).toBeGreaterThan(0);
  }, 60_000);
});
