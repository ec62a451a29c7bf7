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

/** The share metric a task's health is read from: feature-level first, else parameter-level. */
const SHARE_METRICS = ['grad_norm_share', 'param_norm_share'];

/**
 * The captures from a task's first death to the last, when it never came back: at every
 * later capture its gradient share is at most `deadStayShare` x the largest other task's,
 * and its probe loss did not fall (the last is above `1 - deadLossDrop` x the first, when
 * the table has losses). This reads the task's health as a whole: a head whose ReLU died
 * and then lets a trickle through is as dead as one that is exactly zero.
 */
function barelyRecovered(run: RunSeries, task: string, deadSteps: ReadonlySet<number>, options: DiagnoseOptions): number[] | undefined {
  const from = run.steps.findIndex((s) => deadSteps.has(s));
  if (from < 0) return undefined;
  const metric = SHARE_METRICS.find((m) => run.has(m));
  if (!metric) return undefined;
  const after = run.steps.slice(from);
  const low = after.every((s) => {
    if (deadSteps.has(s)) return true;
    const own = run.number(metric, s, task);
    return own !== undefined && own <= options.deadStayShare * maxOther(run, metric, s, task);
  });
  if (!low) return undefined;
  const losses = run.steps.map((s) => run.number('loss', s, task)).filter((l): l is number => l !== undefined);
  if (losses.length >= 2 && losses[losses.length - 1]! <= (1 - options.deadLossDrop) * losses[0]!) return undefined;
  return after;
}

/**
 * dead task (critical): a task is dead (isDeadAt) at a capture and at every later
 * one, for at least `deadMinCaptures` captures up to the run's last; or it died and
 * then barely recovered (`barelyRecovered`), however it got there.
 */
export const detectDeadTasks: Detector = (run, { options, dead }) => {
  const findings: Finding[] = [];
  for (const task of run.tasks) {
    const deadSteps = dead.get(task) ?? new Set<number>();
    const strict = trailingStreak(run.steps, (s) => deadSteps.has(s));
    if (!strict || strict.steps.length < options.deadMinCaptures) {
      const steps = barelyRecovered(run, task, deadSteps, options);
      if (steps) findings.push(barelyRecoveredFinding(run, task, steps, deadSteps, options));
      continue;
    }
    const streak = strict;
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
    findings.push(
      deadTaskFinding(run, task, first, last, ev, {
        message: `Task ${task}'s gradient into the shared features is ${how} ${since}: its head no longer trains the backbone, ${consequence}.`,
        advice: `Check ${task}'s head for dead ReLUs, a detached or zero-weighted loss or a saturated output, and re-initialise it or lower its learning rate; do not read its per-task scores from step ${first} on.`,
      }),
    );
  }
  return findings;
};

function barelyRecoveredFinding(run: RunSeries, task: string, steps: number[], deadSteps: ReadonlySet<number>, options: DiagnoseOptions): Finding {
  const first = steps[0]!;
  const last = steps[steps.length - 1]!;
  const metric = SHARE_METRICS.find((m) => run.has(m))!;
  const ev = deadEvidence(run, task, first);
  for (const s of steps.slice(1)) {
    const v = run.value(metric, s, task);
    if (v !== undefined) ev.push(evidence(metric, s, v, task));
  }
  const lossAt = (s: number | undefined) => (s === undefined ? undefined : run.value('loss', s, task));
  for (const s of [run.steps[0], last]) {
    const v = lossAt(s);
    if (v !== undefined && s !== undefined) ev.push(evidence('loss', s, v, task));
  }
  const worstAfter = steps.filter((s) => !deadSteps.has(s)).reduce((m, s) => Math.max(m, run.number(metric, s, task) ?? 0), 0);
  return deadTaskFinding(run, task, first, last, ev, {
    message: `Task ${task}'s gradient into the shared features died at step ${first} and never came back: through the last capture (step ${last}) its ${metric} stays at most ${formatNumber(worstAfter)} (<= ${formatNumber(options.deadStayShare)} x the strongest other task's) and its probe loss did not fall by ${formatNumber(options.deadLossDrop * 100)}%.`,
    advice: `Check ${task}'s head for dead ReLUs (a large negative bias, a learning-rate spike) or a zero-weighted loss, and re-initialise it or lower its learning rate; do not read its per-task scores from step ${first} on.`,
  });
}

/** A critical dead_task finding on `task` over steps first..last, shown on the ownership chart. */
function deadTaskFinding(run: RunSeries, task: string, first: number, last: number, evidence: Finding['evidence'], text: Pick<Finding, 'message' | 'advice'>): Finding {
  return { kind: 'dead_task', severity: 'critical', run: run.run, tasks: [task], steps: { from: first, to: last }, evidence, ...text, chart: 'ownership' };
}
