import { evidence, formatNumber } from '../evidence.js';
import type { DiagnoseOptions } from '../options.js';
import type { RunSeries } from '../runSeries.js';
import { trailingStreak } from '../streaks.js';
import type { Evidence, Finding } from '../types.js';
import { captureCount, type DeadCaptures, type Detector } from './detector.js';

/** Largest numeric value of a per-task metric over the other tasks at a step (0 when none). */
function maxOther(run: RunSeries, metric: string, step: number, task: string): number {
  let max = 0;
  for (const u of run.tasks) {
    if (u === task) continue;
    const v = run.number(metric, step, u);
    if (v !== undefined && v > max) max = v;
  }
  return max;
}

/**
 * Whether a task's head no longer sends gradient into the shared features at a
 * capture. The first evidence present decides:
 * 1. `grad_norm`: zero, or at most `deadNormFraction` x the largest other task's;
 * 2. `grad_norm_share`: likewise against the other shares;
 * 3. `fd_task` null: the task's saliency mass is zero (docs/metrics.md §4);
 * 4. `param_norm`: like grad_norm, for parameter-level gradients;
 * 5. with 3+ tasks, every `grad_cos` of the task null while another pair's is not
 *    (a cosine is null exactly when one of its norms is zero).
 * Null values are never an error here: they are what a dead task leaves in the table.
 */
export function isDeadAt(run: RunSeries, task: string, step: number, fraction: number): boolean {
  for (const metric of ['grad_norm', 'grad_norm_share']) {
    const v = run.number(metric, step, task);
    if (v !== undefined) return v === 0 || v <= fraction * maxOther(run, metric, step, task);
  }
  if (run.value('fd_task', step, task) === null) return true;
  const p = run.number('param_norm', step, task);
  if (p !== undefined) return p === 0 || p <= fraction * maxOther(run, 'param_norm', step, task);
  if (run.tasks.length >= 3) {
    const own = run.pairs('grad_cos').filter(([a, b]) => a === task || b === task);
    const others = run.pairs('grad_cos').filter(([a, b]) => a !== task && b !== task);
    return (
      own.length > 0 &&
      own.every(([a, b]) => run.value('grad_cos', step, a, b) === null) &&
      others.some(([a, b]) => typeof run.value('grad_cos', step, a, b) === 'number')
    );
  }
  return false;
}

/** For each task, the captures at which it is dead (isDeadAt), whether or not it stays dead. */
export function deadCaptures(run: RunSeries, options: DiagnoseOptions): DeadCaptures {
  const out: DeadCaptures = new Map();
  for (const task of run.tasks) {
    out.set(task, new Set(run.steps.filter((step) => isDeadAt(run, task, step, options.deadNormFraction))));
  }
  return out;
}

/** The values that show a task dead at one step: its norm (or share, fd_task), the largest other norm, its null cosines, cond. */
function deadEvidence(run: RunSeries, task: string, step: number): Evidence[] {
  const out: Evidence[] = [];
  const add = (metric: string, t = '', tb = ''): void => {
    const v = run.value(metric, step, t, tb);
    if (v !== undefined) out.push(evidence(metric, step, v, t, tb));
  };
  add('grad_norm', task);
  add('grad_norm_share', task);
  let strongest: string | undefined;
  let best = -Infinity;
  for (const u of run.tasks) {
    const n = u === task ? undefined : run.number('grad_norm', step, u);
    if (n !== undefined && n > best) [best, strongest] = [n, u];
  }
  if (strongest !== undefined) add('grad_norm', strongest);
  add('fd_task', task);
  for (const [a, b] of run.pairs('grad_cos')) if (a === task || b === task) add('grad_cos', a, b);
  add('grad_cond');
  add('param_norm', task);
  return out;
}

/**
 * dead task (critical): a task is dead (isDeadAt) at a capture and at every later
 * one, for at least `deadMinCaptures` captures up to the run's last.
 */
export const detectDeadTasks: Detector = (run, { options, dead }) => {
  const findings: Finding[] = [];
  for (const task of run.tasks) {
    const deadSteps = dead.get(task) ?? new Set<number>();
    const streak = trailingStreak(run.steps, (s) => deadSteps.has(s));
    if (!streak || streak.steps.length < options.deadMinCaptures) continue;
    const first = streak.steps[0]!;
    const last = streak.steps[streak.steps.length - 1]!;
    const ev = deadEvidence(run, task, first);
    if (last !== first) {
      const v = run.value('grad_norm', last, task);
      if (v !== undefined) ev.push(evidence('grad_norm', last, v, task));
    }
    const norms = streak.steps.map((s) => run.number('grad_norm', s, task));
    const exactZero = norms.every((n) => n === 0);
    const how = exactZero
      ? 'exactly zero'
      : norms.every((n) => n !== undefined)
        ? `at most ${formatNumber(options.deadNormFraction)} of the strongest other task's`
        : 'zero or negligible (by its share, null fd_task or null cosines)';
    const consequence = exactZero || norms.some((n) => n === undefined)
      ? 'so its fd_task, cosines and cond are null or infinite there'
      : 'so its fd_task and cosines there describe noise';
    const since =
      first === last
        ? `at the last capture (step ${last})`
        : first === run.steps[0]
          ? `at every capture (steps ${first}..${last})`
          : `from step ${first} through the last capture (step ${last}, ${captureCount(streak.steps.length, false)})`;
    findings.push({
      kind: 'dead_task',
      severity: 'critical',
      run: run.run,
      tasks: [task],
      steps: { from: first, to: last },
      evidence: ev,
      message: `Task ${task}'s gradient into the shared features is ${how} ${since}: its head no longer trains the backbone, ${consequence}.`,
      advice: `Check ${task}'s head for dead ReLUs, a detached or zero-weighted loss or a saturated output, and re-initialise it or lower its learning rate; do not read its per-task scores from step ${first} on.`,
      chart: 'ownership',
    });
  }
  return findings;
};
