import { evidence, formatNumber } from '../evidence.js';
import type { Finding } from '../types.js';
import { anyTaskDead, type Detector } from './detector.js';
import { fdSeries, pearson } from './fdSeries.js';
import { shareMetric } from './starvedTask.js';

/**
 * dominance-driven disentanglement (warning): over the captures that have both the
 * global FD (`fd`, else `fd_mass`) and a task's `grad_norm_share` (at least
 * `trendMinCaptures`), FD rises by `dominanceFdRise` or more from the first to the
 * last, the task's share rises by `dominanceShareRise` or more, the two correlate
 * with Pearson r >= `dominanceCorrelation`, and the task ends above
 * `dominantShareCeiling` x 1/T: FD is high because one task owns the features.
 * Captures where some task is dead are left out: a dead task raises FD and the
 * others' shares by itself, and the dead-task finding says so.
 */
export const detectDominanceDisentanglement: Detector = (run, { options, dead }) => {
  const fd = fdSeries(run);
  const share = shareMetric(run);
  if (!fd || !share) return [];
  const findings: Finding[] = [];
  for (const task of run.tasks) {
    const steps = fd.steps.filter((s) => run.number(share, s, task) !== undefined && !anyTaskDead(dead, s));
    if (steps.length < options.trendMinCaptures) continue;
    const f = steps.map((s) => run.number(fd.metric, s)!);
    const sh = steps.map((s) => run.number(share, s, task)!);
    const first = steps[0]!;
    const last = steps[steps.length - 1]!;
    const fdRise = f[f.length - 1]! - f[0]!;
    const shareRise = sh[sh.length - 1]! - sh[0]!;
    const r = pearson(f, sh);
    const tasksAtLast = run.tasks.filter((u) => run.number(share, last, u) !== undefined).length;
    const dominantAtEnd = sh[sh.length - 1]! > options.dominantShareCeiling / Math.max(tasksAtLast, 1);
    if (fdRise < options.dominanceFdRise || shareRise < options.dominanceShareRise || r === undefined || r < options.dominanceCorrelation || !dominantAtEnd) {
      continue;
    }
    findings.push({
      kind: 'dominance_disentanglement',
      severity: 'warning',
      run: run.run,
      tasks: [task],
      steps: { from: first, to: last },
      evidence: [
        evidence(fd.metric, first, f[0]),
        evidence(fd.metric, last, f[f.length - 1]),
        evidence(share, first, sh[0], task),
        evidence(share, last, sh[sh.length - 1], task),
        evidence(`pearson_r(${fd.metric},${share})`, undefined, r, task),
      ],
      message: `${fd.metric} rose from ${formatNumber(f[0])} to ${formatNumber(f[f.length - 1])} while ${task}'s gradient share rose from ${formatNumber(sh[0])} to ${formatNumber(sh[sh.length - 1])} (r = ${formatNumber(r)}): FD is high because ${task} owns the shared features, not because the tasks specialised.`,
      advice: `Do not read this FD as healthy disentanglement: compare the other tasks' fd_task and test metrics, and rebalance the task weights so ${task} does not dominate.`,
      chart: 'fd-trajectory',
    });
  }
  return findings;
};
