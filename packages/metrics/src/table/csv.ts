import { fromCSV as aqFromCSV, toCSV as aqToCSV } from 'arquero';
import { UserError } from '@mtl-fd/capture';
import { fromTable, TIDY_COLUMNS, toTable } from './arquero.js';
import type { TidyRow } from './types.js';

/**
 * The rows as CSV with the header `run,step,metric,task,task_b,value`; a null
 * value is an empty cell; numbers are written in JavaScript's shortest
 * round-trip form, so reading back gives the same doubles.
 */
export function toCSV(rows: readonly TidyRow[]): string {
  return aqToCSV(toTable(rows), { columns: [...TIDY_COLUMNS] });
}

/** Rows from tidy CSV (text columns stay text: a task named "1" is not a number). */
export function fromCSV(text: string): TidyRow[] {
  const table = aqFromCSV(text, { autoType: false });
  const rows = fromTable(table);
  rows.forEach((r, i) => {
    if (!Number.isInteger(r.step) || r.step < 0) throw new UserError(`metrics CSV row ${i + 2}: step is not a non-negative integer`);
  });
  return rows;
}
