import { describe, expect, it } from 'vitest';
import { UserError } from '@mtl-fd/capture';
import { diagnose } from '../src/index.js';
import { shuffled, syntheticRun } from '../../../test/support/syntheticRun.js';

describe('diagnose', () => {
  it('raises no alarm on balanced synthetic runs (many seeds, 2 and 3 tasks, with parameter-level metrics)', () => {
    for (let seed = 1; seed <= 25; seed++) {
      expect(diagnose(syntheticRun({ seed, param: true })), `seed ${seed}`).toEqual([]);
      expect(diagnose(syntheticRun({ seed, tasks: ['a', 'b'] })), `seed ${seed}, 2 tasks`).toEqual([]);
    }
  });

  it('returns nothing for an empty table or a single capture', () => {
    expect(diagnose([])).toEqual([]);
    expect(diagnose(syntheticRun({ steps: [0] }))).toEqual([]);
  });

  it('diagnoses each run on its own, whatever the row order', () => {
    const dead = syntheticRun({ run: 'b-dead', edit: (s, k) => void (k >= 5 && (s.norms.depth = 0)) });
    const conflict = syntheticRun({ run: 'a-conflict', edit: (s, k) => void (k >= 2 && (s.cos['seg|depth'] = -0.4)) });
    const healthy = syntheticRun({ run: 'c-healthy' });
    const inOrder = diagnose([...dead, ...conflict, ...healthy]);
    expect(diagnose(shuffled([...healthy, ...conflict, ...dead]))).toEqual(inOrder);
    expect(inOrder.map((f) => [f.severity, f.run, f.kind])).toEqual([
      ['critical', 'b-dead', 'dead_task'],
      ['warning', 'a-conflict', 'gradient_conflict'],
    ]);
  });

  it('sorts by severity, run, kind, tasks, then step', () => {
    const rows = [
      ...syntheticRun({ run: 'z', edit: (s, k) => void (k >= 9 && (s.norms.seg = 0)) }),
      ...syntheticRun({
        run: 'y',
        edit: (s, k) => {
          if (k >= 1 && k <= 3) s.cos['depth|normal'] = -0.3;
          if (k >= 6) s.cos['depth|normal'] = -0.3;
          if (k >= 2) s.cos['seg|depth'] = -0.3;
          if (k >= 8) s.cond = 1000;
        },
      }),
    ];
    expect(diagnose(rows).map((f) => `${f.severity} ${f.run} ${f.kind} ${f.tasks.join('/')} ${f.steps.from}`)).toEqual([
      'critical z dead_task seg 900',
      'warning y gradient_conflict depth/normal 100',
      'warning y gradient_conflict depth/normal 600',
      'warning y gradient_conflict seg/depth 200',
      'warning y ill_conditioned  800',
    ]);
  });

  it('rejects bad options with a UserError naming the option', () => {
    expect(() => diagnose([], { conflictMinCaptures: 0 })).toThrow(UserError);
    expect(() => diagnose([], { conflictMinCaptures: 1.5 })).toThrow(/conflictMinCaptures \(--conflict-min-captures\) must be an integer >= 1/);
    expect(() => diagnose([], { deadNormFraction: -1 })).toThrow(/deadNormFraction/);
    expect(() => diagnose([], { condMax: Number.NaN })).toThrow(/condMax/);
    expect(() => diagnose([], { bogus: 1 } as never)).toThrow(/unknown diagnose option 'bogus'/);
  });

  it('accepts non-finite values written into rows as null', () => {
    const rows = syntheticRun({ edit: (s, k) => void (k >= 8 && (s.cond = Infinity)) });
    expect(diagnose(rows).map((f) => f.kind)).toEqual(['ill_conditioned']);
  });
});
