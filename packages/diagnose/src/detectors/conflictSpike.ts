import { evidence, formatNumber } from '../evidence.js';
import type { Evidence, Finding } from '../types.js';
import type { Detector } from './detector.js';

const COS_OF: Record<string, string> = { grad_conflict_frac: 'grad_cos', param_conflict_frac: 'param_cos' };

/**
 * conflict spike (info): `grad_conflict_frac` (or `param_conflict_frac`) at a capture
 * is at least `conflictSpikeJump` above the mean of the previous
 * `conflictSpikeWindow` captures. Info, not warning: a spike is one capture; a
 * lasting conflict is the gradient-conflict finding. The pairs negative at the spike
 * are named; when the table has the pair cosines, at least one of them must be below
 * `conflictCos` (a jump made only of cosines wobbling around 0 is noise).
 */
export const detectConflictSpikes: Detector = (run, { options }) => {
  const findings: Finding[] = [];
  for (const metric of ['grad_conflict_frac', 'param_conflict_frac']) {
    const steps = run.stepsOf(metric).filter((s) => run.number(metric, s) !== undefined);
    for (let i = 1; i < steps.length; i++) {
      const step = steps[i]!;
      const before = steps.slice(Math.max(0, i - options.conflictSpikeWindow), i);
      const baseline = before.reduce((sum, s) => sum + run.number(metric, s)!, 0) / before.length;
      const value = run.number(metric, step)!;
      if (value - baseline < options.conflictSpikeJump) continue;
      const cosMetric = COS_OF[metric]!;
      const negative = run.pairs(cosMetric).filter(([a, b]) => (run.number(cosMetric, step, a, b) ?? 0) < 0);
      // cosines that merely wobble around 0 flip the fraction without any real conflict
      const material = negative.some(([a, b]) => run.number(cosMetric, step, a, b)! < options.conflictCos);
      if (negative.length > 0 && !material) continue;
      const ev: Evidence[] = [...before, step].map((s) => evidence(metric, s, run.value(metric, s)));
      for (const [a, b] of negative) ev.push(evidence(cosMetric, step, run.value(cosMetric, step, a, b), a, b));
      const tasks = [...new Set(negative.flat())];
      const pairs = negative.map(([a, b]) => `${a}/${b}`).join(', ');
      findings.push({
        kind: 'conflict_spike',
        severity: 'info',
        run: run.run,
        tasks,
        steps: { from: step, to: step },
        evidence: ev,
        message: `The share of conflicting task pairs (${metric}) jumped to ${formatNumber(value)} at step ${step} from a mean of ${formatNumber(baseline)} over the previous ${before.length === 1 ? 'capture' : `${before.length} captures`}${pairs ? ` (negative: ${pairs})` : ''}.`,
        advice: 'Look at what changed at this step (learning-rate schedule, data, an unstable batch); if the conflict persists it becomes a gradient-conflict finding.',
        chart: 'fd-trajectory',
      });
    }
  }
  return findings;
};
