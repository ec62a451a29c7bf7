import { UserError } from '@mtl-fd/capture';
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
  const rows = (o.rows as Record<string, unknown>[]).map((r, i) => {
    if (typeof r !== 'object' || r === null || typeof r.run !== 'string' || typeof r.metric !== 'string' || typeof r.step !== 'number') {
      throw new UserError(`metrics JSON row ${i} is not a tidy row`);
    }
    const v = r.value;
    return {
      run: r.run,
      step: r.step,
      metric: r.metric,
      task: typeof r.task === 'string' ? r.task : '',
      task_b: typeof r.task_b === 'string' ? r.task_b : '',
      value: typeof v === 'number' && Number.isFinite(v) ? v : null,
    };
  });
  return { options: o.options as Record<string, unknown>, rows };
}
