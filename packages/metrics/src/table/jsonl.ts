import { UserError } from '@mtl-fd/capture';
import { tidyRowFromObject } from './tidyRowFromObject.js';
import type { TidyRow } from './types.js';

/**
 * JSON lines: a first line `{"options": {...}}`, then one tidy row per line
 * (`{"run", "step", "metric", "task", "task_b", "value"}`, value null for NaN), so a
 * consumer can act on each row as it arrives (`mtl-fd score --from - --format jsonl`).
 */
export function jsonlHeader(options: object): string {
  return `${JSON.stringify({ options })}\n`;
}

/** One row as its JSON line (newline included). */
export function jsonlRow(r: TidyRow): string {
  const value = r.value === null || !Number.isFinite(r.value) ? null : r.value;
  return `${JSON.stringify({ run: r.run, step: r.step, metric: r.metric, task: r.task, task_b: r.task_b, value })}\n`;
}

/** A whole table as JSON lines. */
export function toJSONL(rows: readonly TidyRow[], options: object): string {
  return jsonlHeader(options) + rows.map(jsonlRow).join('');
}

/** Reads JSON lines back: the options of the first line, the rows of the rest (blank lines ignored). */
export function fromJSONL(text: string): { options: Record<string, unknown>; rows: TidyRow[] } {
  const lines = text.split('\n');
  const parse = (line: string, n: number): Record<string, unknown> => {
    try {
      const v = JSON.parse(line) as unknown;
      if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as Record<string, unknown>;
    } catch {
      // reported below
    }
    throw new UserError(`metrics JSON lines: line ${n} is not a JSON object`);
  };
  const head = parse(lines[0] ?? '', 1);
  if (typeof head.options !== 'object' || head.options === null) throw new UserError('metrics JSON lines: line 1 is not {"options": {...}}');
  const rows: TidyRow[] = [];
  lines.slice(1).forEach((line, k) => {
    if (line.trim() === '') return;
    rows.push(tidyRowFromObject(parse(line, k + 2), `metrics JSON lines: line ${k + 2}`));
  });
  return { options: head.options as Record<string, unknown>, rows };
}
