import type { TidyRow } from '@mtl-fd/metrics';

/** A tidy row with its value made JSON-safe: NaN and +-Infinity become null. */
export function cleanRow(row: TidyRow): TidyRow {
  const value = typeof row.value === 'number' && Number.isFinite(row.value) ? row.value : null;
  return { run: String(row.run), step: row.step, metric: row.metric, task: row.task ?? '', task_b: row.task_b ?? '', value };
}

/** Rows of the given metrics, cleaned, with a usable step. */
export function pick(rows: readonly TidyRow[], metrics: readonly string[]): TidyRow[] {
  const wanted = new Set(metrics);
  return rows.filter((r) => wanted.has(r.metric) && Number.isFinite(r.step)).map(cleanRow);
}

function firstSeen(values: Iterable<string>): string[] {
  const seen = new Set<string>();
  for (const v of values) if (v !== '' && !seen.has(v)) seen.add(v);
  return [...seen];
}

/** Run names in order of first appearance (the order the runs were given). */
export function runsOf(rows: readonly TidyRow[]): string[] {
  return firstSeen(rows.map((r) => r.run));
}

/** Task names in order of first appearance, over `task` and `task_b`: the same order (and colours) in every chart. */
export function tasksOf(rows: readonly TidyRow[]): string[] {
  return firstSeen(rows.flatMap((r) => [r.task, r.task_b]));
}

/** Distinct steps, ascending. */
export function stepsOf(rows: readonly TidyRow[]): number[] {
  return [...new Set(rows.map((r) => r.step))].sort((a, b) => a - b);
}

/** The step of `steps` nearest to `target` (the earlier one on a tie). */
export function nearestStep(steps: readonly number[], target: number): number {
  let best = steps[0]!;
  for (const s of steps) if (Math.abs(s - target) < Math.abs(best - target)) best = s;
  return best;
}

/** Stable order for data.values: run order, then metric, task, task_b, step. */
export function sortRows<T extends TidyRow>(rows: T[], runOrder: readonly string[], taskOrder: readonly string[]): T[] {
  const ri = new Map(runOrder.map((r, i) => [r, i]));
  const ti = new Map(taskOrder.map((t, i) => [t, i]));
  const idx = (m: Map<string, number>, k: string) => (k === '' ? -1 : (m.get(k) ?? m.size));
  return rows.sort(
    (a, b) =>
      idx(ri, a.run) - idx(ri, b.run) ||
      (a.metric < b.metric ? -1 : a.metric > b.metric ? 1 : 0) ||
      idx(ti, a.task) - idx(ti, b.task) ||
      idx(ti, a.task_b) - idx(ti, b.task_b) ||
      a.step - b.step,
  );
}

/**
 * Number formatting for cell labels and tables: at most `digits` decimals, exponent form for very
 * large or small magnitudes, a typographic minus (as the chart axes use), 'n/a' for null.
 */
export function formatValue(value: number | null, digits = 3): string {
  if (value === null || !Number.isFinite(value)) return 'n/a';
  const abs = Math.abs(value);
  const text = abs === 0 ? '0' : abs >= 1e5 || abs < 10 ** -digits ? abs.toExponential(2) : String(Number(abs.toFixed(digits)));
  return value < 0 && text !== '0' ? `\u2212${text}` : text;
}
