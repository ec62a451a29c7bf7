import { evidence, formatNumber, keySteps } from '../evidence.js';
import { findStreaks } from '../streaks.js';
import type { Finding } from '../types.js';
import { captureCount, stepRange, type Detector } from './detector.js';

/**
 * lagging task (warning): a task's `rel_rate` (its loss ratio over the mean loss
 * ratio, docs/metrics.md §6) stays above `laggingRelRate` while its own `loss_ratio`
 * stays at or above `laggingMinLossRatio`, over `laggingMinCaptures` consecutive
 * captures. The second condition is there because rel_rate is a ratio of ratios: once
 * every loss has fallen a lot, a task at 25% of its first loss next to tasks at 5%
 * has a rel_rate near 2 though it learned fine (healthy zoo runs do this).
 */
export const detectLaggingTasks: Detector = (run, { options }) => {
  const findings: Finding[] = [];
  for (const task of run.tasks) {
    const rate = (s: number): number | undefined => run.number('rel_rate', s, task);
    const lagging = (s: number): boolean =>
      (rate(s) ?? -Infinity) > options.laggingRelRate && (run.number('loss_ratio', s, task) ?? -Infinity) >= options.laggingMinLossRatio;
    for (const { steps } of findStreaks(run.stepsOf('rel_rate', task), lagging, options.laggingMinCaptures)) {
      const worst = steps.map((s) => rate(s)!).reduce((acc, v) => Math.max(acc, v), -Infinity);
      findings.push({
        kind: 'lagging_task',
        severity: 'warning',
        run: run.run,
        tasks: [task],
        steps: { from: steps[0]!, to: steps[steps.length - 1]! },
        evidence: keySteps(steps, (s) => rate(s)!).flatMap((s) => [evidence('rel_rate', s, rate(s), task), evidence('loss_ratio', s, run.value('loss_ratio', s, task), task)]),
        message: `Task ${task}'s loss falls much more slowly than the others' (rel_rate up to ${formatNumber(worst)}, above ${formatNumber(options.laggingRelRate)}; it keeps at least ${formatNumber(options.laggingMinLossRatio * 100)}% of its first loss) over ${captureCount(steps.length)} (${stepRange(steps)}).`,
        advice: `Raise ${task}'s loss weight or use a rate-balancing scheme (GradNorm, DWA), and check that its head still gets a gradient.`,
        chart: 'fd-trajectory',
      });
    }
  }
  return findings;
};
