import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fromCSV, fromJSON, listCaptures, scoreCaptures, UserError, type ScoreOptions, type TidyRow } from '@mtl-fd/metrics';

/** Where a run's rows came from. */
export type RowsSource = 'metrics.json' | 'metrics.csv' | 'captures';

const OPTION_KEYS: (keyof ScoreOptions)[] = ['saliency', 'granularity', 'temperature', 'nonFinite'];

/** True when a recorded options object says the rows were scored with `options`. */
export function sameOptions(recorded: unknown, options: ScoreOptions): boolean {
  if (typeof recorded !== 'object' || recorded === null) return false;
  const r = recorded as Record<string, unknown>;
  return OPTION_KEYS.every((k) => r[k] === options[k]);
}

async function readIfFile(path: string): Promise<string | undefined> {
  try {
    if (!(await stat(path)).isFile()) return undefined;
  } catch {
    return undefined;
  }
  return readFile(path, 'utf8');
}

/**
 * A run directory's tidy rows for `options`: its metrics.json when that records
 * the same options, else its metrics.csv when metrics.csv.options.json does, else
 * its captures scored afresh. A table whose options differ or are not recorded is
 * never used: its numbers would silently mean something else.
 */
export async function runRows(dir: string, options: ScoreOptions): Promise<{ rows: TidyRow[]; source: RowsSource; warnings: string[] }> {
  const json = await readIfFile(join(dir, 'metrics.json'));
  if (json !== undefined) {
    const parsed = wrap(join(dir, 'metrics.json'), () => fromJSON(json));
    if (sameOptions(parsed.options, options)) return { rows: parsed.rows, source: 'metrics.json', warnings: [] };
  }
  const csv = await readIfFile(join(dir, 'metrics.csv'));
  const sidecar = await readIfFile(join(dir, 'metrics.csv.options.json'));
  if (csv !== undefined && sidecar !== undefined) {
    const recorded = wrap(join(dir, 'metrics.csv.options.json'), () => (JSON.parse(sidecar) as { options?: unknown }).options);
    if (sameOptions(recorded, options)) return { rows: wrap(join(dir, 'metrics.csv'), () => fromCSV(csv)), source: 'metrics.csv', warnings: [] };
  }
  const files = await listCaptures(dir);
  if (files.length === 0) throw new UserError(`${dir}: no captures, and no metrics.json / metrics.csv scored with these options`);
  const { rows, warnings } = await scoreCaptures(files, options);
  return { rows, source: 'captures', warnings };
}

function wrap<T>(file: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw new UserError(`${file}: ${(err as Error).message}`);
  }
}
