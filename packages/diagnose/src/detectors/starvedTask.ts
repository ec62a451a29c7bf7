import { evidence, formatNumber, keySteps } from '../evidence.js';
import type { RunSeries } from '../runSeries.js';
import { findStreaks } from '../streaks.js';
import type { Evidence, Finding } from '../types.js';
import { captureCount, stepRange, type Detector } from './detector.js';

/** The share metric the run has: feature-level first, else parameter-level. */
export function shareMetric(run: RunSeries): string | undefined {
  return ['grad_norm_share', 'param_norm_share'].find((m) => run.has(m));
}

/** Tasks with a numeric share at the step, and the uniform share 1/T among them. */
function sharesAt(run: RunSeries, metric: string, step: number): { shares: Map<string, number>; uniform: number } {
  const shares = new Map<string, number>();
  for (const t of run.tasks) {
    const v = run.number(metric, step, t);
    if (v !== undefined) shares.set(t, v);
  }
  return { shares, uniform: shares.size ? 1 / shares.size : 0 };
}

/** The task with the largest share at a step, when it is above the ceiling and at least `ratio` x `task`'s. */
function dominantAt(run: RunSeries, metric: string, step: number, task: string, ceiling: number, ratio: number): string | undefined {
  const { shares, uniform } = sharesAt(run, metric, step);
  const own = shares.get(task) ?? 0;
  let top: string | undefined;
  for (const [u, v] of shares) if (u !== task && v > ceiling * uniform && v >= ratio * own && (top === undefined || v > shares.get(top)!)) top = u;
  return top;
}

/**
 * starved / dominated task (warning): a task's `grad_norm_share` (else
 * `param_norm_share`) stays below `starvedShareFloor` x 1/T while another task's stays
 * above `dominantShareCeiling` x 1/T and at least `starvedShareRatio` x the starved
 * one's, over `starvedMinCaptures` consecutive captures. (A floor alone cannot tell a
 * x10 weighting from a healthy run, whose smallest shares come close to it; the ratio
 * between the two tasks can.)
 * A capture where the task is dead counts as starved too (dead is the extreme of
 * starved); a streak of dead captures only is left to the dead-task finding.
 */
export const detectStarvedTasks: Detector = (run, { options, dead }) => {
  const metric = shareMetric(run);
  if (!metric) return [];
  const findings: Finding[] = [];
  for (const task of run.tasks) {
    const deadSteps = dead.get(task) ?? new Set<number>();
    const starved = (step: number): boolean => {
      if (deadSteps.has(step)) return true;
      const { shares, uniform } = sharesAt(run, metric, step);
      const own = shares.get(task);
      return own !== undefined && own < options.starvedShareFloor * uniform && dominantAt(run, metric, step, task, options.dominantShareCeiling, options.starvedShareRatio) !== undefined;
    };
    for (const { steps } of findStreaks(run.steps, starved, options.starvedMinCaptures)) {
      if (steps.every((s) => deadSteps.has(s))) continue;
      const lowest = (s: number): number => -(run.number(metric, s, task) ?? 0);
      const worst = steps.reduce((w, s) => (lowest(s) > lowest(w) ? s : w));
      const dominant =
        steps.map((s) => dominantAt(run, metric, s, task, options.dominantShareCeiling, options.starvedShareRatio)).find((d) => d !== undefined) ?? run.tasks.find((t) => t !== task)!;
      const ev: Evidence[] = [];
      for (const s of keySteps(steps, lowest)) {
        ev.push(evidence(metric, s, run.value(metric, s, task), task));
        ev.push(evidence(metric, s, run.value(metric, s, dominant), dominant));
      }
      const pct = (v: number | undefined): string => `${formatNumber((v ?? 0) * 100)}%`;
      const level = metric === 'grad_norm_share' ? 'feature-gradient' : 'parameter-gradient';
      findings.push({
        kind: 'starved_task',
        severity: 'warning',
        run: run.run,
        tasks: [task, dominant],
        steps: { from: steps[0]!, to: steps[steps.length - 1]! },
        evidence: ev,
        message: `Task ${task} gets as little as ${pct(run.number(metric, worst, task))} of the ${level} norm while ${dominant} takes ${pct(run.number(metric, worst, dominant))}, over ${captureCount(steps.length)} (${stepRange(steps)}): ${dominant} dominates the shared features and ${task} is starved.`,
        advice: `Rebalance the task weights (lower ${dominant}'s loss weight, or use GradNorm or uncertainty weighting) so that ${task}'s gradient reaches the backbone.`,
        chart: 'ownership',
      });
    }
  }
  return findings;
};
