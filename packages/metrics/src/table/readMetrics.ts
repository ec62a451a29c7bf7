import { UserError } from '@mtl-fd/capture';
import { fromCSV } from './csv.js';
import { fromJSON } from './json.js';
import type { TidyRow } from './types.js';
import { readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';

/** A tidy metrics table as `mtl-fd score` writes it, with where it came from. */
export interface MetricsTable {
  rows: TidyRow[];
  /** the options the table was scored with, when recorded */
  options?: Record<string, unknown>;
  /** the file read */
  source: string;
}

/** Sidecar of a CSV table holding `{"options": {...}}` (what `mtl-fd score --format csv --out` writes). */
export const csvOptionsSidecar = (csvFile: string) => `${csvFile}.options.json`;

async function isFile(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
}

function inFile<T>(file: string, parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    if (err instanceof UserError) throw new UserError(`${file}: ${err.message}`);
    throw err;
  }
}

/**
 * Reads one table file: `{"options", "rows"}` JSON or tidy CSV (its options from the
 * `<file>.options.json` sidecar when there is one), with the metrics package's readers.
 */
export async function readMetricsFile(file: string): Promise<MetricsTable> {
  const text = await readFile(file, 'utf8');
  if (extname(file).toLowerCase() !== '.csv') {
    const { rows, options } = inFile(file, () => fromJSON(text));
    return { rows, options, source: file };
  }
  const rows = inFile(file, () => fromCSV(text));
  const sidecar = csvOptionsSidecar(file);
  if (!(await isFile(sidecar))) return { rows, source: file };
  const sidecarText = await readFile(sidecar, 'utf8');
  const meta = inFile(sidecar, () => {
    try {
      return JSON.parse(sidecarText) as unknown;
    } catch (err) {
      throw new UserError(`not valid JSON (${(err as Error).message})`);
    }
  });
  const options = (meta as { options?: unknown } | null)?.options;
  return { rows, options: typeof options === 'object' && options !== null ? (options as Record<string, unknown>) : undefined, source: file };
}

/**
 * A run directory's table: `metrics.json`, else `metrics.csv`; undefined when it has neither.
 */
export async function readMetricsTable(runDir: string): Promise<MetricsTable | undefined> {
  for (const name of ['metrics.json', 'metrics.csv']) {
    const file = join(runDir, name);
    if (await isFile(file)) return readMetricsFile(file);
  }
  return undefined;
}
