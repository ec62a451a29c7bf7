import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DIAGNOSE_OPTIONS, type DiagnoseReport } from '@mtl-fd/diagnose';
import { runCli } from '../src/cli.js';
import { syntheticRun } from '../../../test/support/syntheticRun.js';
import { bufferIO } from '../../../test/support/bufferIO.js';
import { writeWeightedRun } from './scoreHelpers.js';
import { writeTableRun } from '../../../test/support/runDirs.js';

let root: string;
beforeAll(async () => void (root = await mkdtemp(join(tmpdir(), 'mtl-fd-diagnose-cli-'))));
afterAll(async () => rm(root, { recursive: true, force: true }));


async function diagnoseCli(...args: string[]) {
  const io = bufferIO();
  const code = await runCli(['diagnose', ...args], io);
  return { code, out: io.out, err: io.err };
}

const conflicted = () => syntheticRun({ run: 'conflicted', edit: (s, k) => void (k >= 4 && (s.cos['seg|depth'] = -0.4)) });
const deadDepth = () => syntheticRun({ run: 'dead', edit: (s, k) => void (k >= 6 && (s.norms.depth = 0)) });

describe('mtl-fd diagnose on metrics tables', () => {
  it('exits 0 and says so when a healthy run has no findings', async () => {
    const dir = await writeTableRun(join(root, 'healthy'), syntheticRun({ run: 'healthy' }));
    const { code, out, err } = await diagnoseCli(dir);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toBe("view: unweighted (each task's own gradient; --weighted for w_t * g_t)\nrun healthy: no findings\n\n1 run, 0 findings: 0 critical, 0 warning, 0 info\n");
  });

  it('exits 1 with warnings only, from metrics.csv', async () => {
    const dir = await writeTableRun(join(root, 'conflicted'), conflicted(), 'csv');
    const { code, out } = await diagnoseCli(dir);
    expect(code).toBe(1);
    expect(out).toContain('WARNING gradient_conflict [seg, depth], steps 400..1000 (chart: pairwise)');
  });

  it('exits 3 with a critical finding, and lists every run given', async () => {
    const dead = await writeTableRun(join(root, 'dead'), deadDepth());
    const healthy = join(root, 'healthy');
    const { code, out } = await diagnoseCli(healthy, dead);
    expect(code).toBe(3);
    expect(out.indexOf('run healthy: no findings')).toBeLessThan(out.indexOf('run dead: 1 finding (1 critical'));
    expect(out).toContain('CRITICAL dead_task [depth], steps 600..1000');
  });

  it('prints the documented JSON envelope with the thresholds used', async () => {
    const { code, out } = await diagnoseCli('--format', 'json', '--conflict-min-captures', '5', join(root, 'conflicted', 'metrics.csv'));
    expect(code).toBe(1);
    const report = JSON.parse(out) as DiagnoseReport;
    expect(report.version).toBe(2);
    expect(report.view).toBe('unweighted');
    expect(report.options).toEqual({ ...DEFAULT_DIAGNOSE_OPTIONS, conflictMinCaptures: 5 });
    expect(report.findings.map((f) => [f.kind, f.severity, f.run, f.tasks, f.steps, f.chart])).toEqual([
      ['gradient_conflict', 'warning', 'conflicted', ['seg', 'depth'], { from: 400, to: 1000 }, 'pairwise'],
    ]);
  });

  it('applies threshold flags', async () => {
    const { code, out } = await diagnoseCli('--conflict-min-captures', '8', join(root, 'conflicted'));
    expect(code).toBe(0);
    expect(out).toContain('run conflicted: no findings');
  });

  it('sets the process exit code of the built binary (what a training script or CI gates on)', async () => {
    const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));
    const status = await new Promise<number | null>((done) => execFile(process.execPath, [main, 'diagnose', join(root, 'dead')]).on('exit', done));
    expect(status).toBe(3);
  });

  it('gives every threshold a flag in --help, with its default', async () => {
    const io = bufferIO();
    expect(await runCli(['diagnose', '--help'], io)).toBe(0);
    expect(io.out).toContain('--dead-norm-fraction <x>');
    expect(io.out).toMatch(/--cond-max <x> .* \[100\]/);
    expect(io.out).toMatch(/--conflict-min-captures <n> .* \[3\]/);
  });
});

describe('mtl-fd diagnose errors: one line, exit 2', () => {
  const oneLine = (err: string) => expect(err.trimEnd().split('\n')).toHaveLength(1);

  it('without any run', async () => {
    const r = await diagnoseCli();
    expect(r.code).toBe(2);
    oneLine(r.err);
  });

  it('for a path that does not exist', async () => {
    const r = await diagnoseCli(join(root, 'nope'));
    expect(r.code).toBe(2);
    oneLine(r.err);
    expect(r.err).toContain('nope: no such file or directory');
  });

  it('for a directory with nothing to diagnose', async () => {
    const r = await diagnoseCli(root);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/no metrics\.json, metrics\.csv or captures/);
  });

  it('for a bad threshold or format', async () => {
    for (const args of [['--cond-max', 'big'], ['--cond-max', '0.5'], ['--conflict-min-captures', '2.5'], ['--format', 'xml'], ['--frobnicate']]) {
      const r = await diagnoseCli(...args, join(root, 'healthy'));
      expect(r.code, args.join(' ')).toBe(2);
      oneLine(r.err);
    }
  });

  it('for a malformed metrics table, naming the file', async () => {
    const bad = join(root, 'bad.json');
    await writeFile(bad, '{"rows": 3}');
    const r = await diagnoseCli(bad);
    expect(r.code).toBe(2);
    oneLine(r.err);
    expect(r.err).toContain('bad.json');
  });

  it('when two arguments bring the same run', async () => {
    const r = await diagnoseCli(join(root, 'healthy'), join(root, 'healthy', 'metrics.json'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/run 'healthy' comes from both/);
  });
});

describe('mtl-fd diagnose --weighted', () => {
  it('reads w_t * g_t from the captures: a 100:1 weighting starves the light task only in the weighted view', async () => {
    const dir = join(root, 'weighted-run');
    await writeWeightedRun(dir, 'w100', [0, 100, 200, 300]);
    const plain = await diagnoseCli('--format', 'json', '--no-scan', dir);
    const plainReport = JSON.parse(plain.out) as DiagnoseReport;
    expect(plainReport.view).toBe('unweighted');
    expect(plainReport.findings.filter((f) => f.kind === 'starved_task')).toEqual([]);
    const weighted = await diagnoseCli('--format', 'json', '--no-scan', '--weighted', dir);
    const report = JSON.parse(weighted.out) as DiagnoseReport;
    expect(report.view).toBe('weighted');
    expect(report.findings.filter((f) => f.kind === 'starved_task').map((f) => f.tasks)).toEqual([['light', 'heavy']]);
    expect(weighted.code).toBe(1);
    const text = await diagnoseCli('--no-scan', '--weighted', dir);
    expect(text.out.split('\n')[0]).toBe('view: weighted (w_t * g_t, the gradients the shared layers receive)');
  });
});
