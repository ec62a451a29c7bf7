import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/index.js';
import { syntheticRun } from '../../../../test/support/syntheticRun.js';

const lagging = (rows: ReturnType<typeof syntheticRun>, options = {}) => diagnose(rows, options).filter((f) => f.kind === 'lagging_task');

const plateau = (s: { loss: Record<string, number> }, k: number) => void (k >= 1 && (s.loss.normal = 2 * Math.exp(-0.12)));

describe('lagging task', () => {
  it('flags a task whose loss stops falling while the others keep going', () => {
    // from capture 1 on, normal's loss stays where it was; the others keep falling ~10% a capture
    const rows = syntheticRun({ edit: plateau });
    const found = lagging(rows);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ severity: 'warning', tasks: ['normal'], chart: 'fd-trajectory' });
    expect(found[0]!.steps.to).toBe(1000);
    const from = found[0]!.steps.from;
    const rate = (step: number) => rows.find((r) => r.metric === 'rel_rate' && r.task === 'normal' && r.step === step)!.value!;
    expect(rate(from)).toBeGreaterThan(1.5);
    expect(rate(from - 100)).toBeLessThanOrEqual(1.5);
    expect(found[0]!.evidence.every((e) => ['rel_rate', 'loss_ratio'].includes(e.metric) && e.task === 'normal')).toBe(true);
    expect(found[0]!.evidence.filter((e) => e.metric === 'loss_ratio').every((e) => e.value! >= 0.7)).toBe(true);
  });

  it('leaves alone a task that learned, however far behind the others it is (laggingMinLossRatio)', () => {
    // normal falls to 30% of its first loss and stays, the others fall to ~3% of theirs: rel_rate climbs past 1.5 all the same
    const learned = syntheticRun({
      edit: (s, k) => {
        for (const t of Object.keys(s.loss)) s.loss[t] = t === 'normal' ? (k >= 1 ? 2 * 0.3 : 2) : s.loss[t]! * Math.exp(-0.25 * k);
      },
    });
    const rate = (step: number) => learned.find((r) => r.metric === 'rel_rate' && r.task === 'normal' && r.step === step)!.value!;
    expect(rate(1000)).toBeGreaterThan(1.5);
    expect(lagging(learned)).toEqual([]);
    expect(lagging(learned, { laggingMinLossRatio: 0.25 })).toHaveLength(1);
    expect(lagging(syntheticRun({ edit: plateau }), { laggingMinLossRatio: 0.95 })).toEqual([]);
  });

  it('respects laggingRelRate', () => {
    const rows = syntheticRun({ edit: plateau });
    expect(lagging(rows, { laggingRelRate: 2 })).toEqual([]);
    expect(lagging(rows, { laggingRelRate: 1.2 })[0]!.steps.from).toBeLessThan(lagging(rows)[0]!.steps.from);
  });
});
