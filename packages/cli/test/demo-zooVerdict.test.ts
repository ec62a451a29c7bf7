import { describe, expect, it } from 'vitest';
import type { Finding } from '@mtl-fd/diagnose';
import { healthyEntry, PATHOLOGIES } from '../src/demo/zoo/pathologies.js';
import { meets, zooScore, zooVerdict } from '../src/demo/zoo/zooVerdict.js';

const finding = (over: Partial<Finding>): Finding => ({
  kind: 'dead_task',
  severity: 'critical',
  run: 'dead-head',
  tasks: ['sum'],
  steps: { from: 20, to: 50 },
  evidence: [],
  message: '',
  advice: '',
  ...over,
});
const STEPS = [0, 10, 20, 30, 40, 50];
const dead = PATHOLOGIES.find((p) => p.name === 'dead-head')!;
const starved = PATHOLOGIES.find((p) => p.name === 'starved')!;

describe('zoo verdicts', () => {
  it('a hit is the expected kind and task, at warning or above, from no later than the onset through the last capture', () => {
    const e = { kind: 'dead_task' as const, tasks: ['sum' as const], fromEpoch: 2 };
    expect(meets(finding({}), e, 20, 50)).toBe(true);
    expect(meets(finding({ steps: { from: 30, to: 50 } }), e, 20, 50), 'starts too late').toBe(false);
    expect(meets(finding({ steps: { from: 20, to: 40 } }), e, 20, 50), 'ends before the last capture').toBe(false);
    expect(meets(finding({ tasks: ['left'] }), e, 20, 50), 'another task').toBe(false);
    expect(meets(finding({ kind: 'starved_task' }), e, 20, 50), 'another kind').toBe(false);
    expect(meets(finding({ severity: 'info' }), e, 20, 50), 'info is no hit').toBe(false);
    // starved_task names [starved, dominant]: the first task decides
    const s = { kind: 'starved_task' as const, tasks: ['right' as const], fromEpoch: 0 };
    expect(meets(finding({ kind: 'starved_task', severity: 'warning', tasks: ['right', 'left'], steps: { from: 0, to: 50 } }), s, 0, 50)).toBe(true);
    expect(meets(finding({ kind: 'starved_task', severity: 'warning', tasks: ['left', 'right'], steps: { from: 0, to: 50 } }), s, 0, 50)).toBe(false);
    // a pair needs both tasks, in any order; [] takes any task
    const c = { kind: 'gradient_conflict' as const, tasks: ['left' as const, 'right' as const], fromEpoch: 0 };
    expect(meets(finding({ kind: 'gradient_conflict', severity: 'warning', tasks: ['right', 'left'], steps: { from: 0, to: 50 } }), c, 0, 50)).toBe(true);
    expect(meets(finding({ kind: 'gradient_conflict', severity: 'warning', tasks: ['left', 'sum'], steps: { from: 0, to: 50 } }), c, 0, 50)).toBe(false);
    expect(meets(finding({ kind: 'numerical_hazard', severity: 'warning', tasks: ['left'], steps: { from: 0, to: 50 } }), { kind: 'numerical_hazard', tasks: [], fromEpoch: 0 }, 0, 50)).toBe(true);
  });

  it('a pathology run is right when every expectation is hit; a healthy run when it raised nothing above info', () => {
    const hit = zooVerdict(dead, [finding({}), finding({ run: 'other', tasks: ['left'] })], STEPS, 10);
    expect(hit.ok).toBe(true);
    expect(hit.findings).toHaveLength(1);
    expect(hit.expected[0]!.from).toBe(20);
    expect(hit.steps).toEqual({ from: 0, to: 50 });
    const half = zooVerdict(starved, [finding({ run: 'starved', kind: 'starved_task', severity: 'warning', tasks: ['right', 'left'], steps: { from: 0, to: 50 } })], STEPS, 10);
    expect(half.ok, 'sum is not flagged').toBe(false);
    expect(half.expected.map((x) => x.hit !== null)).toEqual([true, false]);
    const healthy = healthyEntry(3);
    const quiet = zooVerdict(healthy, [finding({ run: 'healthy-s3', kind: 'conflict_spike', severity: 'info' })], STEPS, 10);
    const alarm = zooVerdict(healthy, [finding({ run: 'healthy-s3', kind: 'lagging_task', severity: 'warning' })], STEPS, 10);
    expect([quiet.ok, alarm.ok]).toEqual([true, false]);
    expect(zooScore([hit, half, quiet, alarm])).toEqual({ recall: { hit: 1, of: 2 }, falseAlarms: { runs: 1, of: 2 } });
  });

  it('every pathology has an expectation and a distinct name; healthy runs have none', () => {
    expect(new Set(PATHOLOGIES.map((p) => p.name)).size).toBe(PATHOLOGIES.length);
    for (const p of PATHOLOGIES) expect(p.expect.length, p.name).toBeGreaterThan(0);
    expect(healthyEntry(1).expect).toEqual([]);
  });
});
