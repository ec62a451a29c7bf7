import { displayLines, displayName } from '@mtl-fd/capture';
import type { Finding } from '@mtl-fd/diagnose';
import type { TidyRow } from '@mtl-fd/metrics';
import type { Ranking, ReportTable } from '../types.js';

// What the report shows of names it did not make (runs, tasks, metrics, findings, result
// tables), with characters that break a Vega expression (U+2028/9), the SVG (XML) or a
// reader's terminal replaced by a visible escape (displayName). Names that are already
// safe come back as the same objects, so an ordinary table is not copied.

export function safeRow(r: TidyRow): TidyRow {
  const run = displayName(r.run);
  const metric = displayName(r.metric);
  const task = displayName(r.task);
  const task_b = displayName(r.task_b);
  if (run === r.run && metric === r.metric && task === r.task && task_b === r.task_b) return r;
  return { ...r, run, metric, task, task_b };
}

export function safeRows(rows: readonly TidyRow[]): TidyRow[] {
  return rows.map(safeRow);
}

export function safeFinding(f: Finding): Finding {
  return {
    ...f,
    run: displayName(f.run),
    tasks: f.tasks.map(displayName),
    message: displayName(f.message),
    advice: displayName(f.advice),
    evidence: f.evidence.map((e) => ({
      ...e,
      metric: displayName(e.metric),
      ...(e.task !== undefined && { task: displayName(e.task) }),
      ...(e.task_b !== undefined && { task_b: displayName(e.task_b) }),
    })),
  };
}

export function safeRanking(r: Ranking): Ranking {
  return {
    ...r,
    identifier: displayName(r.identifier),
    ...(typeof r.task === 'string' && { task: displayName(r.task) }),
    ...(r.direction !== undefined && { direction: displayName(r.direction) }),
    results: r.results.map((x) => ({ ...x, perf_metric: displayName(x.perf_metric), perf_direction: displayName(x.perf_direction) })),
  };
}

export function safeTable(t: ReportTable): ReportTable {
  return {
    ...t,
    title: displayName(t.title),
    ...(t.note !== undefined && { note: displayLines(t.note) }),
    columns: t.columns.map(displayName),
    rows: t.rows.map((row) => row.map((c) => (typeof c === 'string' ? displayName(c) : c))),
  };
}

/** Options keyed by run argument (several runs) keep their values; the keys are names to show. */
export function safeOptions(options: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  return options === undefined ? undefined : Object.fromEntries(Object.entries(options).map(([k, v]) => [displayName(k), v]));
}
