import { toJSON as aqToJSON } from 'arquero';
import { UserError } from '@mtl-fd/capture';
import { TIDY_COLUMNS, toTable } from './arquero.js';
import { tidyRowFromObject } from './tidyRowFromObject.js';
import type { TidyRow } from './types.js';

/**
 * The JSON output: exactly `{"options": {...}, "rows": [...]}`, one row per line.
 * `options` records how the rows were made (saliency, granularity, ...).
 */
export function toJSON(rows: readonly TidyRow[], options: object): string {
  const lines = rows.length === 0 ? '' : aqToJSON(toTable(rows), { type: 'ndjson', columns: [...TIDY_COLUMNS] });
  const body = lines === '' ? '' : `\n${lines.split('\n').join(',\n')}\n`;
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
