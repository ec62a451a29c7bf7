import { evidence, formatNumber, keySteps } from '../evidence.js';
import { findStreaks } from '../streaks.js';
import type { Finding } from '../types.js';
import { anyTaskDead, captureCount, stepRange, type Detector } from './detector.js';

/**
 * ill-conditioned task gradients (warning): `grad_cond` (or `param_cond`) above
 * `condMax`, or null, over `illConditionedMinCaptures` consecutive captures with that
 * metric. The table writes an infinite cond as null (docs/metrics.md §10), so null
 * reads as infinite. Captures where some task is dead are skipped: a zero gradient
 * makes cond infinite, and the dead-task finding already says so.
 */
export const detectIllConditioned: Detector = (run, { options, dead }) => {
  const findings: Finding[] = [];
  for (const metric of ['grad_cond', 'param_cond']) {
    const cond = (s: number): number => {
      const v = run.value(metric, s);
      return v === null ? Infinity : (v ?? NaN);
    };
    const ill = (s: number): boolean => !anyTaskDead(dead, s) && cond(s) > options.condMax;
    for (const { steps } of findStreaks(run.stepsOf(metric), ill, options.illConditionedMinCaptures)) {
      const worst = steps.map(cond).reduce((acc, v) => Math.max(acc, v), -Infinity);
      const infinite = steps.filter((s) => cond(s) === Infinity).length;
      const level = metric === 'grad_cond' ? 'feature-level' : 'parameter-level';
      findings.push({
        kind: 'ill_conditioned',
        severity: 'warning',
        run: run.run,
        tasks: [],
        steps: { from: steps[0]!, to: steps[steps.length - 1]! },
        evidence: keySteps(steps, cond).map((s) => evidence(metric, s, run.value(metric, s))),
        message: `The ${level} task-gradient system is ill-conditioned (${metric} up to ${worst === Infinity ? 'infinite' : formatNumber(worst)}, above ${formatNumber(options.condMax)}${infinite ? `; null, read as infinite, at ${captureCount(infinite, false)}` : ''}) over ${captureCount(steps.length)} (${stepRange(steps)}): the task gradients are nearly linearly dependent or of very different sizes.`,
        advice: 'Balance the gradient magnitudes (Aligned-MTL, GradNorm) and check for duplicated or collinear tasks before trusting cosine-based identifiers here.',
        chart: 'pairwise',
      });
    }
  }
  return findings;
};
