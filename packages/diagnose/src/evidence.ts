import type { Evidence } from './types.js';

/** A number as findings print it: 3 significant digits, exponent form for very small or large values. */
export function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined) return 'null';
  if (value === 0) return '0';
  if (!Number.isFinite(value)) return String(value);
  const a = Math.abs(value);
  if (a < 1e-3 || a >= 1e6) return value.toExponential(2).replace(/\.?0+e/, 'e');
  return String(Number(value.toPrecision(3)));
}

/** `metric[task,task_b]@step = value`, the way text output shows one piece of evidence. */
export function formatEvidence(e: Evidence): string {
  const tasks = [e.task, e.task_b].filter((t): t is string => t !== undefined && t !== '');
  const where = tasks.length ? `[${tasks.join(',')}]` : '';
  const at = e.step !== undefined ? `@${e.step}` : '';
  return `${e.metric}${where}${at} = ${formatNumber(e.value)}`;
}

/** One evidence entry, with empty task fields left out so the JSON stays small and stable. */
export function evidence(metric: string, step: number | undefined, value: number | null | undefined, task = '', taskB = ''): Evidence {
  return {
    metric,
    ...(task !== '' && { task }),
    ...(taskB !== '' && { task_b: taskB }),
    ...(step !== undefined && { step }),
    value: value ?? null,
  };
}

/**
 * The steps worth showing from a streak: its first, its worst (by `score`, highest
 * worst) and its last, each once, in step order.
 */
export function keySteps(steps: readonly number[], score?: (step: number) => number): number[] {
  if (steps.length === 0) return [];
  const picked = new Set<number>([steps[0]!, steps[steps.length - 1]!]);
  if (score) {
    let worst = steps[0]!;
    for (const s of steps) if (score(s) > score(worst)) worst = s;
    picked.add(worst);
  }
  return [...picked].sort((a, b) => a - b);
}
