import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/index.js';
import type { TidyRow } from '@mtl-fd/metrics';
import { syntheticRun } from '../../../../test/support/syntheticRun.js';

const kinds = (rows: TidyRow[]) => diagnose(rows).map((f) => f.kind);

describe('dead task', () => {
  it('flags a task whose gradient is exactly zero from a step to the end, as critical', () => {
    const rows = syntheticRun({ edit: (s, k) => void (k >= 5 && (s.norms.depth = 0)) });
    const dead = diagnose(rows).filter((f) => f.kind === 'dead_task');
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({ severity: 'critical', run: 'healthy', tasks: ['depth'], steps: { from: 500, to: 1000 }, chart: 'ownership' });
    expect(dead[0]!.evidence).toContainEqual({ metric: 'grad_norm', task: 'depth', step: 500, value: 0 });
    expect(dead[0]!.evidence).toContainEqual({ metric: 'fd_task', task: 'depth', step: 500, value: null });
    expect(dead[0]!.evidence).toContainEqual({ metric: 'grad_cond', step: 500, value: null });
    expect(dead[0]!.message).toContain('exactly zero');
  });

  it('does not also report the infinite cond or the zero share it causes', () => {
    const rows = syntheticRun({ edit: (s, k) => void (k >= 5 && (s.norms.depth = 0)) });
    expect(kinds(rows)).not.toContain('ill_conditioned');
    expect(kinds(rows)).not.toContain('starved_task');
  });

  it('flags a gradient below a tiny fraction of the strongest other task, not a merely small one', () => {
    const tiny = syntheticRun({ edit: (s, k) => void (k >= 8 && (s.norms.normal = 1e-10)) });
    expect(diagnose(tiny).filter((f) => f.kind === 'dead_task')).toMatchObject([{ tasks: ['normal'], steps: { from: 800, to: 1000 } }]);
    const small = syntheticRun({ edit: (s, k) => void (k >= 8 && (s.norms.normal = 1e-5)) });
    expect(kinds(small)).not.toContain('dead_task');
    expect(diagnose(small, { deadNormFraction: 1e-2 }).map((f) => f.kind)).toContain('dead_task');
  });

  it('ignores a task that recovers before the last capture', () => {
    const rows = syntheticRun({ edit: (s, k) => void (k >= 3 && k <= 6 && (s.norms.seg = 0)) });
    expect(kinds(rows)).not.toContain('dead_task');
  });

  it('needs deadMinCaptures dead captures at the end', () => {
    const rows = syntheticRun({ edit: (s, k) => void (k === 10 && (s.norms.seg = 0)) });
    expect(diagnose(rows).filter((f) => f.kind === 'dead_task')).toMatchObject([{ steps: { from: 1000, to: 1000 } }]);
    expect(diagnose(rows, { deadMinCaptures: 2 }).map((f) => f.kind)).not.toContain('dead_task');
  });

  it('reads null fd_task, cosines and cond as a dead task when the table has no norms (the issue\'s real case)', () => {
    const rows: TidyRow[] = [];
    const tasks = ['seg', 'depth', 'normal'];
    for (const step of [0, 1, 2, 3]) {
      const deadNow = step >= 1;
      rows.push({ run: 'resnet18', step, metric: 'fd', task: '', task_b: '', value: 0.4 });
      for (const t of tasks) rows.push({ run: 'resnet18', step, metric: 'fd_task', task: t, task_b: '', value: deadNow && t === 'normal' ? null : 0.3 });
      rows.push({ run: 'resnet18', step, metric: 'grad_cos', task: 'seg', task_b: 'depth', value: 0.2 });
      rows.push({ run: 'resnet18', step, metric: 'grad_cos', task: 'seg', task_b: 'normal', value: deadNow ? null : 0.1 });
      rows.push({ run: 'resnet18', step, metric: 'grad_cos', task: 'depth', task_b: 'normal', value: deadNow ? null : 0.1 });
      rows.push({ run: 'resnet18', step, metric: 'grad_cond', task: '', task_b: '', value: deadNow ? null : 3 });
    }
    const findings = diagnose(rows);
    expect(findings.map((f) => [f.kind, f.severity, f.tasks, f.steps])).toEqual([['dead_task', 'critical', ['normal'], { from: 1, to: 3 }]]);
    expect(findings[0]!.evidence).toContainEqual({ metric: 'grad_cos', task: 'depth', task_b: 'normal', step: 1, value: null });
  });

  it('uses null cosines alone with three tasks (one task in every null pair)', () => {
    const rows: TidyRow[] = [];
    for (const step of [0, 10]) {
      rows.push({ run: 'r', step, metric: 'grad_cos', task: 'a', task_b: 'b', value: 0.3 });
      rows.push({ run: 'r', step, metric: 'grad_cos', task: 'a', task_b: 'c', value: step ? null : 0.3 });
      rows.push({ run: 'r', step, metric: 'grad_cos', task: 'b', task_b: 'c', value: step ? null : 0.3 });
    }
    expect(diagnose(rows)).toMatchObject([{ kind: 'dead_task', tasks: ['c'], steps: { from: 10, to: 10 } }]);
  });

  it('reports every task when all gradients are zero', () => {
    const rows = syntheticRun({ edit: (s, k) => void (k >= 9 && Object.keys(s.norms).forEach((t) => (s.norms[t] = 0))) });
    expect(diagnose(rows).filter((f) => f.kind === 'dead_task').map((f) => f.tasks[0])).toEqual(['depth', 'normal', 'seg']);
  });
});

