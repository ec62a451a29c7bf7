import type { DiagnoseOptions } from '../options.js';
import type { RunSeries } from '../runSeries.js';
import type { Finding } from '../types.js';

/** The captures at which each task is dead (see deadTask.ts), shared by the detectors it explains. */
export type DeadCaptures = Map<string, Set<number>>;

export interface DetectorContext {
  options: DiagnoseOptions;
  dead: DeadCaptures;
}

/** One kind of finding: the rows of one run in, its findings out (any order). */
export type Detector = (run: RunSeries, context: DetectorContext) => Finding[];

/** True when some task is dead at the step (a null cond or cosine there is explained by it). */
export function anyTaskDead(dead: DeadCaptures, step: number): boolean {
  for (const steps of dead.values()) if (steps.has(step)) return true;
  return false;
}

/** `from..to`, or one step when they are equal. */
export function stepRange(steps: readonly number[]): string {
  const from = steps[0];
  const to = steps[steps.length - 1];
  return from === to ? `step ${from}` : `steps ${from}..${to}`;
}

/** "1 capture" / "4 consecutive captures" */
export function captureCount(n: number, consecutive = true): string {
  return n === 1 ? '1 capture' : `${n}${consecutive ? ' consecutive' : ''} captures`;
}
