import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCapture, listCaptures } from '@mtl-fd/capture';
import { UsageError } from '../src/args.js';
import { parseDemoOptions } from '../src/commands/demo.js';
import { PATHOLOGIES } from '../src/demo/zoo/pathologies.js';
import { MTL_FD_BIN, runMtlFd } from './cliProcess.js';

// The small zoo, end to end through the built binary: every pathology on real
// MultiMNIST at sizes that train in seconds, and healthy runs over 5 seeds.
const SMALL = ['--train-size', '256', '--test-size', '64', '--probe-size', '16', '--batch-size', '16', '--epochs', '5', '--jobs', '2'];

interface ZooRun {
  run: string;
  healthy: boolean;
  ok: boolean;
  steps: { from: number; to: number };
  expected: { expectation: { kind: string; tasks: string[] }; from: number; hit: { kind: string; tasks: string[]; steps: { from: number; to: number } } | null }[];
  findings: { kind: string; severity: string; tasks: string[] }[];
}

let tmp: string;
let out: string;
let code: number | null;
let stdout: string;
let stderr: string;
let zoo: { format: string; view: string; recall: { hit: number; of: number }; false_alarms: { runs: number; of: number }; runs: ZooRun[] };

beforeAll(async () => {
  if (!existsSync(MTL_FD_BIN)) throw new Error(`${MTL_FD_BIN} is missing: run \`npm run build\` first`);
  tmp = await mkdtemp(join(tmpdir(), 'mtl-fd-zoo-test-'));
  out = join(tmp, 'zoo');
  // and, beside it, the demo's own ew run at seed 2 with the same sizes: the zoo's healthy-s2 must be that run
  const [ran, ew] = await Promise.all([
    runMtlFd(['demo', '--zoo', '--out', out, ...SMALL], { env: { MTL_FD_BACKEND: '' } }),
    runMtlFd(['demo', '--out', join(tmp, 'ew2'), ...SMALL, '--jobs', '1', '--methods', 'ew', '--seed', '2', '--no-baselines', '--no-report'], { env: { MTL_FD_BACKEND: '' } }),
  ]);
  expect(ew.code, ew.stderr).toBe(0);
  ({ code, stderr } = ran);
  stdout = ran.stdout.toString();
  zoo = JSON.parse(await readFile(join(out, 'zoo.json'), 'utf8'));
}, 240_000);
afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('mtl-fd demo --zoo (small)', () => {
  it('exits 0 and prints the table with recall 100% and no false alarm', () => {
    expect(stderr).not.toMatch(/internal error/);
    expect(code, stderr).toBe(0);
    expect(stdout).toContain(`Recall ${PATHOLOGIES.length}/${PATHOLOGIES.length} pathology runs; false alarms on 0/6 healthy runs.`);
    for (const p of PATHOLOGIES) expect(stdout).toMatch(new RegExp(`^${p.name}\\s+.*\\shit$`, 'm'));
    expect(stdout).toMatch(/^healthy-s5\s+healthy\s+.*\squiet$/m);
    expect(stdout).toContain(`Report: ${join(out, 'report', 'index.html')}`);
  });

  it('flags every pathology with its kind and task, from its onset through the last capture', () => {
    expect(zoo.format).toBe('mtl-fd/demo-zoo@1');
    expect(zoo.view).toBe('weighted');
    expect(zoo.recall).toEqual({ hit: PATHOLOGIES.length, of: PATHOLOGIES.length });
    for (const p of PATHOLOGIES) {
      const run = zoo.runs.find((r) => r.run === p.name)!;
      expect(run.ok, `${p.name}: ${JSON.stringify(run.findings)}`).toBe(true);
      for (const x of run.expected) {
        expect(x.hit!.kind).toBe(x.expectation.kind);
        expect(x.hit!.steps.from).toBeLessThanOrEqual(x.from);
        expect(x.hit!.steps.to).toBe(run.steps.to);
      }
    }
  });

  it('raises no warning or critical finding on the healthy runs (5 seeds and the float16 run\'s float32 twin)', () => {
    const healthy = zoo.runs.filter((r) => r.healthy);
    expect(healthy.map((r) => r.run).sort()).toEqual(['float32-twin', 'healthy-s1', 'healthy-s2', 'healthy-s3', 'healthy-s4', 'healthy-s5']);
    expect(zoo.false_alarms).toEqual({ runs: 0, of: 6 });
    for (const r of healthy) expect(r.findings.filter((f) => f.severity !== 'info'), r.run).toEqual([]);
  });

  it('trains a healthy run at its own seed exactly as the demo trains ew at that seed', async () => {
    const table = async (file: string, run: string) =>
      (await readFile(file, 'utf8'))
        .trim()
        .split('\n')
        .filter((l) => l.startsWith(`${run},`))
        .map((l) => l.slice(run.length + 1))
        .sort();
    const zooRows = await table(join(out, 'metrics.csv'), 'healthy-s2');
    expect(zooRows.length).toBeGreaterThan(100);
    expect(zooRows).toEqual(await table(join(tmp, 'ew2', 'metrics.csv'), 'ew'));
  });

  it('records what the pathology did in the captures: the weights applied, float16 storage at real gradient scale', async () => {
    const [starved] = await listCaptures(join(out, 'runs', 'starved'));
    expect((await readCapture(starved!)).weights).toEqual({ left: 100, right: 1, sum: 1 });
    const [half] = await listCaptures(join(out, 'runs', 'float16'));
    const [twin] = await listCaptures(join(out, 'runs', 'float32-twin'));
    const h = await readCapture(half!);
    const t = await readCapture(twin!);
    expect([h.dtype, t.dtype]).toEqual(['F16', 'F32']);
    // the whole training set (256) as the probe, the same batch for both
    expect(h.shape[0]).toBe(256);
    expect(t.shape).toEqual(h.shape);
  });
});

describe('demo --zoo options', () => {
  it('has its own output directory and 5 healthy seeds; method options do not apply', () => {
    expect(parseDemoOptions(['--zoo'], '/w')).toMatchObject({ zoo: true, out: '/w/mtl-fd-zoo', seeds: 5 });
    expect(parseDemoOptions(['--zoo', '--seeds', '2'], '/w').seeds).toBe(2);
    expect(parseDemoOptions([], '/w')).toMatchObject({ zoo: false, out: '/w/mtl-fd-demo', seeds: 1 });
    for (const args of [['--methods', 'ew'], ['--at', 'final'], ['--no-baselines']]) {
      expect(() => parseDemoOptions(['--zoo', ...args], '/w'), args.join(' ')).toThrow(UsageError);
    }
  });
});
