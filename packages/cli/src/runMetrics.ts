import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { listCaptures, UserError } from '@mtl-fd/capture';
import { readMetricsFile, scoreCaptures, type ScoreOptions, type TidyRow } from '@mtl-fd/metrics';

/** Where a run's rows came from. */
export type RowsSource = 'metrics.json' | 'metrics.csv' | 'captures';

const OPTION_KEYS: (keyof ScoreOptions)[] = ['saliency', 'granularity', 'temperature', 'nonFinite'];

/** True when a recorded options object says the rows were scored with `options`. */
export function sameOptions(recorded: unknown, options: ScoreOptions): boolean {
  if (typeof recorded !== 'object' || recorded === null) return false;
  const r = recorded as Record<string, unknown>;
  return OPTION_KEYS.every((k) => r[k] === options[k]);
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
}

/**
 * A run directory's tidy rows for `options`: its metrics.json when that records
 * the same options, else its metrics.csv when metrics.csv.options.json does, else
 * its captures scored afresh. A table whose options differ or are not recorded is
 * never used: its numbers would silently mean something else.
 */
export async function runRows(dir: string, options: ScoreOptions): Promise<{ rows: TidyRow[]; source: RowsSource; warnings: string[] }> {
  for (const source of ['metrics.json', 'metrics.csv'] as const) {
    const file = join(dir, source);
    if (!(await isFile(file))) continue;
    const table = await readMetricsFile(file);
    if (sameOptions(table.options, options)) return { rows: table.rows, source, warnings: [] };
  }
  const files = await listCaptures(dir);
  if (files.length === 0) throw new UserError(`${dir}: no captures, and no metrics.json / metrics.csv scored with these options`);
  const { rows, warnings } = await scoreCaptures(files, options);
  return { rows, source: 'captures', warnings };
}
