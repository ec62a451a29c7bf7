import { describe, expect, it } from 'vitest';
import { detectNumericalHazards } from '../../src/hazard/numericalHazard.js';
import { countUnderflow, MIN_NORMAL, type CaptureUnderflowScan } from '../../src/hazard/underflowCount.js';

const scan = (step: number, depth: { zeros: number; subnormals: number }, run = 'r', seg = { zeros: 0, subnormals: 0 }): CaptureUnderflowScan => ({
  file: `step-${step}.safetensors`,
  run,
  step,
  dtype: 'F16',
  tasks: [
    { task: 'seg', values: 1000, ...seg },
    { task: 'depth', values: 1000, ...depth },
  ],
});

describe('countUnderflow', () => {
  it('counts exact zeros (either sign) and values below the smallest normal', () => {
    const c = { task: 't', values: 0, zeros: 0, subnormals: 0 };
    countUnderflow([0, -0, 2 ** -15, -(2 ** -24), 2 ** -14, 1, -3], MIN_NORMAL.F16, c);
    expect(c).toEqual({ task: 't', values: 7, zeros: 2, subnormals: 2 });
    countUnderflow(new Float32Array([0, 1e-39]), MIN_NORMAL.BF16, c);
    expect(c).toEqual({ task: 't', values: 9, zeros: 3, subnormals: 3 });
  });
});

describe('numerical hazard', () => {
  it('flags a task whose float16 gradients hold many subnormals', () => {
    const found = detectNumericalHazards([scan(0, { zeros: 0, subnormals: 10 }), scan(100, { zeros: 0, subnormals: 50 }), scan(200, { zeros: 0, subnormals: 80 })]);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ kind: 'numerical_hazard', severity: 'warning', run: 'r', tasks: ['depth'], steps: { from: 100, to: 200 } });
    expect(found[0]!.evidence).toContainEqual({ metric: 'subnormal_frac', task: 'depth', step: 200, value: 0.08 });
    expect(found[0]!.message).toMatch(/float16 gradients underflow in 2 of 3 captures/);
    expect(found[0]!.chart).toBeUndefined();
  });

  it('flags many exact zeros only in a capture whose gradients sit at the subnormal floor', () => {
    // zeros next to another task's many subnormals: values flushed below the floor
    const found = detectNumericalHazards([scan(0, { zeros: 400, subnormals: 0 }, 'r', { zeros: 0, subnormals: 60 })]);
    expect(found.map((f) => f.tasks)).toEqual([['depth'], ['seg']]);
    // zeros with no (or the few natural) subnormals: true zeros (ReLU sparsity, a dead task), not underflow
    expect(detectNumericalHazards([scan(0, { zeros: 1000, subnormals: 0 })])).toEqual([]);
    expect(detectNumericalHazards([scan(0, { zeros: 500, subnormals: 5 }, 'r', { zeros: 0, subnormals: 5 })])).toEqual([]);
  });

  it('respects its thresholds', () => {
    const scans = [scan(0, { zeros: 0, subnormals: 60 }), scan(1, { zeros: 0, subnormals: 60 })];
    expect(detectNumericalHazards(scans)).toHaveLength(1);
    expect(detectNumericalHazards(scans, { hazardSubnormalFraction: 0.1 })).toEqual([]);
    expect(detectNumericalHazards(scans, { hazardMinCaptures: 3 })).toEqual([]);
  });

  it('keeps runs apart', () => {
    const found = detectNumericalHazards([scan(0, { zeros: 0, subnormals: 90 }, 'b'), scan(0, { zeros: 0, subnormals: 90 }, 'a')]);
    expect(found.map((f) => f.run)).toEqual(['a', 'b']);
  });
});
