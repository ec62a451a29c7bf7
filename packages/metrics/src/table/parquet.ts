import { parquetWriteBuffer } from 'hyparquet-writer';
import type { TidyRow } from './types.js';

export interface ParquetOptions {
  /** key/value pairs stored in the file's key-value metadata, e.g. the score options as JSON */
  metadata?: Record<string, string>;
}

/**
 * The tidy table as Apache Parquet bytes (hyparquet-writer, snappy), with a fixed
 * schema whatever the data: run, metric, task, task_b required UTF8 strings; step
 * required INT64; value an optional DOUBLE (null for NaN and an infinite cond, as in
 * the other formats). What DuckDB, pandas, Polars and Spark read directly.
 */
export function toParquet(rows: readonly TidyRow[], options: ParquetOptions = {}): Uint8Array {
  const text = (name: 'run' | 'metric' | 'task' | 'task_b') => ({
    name,
    data: rows.map((r) => r[name]),
    type: 'STRING' as const,
    nullable: false,
  });
  const buffer = parquetWriteBuffer({
    columnData: [
      text('run'),
      { name: 'step', data: rows.map((r) => BigInt(r.step)), type: 'INT64', nullable: false },
      text('metric'),
      text('task'),
      text('task_b'),
      { name: 'value', data: rows.map((r) => (r.value === null || !Number.isFinite(r.value) ? null : r.value)), type: 'DOUBLE' },
    ],
    kvMetadata: Object.entries(options.metadata ?? {}).map(([key, value]) => ({ key, value })),
  });
  return new Uint8Array(buffer);
}
