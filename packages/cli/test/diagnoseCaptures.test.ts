import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiagnoseReport } from '@mtl-fd/diagnose';
import { runCli } from '../src/cli.js';
import { bufferIO } from '../../../test/support/bufferIO.js';
import { writeCaptureRun } from '../../../test/support/runDirs.js';

let root: string;
beforeAll(async () => void (root = await mkdtemp(join(tmpdir(), 'mtl-fd-diagnose-captures-'))));
afterAll(async () => rm(root, { recursive: true, force: true }));


async function diagnoseJson(...args: string[]) {
  const io = bufferIO();
  const code = await runCli(['diagnose', '--format', 'json', ...args], io);
  return { code, report: JSON.parse(io.out) as DiagnoseReport, err: io.err };
}

describe('mtl-fd diagnose on captures (real scoring path)', () => {
  it('finds nothing in a balanced run', async () => {
    const dir = await writeCaptureRun(join(root, 'balanced'));
    const { code, report, err } = await diagnoseJson(dir);
    expect(report.findings).toEqual([]);
    expect(code).toBe(0);
    expect(err).toContain('scoring its 8 capture(s)');
  });

  it('reports a dead task when one head\'s gradient is exactly zero from a step on, and exits 3', async () => {
    const dir = await writeCaptureRun(join(root, 'dead-head'), { scale: (t, step) => (t === 'depth' && step >= 300 ? 0 : 1e-2) });
    const { code, report } = await diagnoseJson(dir);
    expect(code).toBe(3);
    const dead = report.findings.filter((f) => f.kind === 'dead_task');
    expect(dead.map((f) => [f.severity, f.run, f.tasks, f.steps])).toEqual([['critical', 'dead-head', ['depth'], { from: 300, to: 700 }]]);
    expect(dead[0]!.evidence).toContainEqual({ metric: 'grad_norm', task: 'depth', step: 300, value: 0 });
    expect(dead[0]!.evidence).toContainEqual({ metric: 'fd_task', task: 'depth', step: 300, value: null });
    // the infinite cond, zero share and FD rise it causes are not reported as other problems
    expect(report.findings.map((f) => f.kind)).toEqual(['dead_task']);
  });

  it('reports float16 underflow from the capture scan, exit 1, and not with --no-scan', async () => {
    const dir = await writeCaptureRun(join(root, 'amp'), { dtype: 'F16', scale: () => 2e-6 });
    const { code, report } = await diagnoseJson(dir);
    expect(code).toBe(1);
    expect(report.findings.map((f) => [f.kind, f.run, f.tasks, f.steps])).toEqual([
      ['numerical_hazard', 'amp', ['depth'], { from: 0, to: 700 }],
      ['numerical_hazard', 'amp', ['normal'], { from: 0, to: 700 }],
      ['numerical_hazard', 'amp', ['seg'], { from: 0, to: 700 }],
    ]);
    const quiet = await diagnoseJson('--no-scan', dir);
    expect(quiet.report.findings).toEqual([]);
    expect(quiet.code).toBe(0);
  });

  it('finds no hazard in float16 captures at a healthy scale', async () => {
    const dir = await writeCaptureRun(join(root, 'f16-ok'), { dtype: 'F16', scale: () => 1e-2 });
    expect((await diagnoseJson(dir)).report.findings).toEqual([]);
  });
});
