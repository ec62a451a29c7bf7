import { evidence, formatNumber } from '../evidence.js';
import { trailingStreak } from '../streaks.js';
import type { Detector } from './detector.js';
import { fdSeries } from './fdSeries.js';

/**
 * entanglement collapse (warning): the global FD (`fd`, else `fd_mass`) falls to at
 * most `collapseRatio` x its peak and at least `collapseMinDrop` below it, and stays
 * there for the last `collapseMinCaptures` captures or more (the run needs
 * `trendMinCaptures` captures with FD). The step range runs from the peak to the last
 * capture.
 */
export const detectEntanglementCollapse: Detector = (run, { options }) => {
  const fd = fdSeries(run);
  if (!fd || fd.steps.length < options.trendMinCaptures) return [];
  let peak = 0;
  for (let i = 1; i < fd.values.length; i++) if (fd.values[i]! > fd.values[peak]!) peak = i;
  const peakValue = fd.values[peak]!;
  const after = fd.steps.slice(peak + 1);
  const low = (s: number): boolean => {
    const v = run.number(fd.metric, s)!;
    return v <= options.collapseRatio * peakValue && peakValue - v >= options.collapseMinDrop;
  };
  const streak = trailingStreak(after, low);
  if (!streak || streak.steps.length < options.collapseMinCaptures) return [];
  const peakStep = fd.steps[peak]!;
  const start = streak.steps[0]!;
  const last = streak.steps[streak.steps.length - 1]!;
  const lastValue = run.number(fd.metric, last)!;
  const points = [...new Set([peakStep, start, last])];
  return [
    {
      kind: 'entanglement_collapse',
      severity: 'warning',
      run: run.run,
      tasks: [],
      steps: { from: peakStep, to: last },
      evidence: points.map((s) => evidence(fd.metric, s, run.value(fd.metric, s))),
      message: `${fd.metric} fell from ${formatNumber(peakValue)} at step ${peakStep} to ${formatNumber(lastValue)} at step ${last} (at most ${formatNumber(options.collapseRatio * 100)}% of its peak since step ${start}): the tasks now lean on the same units.`,
      advice: 'If the tasks compete, give them more capacity or task-specific layers, and look for gradient conflict or one task taking over around the fall.',
      chart: 'fd-trajectory',
    },
  ];
};
