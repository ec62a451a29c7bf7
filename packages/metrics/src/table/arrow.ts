import { columnFromArray, dictionary, float64, int32, int64, tableFromColumns, tableToIPC, utf8 } from '@uwdata/flechette';
import type { TidyRow } from './types.js';

export interface ArrowIPCOptions {
  /**
   * `file` (the default: the random-access IPC file format, a.k.a. Feather v2, what
   * `pl.read_ipc`, DuckDB's `read_arrow` and Spark read) or `stream` (for a pipe)
   */
  format?: 'file' | 'stream';
  /** key/value pairs stored in the schema's custom metadata, e.g. the score options as JSON */
  metadata?: Record<string, string>;
}

const COLUMNS = ['run', 'step', 'metric', 'task', 'task_b', 'value'] as const;

/**
 * The tidy table as Apache Arrow IPC bytes, with a fixed schema whatever the data:
 * run, metric, task, task_b as dictionary-encoded utf8; step int64; value float64
 * (null for NaN and an infinite cond, as in the JSON and CSV outputs).
 */
export function toArrowIPC(rows: readonly TidyRow[], options: ArrowIPCOptions = {}): Uint8Array {
  const cols: Record<string, unknown[]> = {};
  for (const c of COLUMNS) cols[c] = new Array(rows.length);
  rows.forEach((r, i) => {
    cols.run![i] = r.run;
    cols.step![i] = r.step;
    cols.metric![i] = r.metric;
    cols.task![i] = r.task;
    cols.task_b![i] = r.task_b;
    cols.value![i] = r.value === null || !Number.isFinite(r.value) ? null : r.value;
  });
  const text = () => dictionary(utf8(), int32());
  const types = { run: text(), step: int64(), metric: text(), task: text(), task_b: text(), value: float64() };
  const table = tableFromColumns(Object.fromEntries(COLUMNS.map((c) => [c, columnFromArray(cols[c]!, types[c])])));
  if (options.metadata) table.schema.metadata = new Map(Object.entries(options.metadata));
  return tableToIPC(table, { format: options.format ?? 'file' }) as Uint8Array;
}
