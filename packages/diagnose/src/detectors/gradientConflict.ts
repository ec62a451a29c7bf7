import { evidence, formatNumber, keySteps } from '../evidence.js';
import { findStreaks } from '../streaks.js';
import type { Finding } from '../types.js';
import { captureCount, stepRange, type Detector } from './detector.js';

/**
 * gradient conflict (warning): `grad_cos` (feature level) or `param_cos` (parameter
 * level) of a task pair stays below `conflictCos` over `conflictMinCaptures`
 * consecutive captures with that metric. A null cosine breaks the streak (it means a
 * dead task, which has its own finding).
 */
export const detectGradientConflicts: Detector = (run, { options }) => {
  const findings: Finding[] = [];
  for (const metric of ['grad_cos', 'param_cos']) {
    for (const [a, b] of run.pairs(metric)) {
      const cos = (s: number): number | undefined => run.number(metric, s, a, b);
      const conflicting = (s: number): boolean => {
        const v = cos(s);
        return v !== undefined && v < options.conflictCos;
      };
      for (const { steps } of findStreaks(run.stepsOf(metric, a, b), conflicting, options.conflictMinCaptures)) {
        const worstValue = steps.map((s) => cos(s)!).reduce((acc, v) => Math.min(acc, v), Infinity);
        const level = metric === 'grad_cos' ? 'feature gradients' : 'shared-parameter gradients';
        findings.push({
          kind: 'gradient_conflict',
          severity: 'warning',
          run: run.run,
          tasks: [a, b],
          steps: { from: steps[0]!, to: steps[steps.length - 1]! },
          evidence: keySteps(steps, (s) => -cos(s)!).map((s) => evidence(metric, s, cos(s), a, b)),
          message: `Tasks ${a} and ${b} pull their ${level} in opposing directions (${metric} down to ${formatNumber(worstValue)}, below ${formatNumber(options.conflictCos)}) over ${captureCount(steps.length)} (${stepRange(steps)}).`,
          advice: `Try a conflict-aware update (PCGrad, CAGrad, Aligned-MTL) or give ${a} and ${b} separate layers deeper into the backbone.`,
          chart: 'pairwise',
        });
      }
    }
  }
  return findings;
};
