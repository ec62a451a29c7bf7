import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TidyRow } from '@mtl-fd/metrics';
import { writeCaptureRun } from '../../../test/support/runDirs.js';
import { readEventDir } from '../../../test/support/tfEventReader.js';
import { runMtlFd } from './cliProcess.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'mtl-fd-tbcli-'));
  await writeCaptureRun(join(root, 'runs', 'alpha'), { steps: [0, 10, 20, 30] });
  // a dominated task and a dead one (zero gradients: null cosines) give findings and null values
  await writeCaptureRun(join(root, 'runs', 'beta'), { steps: [0, 10, 20, 30], scale: (t) => (t === 'seg' ? 1 : t === 'depth' ? 0 : 1e-6) });
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const tagOf = (r: TidyRow) => ['mtl-fd', r.metric, ...(r.task ? [r.task_b ? `${r.task},${r.task_b}` : r.task] : [])].join('/');

/** (run, tag, step) -> value, from the event files under logdir, read by the test's own reader */
function readBack(logdir: string, runs: string[]) {
  const scalars = new Map<string, number>();
  const texts: { run: string; step: number; text: string }[] = [];
  for (const run of runs) {
    for (const { events } of readEventDir(join(logdir, run))) {
      expect(events[0]!.fileVersion).toBe('brain.Event:2');
      for (const e of events) {
        for (const s of e.scalars) {
          const key = `${run}\n${s.tag}\n${e.step}`;
          expect(scalars.has(key), `${key} written twice`).toBe(false);
          scalars.set(key, s.value);
        }
        for (const t of e.texts) texts.push({ run, step: e.step, text: t.text });
      }
    }
  }
  return { scalars, texts };
}

describe('mtl-fd tensorboard', () => {
  it('writes every non-null row of mtl-fd score as a float32 scalar at its step, findings as text, and appends only new steps', async () => {
    const score = await runMtlFd(['score', join(root, 'runs'), '--format', 'json', '--no-cache']);
    expect(score.code, score.stderr).toBe(0);
    const rows = (JSON.parse(score.stdout.toString()) as { rows: TidyRow[] }).rows;
    const logdir = join(root, 'logs');
    const tb = await runMtlFd(['tensorboard', join(root, 'runs'), '--logdir', logdir]);
    expect(tb.code, tb.stderr).toBe(0);
    const nulls = rows.filter((r) => r.value === null).length;
    expect(nulls).toBeGreaterThan(0);
    expect(tb.stderr).toContain(`${rows.length - nulls} scalar(s)`);
    expect(tb.stderr).toContain(`${nulls} null value(s) skipped`);

    const { scalars, texts } = readBack(logdir, ['alpha', 'beta']);
    for (const r of rows.filter((x) => x.value !== null)) {
      expect(scalars.get(`${r.run}\n${tagOf(r)}\n${r.step}`), `${r.run} ${tagOf(r)} @${r.step}`).toBe(Math.fround(r.value!));
    }
    expect(scalars.size).toBe(rows.length - nulls);

    const findings = await runMtlFd(['diagnose', join(root, 'runs', 'beta'), '--format', 'json']);
    const found = (JSON.parse(findings.stdout.toString()) as { findings: { steps: { from: number }; kind: string }[] }).findings;
    expect(found.length).toBeGreaterThan(0);
    for (const f of found) expect(texts.some((t) => t.run === 'beta' && t.step === f.steps.from && t.text.includes(f.kind))).toBe(true);

    // more captures: a second run writes only the new steps, into a second event file
    await writeCaptureRun(join(root, 'runs', 'alpha'), { steps: [0, 10, 20, 30, 40] });
    const again = await runMtlFd(['tensorboard', join(root, 'runs'), '--logdir', logdir]);
    expect(again.code, again.stderr).toBe(0);
    expect(readEventDir(join(logdir, 'beta'))).toHaveLength(1); // nothing new for beta: no file
    const files = readEventDir(join(logdir, 'alpha'));
    expect(files).toHaveLength(2);
    expect(new Set(files[1]!.events.slice(1).map((e) => e.step))).toEqual(new Set([40]));
    readBack(logdir, ['alpha', 'beta']); // still no (tag, step) twice
  });

  it('needs --logdir, and names a missing run', async () => {
    const r = await runMtlFd(['tensorboard', join(root, 'runs')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--logdir/);
    const m = await runMtlFd(['tensorboard', join(root, 'nope'), '--logdir', join(root, 'l2')]);
    expect(m.code).toBe(2);
    expect(m.stderr).toContain('nope');
  });
});

describe('mtl-fd score --skip-bad', () => {
  it('leaves a bad capture out with one warning; without it the sweep fails', async () => {
    const dir = await writeCaptureRun(join(root, 'bad'), { steps: [0, 10] });
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(dir, 'captures', 'step-00000020.safetensors'), 'not a capture');
    const fails = await runMtlFd(['score', dir, '--no-cache']);
    expect(fails.code).toBe(2);
    const skips = await runMtlFd(['score', dir, '--no-cache', '--skip-bad', '--format', 'json']);
    expect(skips.code, skips.stderr).toBe(0);
    expect(skips.stderr.split('\n').filter((l) => l.includes('step-00000020'))).toHaveLength(1);
    expect(skips.stderr).toContain('1 bad and left out');
    const rows = (JSON.parse(skips.stdout.toString()) as { rows: TidyRow[] }).rows;
    expect(new Set(rows.map((r) => r.step))).toEqual(new Set([0, 10]));
  });
});
