/** A maximal run of adjacent captures where a condition holds: `steps` in order. */
export interface Streak {
  steps: number[];
}

/**
 * Maximal runs of adjacent entries of `steps` (captures in order) for which `holds`
 * is true, keeping those at least `minLength` long. A capture where the condition
 * cannot be evaluated should return false: it breaks the streak.
 */
export function findStreaks(steps: readonly number[], holds: (step: number) => boolean, minLength: number): Streak[] {
  const out: Streak[] = [];
  let current: number[] = [];
  const flush = (): void => {
    if (current.length >= minLength && current.length > 0) out.push({ steps: current });
    current = [];
  };
  for (const step of steps) {
    if (holds(step)) current.push(step);
    else flush();
  }
  flush();
  return out;
}

/**
 * The trailing run of captures for which `holds` is true (it holds at the last
 * capture and at every one since its first step), or undefined when it does not
 * hold at the last capture.
 */
export function trailingStreak(steps: readonly number[], holds: (step: number) => boolean): Streak | undefined {
  let i = steps.length;
  while (i > 0 && holds(steps[i - 1]!)) i--;
  return i < steps.length ? { steps: steps.slice(i) } : undefined;
}
