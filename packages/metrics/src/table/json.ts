import { UserError } from '@mtl-fd/capture';
import { tidyRowFromObject } from './tidyRowFromObject.js';
import type { TidyRow } from './types.js';

/**
 * The JSON output: exactly `{"options": {...}, "rows": [...]}`, one row per line.
 * `options` records how the rows were made (saliency, granularity, ...).
 */
export function toJSON(rows: readonly TidyRow[], options: object): string {
  // the six keys in column order (JSON.stringify keeps insertion order)
  const lines = rows.map((r) => JSON.stringify({ run: r.run, step: r.step, metric: r.metric, task: r.task, task_b: r.task_b, value: r.value }));
  const body = lines.length === 0 ? '' : `\n${lines.join(',\n')}\n`;
  return `{"options": ${JSON.stringify(options)}, "rows": [${body}]}\n`;
}

/** Reads `toJSON` output back. */
export function fromJSON(text: string): { options: Record<string, unknown>; rows: TidyRow[] } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new UserError(`metrics JSON does not parse: ${(err as Error).message}`);
  }
  const o = data as { options?: unknown; rows?: unknown };
  if (typeof o !== 'object' || o === null || typeof o.options !== 'object' || o.options === null || !Array.isArray(o.rows)) {
    throw new UserError('metrics JSON is not {"options": {...}, "rows": [...]}');
  }
  const rows = (o.rows as unknown[]).map((r, i) => tidyRowFromObject(r, `metrics JSON row ${i}`));
  return { options: o.options as Record<string, unknown>, rows };
}
