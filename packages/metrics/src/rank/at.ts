import type { TidyRow } from '../table/types.js';

/** Which capture(s) of a run give its identifier value: the last, the mean over all, or the one nearest a step. */
export type At = 'final' | 'mean' | number;

/** What to pick out of a tidy table. */
export interface IdentifierQuery {
  metric: string;
  /** '' (default) for a global metric */
  task?: string;
  task_b?: string;
}

/** Per run, the (step, value) series of one identifier, in step order. */
export function identifierSeries(rows: readonly TidyRow[], query: IdentifierQuery): Map<string, { step: number; value: number | null }[]> {
  const task = query.task ?? '';
  const taskB = query.task_b ?? '';
  const out = new Map<string, { step: number; value: number | null }[]>();
  for (const r of rows) {
    if (r.metric !== query.metric || r.task !== task || r.task_b !== taskB) continue;
    let s = out.get(r.run);
    if (!s) out.set(r.run, (s = []));
    s.push({ step: r.step, value: r.value });
  }
  for (const s of out.values()) s.sort((a, b) => a.step - b.step);
  return out;
}

/**
 * A run's value `at` its last capture, the mean over its captures (nulls left
 * out), or the capture nearest a step (the earlier one on a tie). Null when that
 * value is null or there is none.
 */
export function valueAt(series: readonly { step: number; value: number | null }[], at: At): number | null {
  if (series.length === 0) return null;
  if (at === 'final') return series[series.length - 1]!.value;
  if (at === 'mean') {
    let sum = 0;
    let n = 0;
    for (const { value } of series) {
      if (value === null) continue;
      sum += value;
      n++;
    }
    return n > 0 ? sum / n : null;
  }
  let best = series[0]!;
  for (const p of series) if (Math.abs(p.step - at) < Math.abs(best.step - at)) best = p;
  return best.value;
}

/** Parses `final`, `mean` or a non-negative integer step. */
export function parseAt(text: string): At | undefined {
  if (text === 'final' || text === 'mean') return text;
  return /^\d+$/.test(text) ? Number(text) : undefined;
}