/** The real case of issue 17: a ResNet-18, three heads, the sum head's ReLU died in the first epoch. */
function reluDiedRun(sumShares = [0.38, 0, 0.0005, 0.0035], sumLosses = [0.295, 0.349, 0.323, 0.271]): TidyRow[] {
  const rows: TidyRow[] = [];
  const steps = [0, 1000, 2000, 3000];
  // the issue gives the sum head's figures; the other two heads' shares are made up to add to 1
  const others = { left: [0.3, 0.6, 0.55, 0.53], right: [0.32, 0.4, 0.4495, 0.4665] };
  const otherLoss = { left: [2.3, 0.9, 0.5, 0.35], right: [2.3, 1.1, 0.6, 0.4] };
  const row = (step: number, metric: string, value: number, task: string): TidyRow => ({ run: 'resnet18', step, metric, task, task_b: '', value });
  steps.forEach((step, k) => {
    rows.push(row(step, 'grad_norm_share', sumShares[k]!, 'sum'), row(step, 'loss', sumLosses[k]!, 'sum'));
    for (const t of ['left', 'right'] as const) rows.push(row(step, 'grad_norm_share', others[t][k]!, t), row(step, 'loss', otherLoss[t][k]!, t));
  });
  return rows;
}

describe('dead task, read as a whole', () => {
  it('flags the real case: a head that died and lets a trickle through while its loss never falls, as critical', () => {
    const dead = diagnose(reluDiedRun()).filter((f) => f.kind === 'dead_task');
    expect(dead).toMatchObject([{ severity: 'critical', tasks: ['sum'], steps: { from: 1000, to: 3000 }, chart: 'ownership' }]);
    expect(dead[0]!.evidence).toContainEqual({ metric: 'grad_norm_share', task: 'sum', step: 3000, value: 0.0035 });
    expect(dead[0]!.evidence).toContainEqual({ metric: 'loss', task: 'sum', step: 3000, value: 0.271 });
  });

  it('counts the dead capture as starved too: three starved captures, not two', () => {
    const starved = diagnose(reluDiedRun()).filter((f) => f.kind === 'starved_task');
    expect(starved).toMatchObject([{ tasks: ['sum', expect.any(String)], steps: { from: 1000, to: 3000 } }]);
  });

  it('does not flag a head that comes back to a real share, or whose loss falls', () => {
    const back = diagnose(reluDiedRun([0.38, 0, 0.1, 0.2])).filter((f) => f.kind === 'dead_task');
    expect(back).toEqual([]);
    const learning = diagnose(reluDiedRun(undefined, [0.295, 0.349, 0.2, 0.1])).filter((f) => f.kind === 'dead_task');
    expect(learning).toEqual([]);
  });
});
