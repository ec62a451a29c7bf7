import { toArrowIPC, toCSV, toJSON, toJSONL, toParquet, type ScoreOptions, type TidyRow } from '@mtl-fd/metrics';
import type { OutputFile } from './output.js';

/** The table formats score and merge write. */
export const TABLE_FORMATS = ['csv', 'json', 'arrow', 'parquet', 'jsonl'] as const;
export type TableFormat = (typeof TABLE_FORMATS)[number];

/** The metadata key under which Arrow and Parquet files hold the options (JSON). */
export const OPTIONS_METADATA_KEY = 'mtl-fd.options';

/**
 * A tidy table in one format, with its companions: csv carries its options in a
 * `<out>.options.json` sidecar (written only with a file), json and jsonl inline,
 * arrow and parquet in the file's key-value metadata (arrow with a file also has
 * the sidecar). Arrow is the IPC file format
 * for a file, the stream format for stdout.
 */
export function encodeTable(
  rows: readonly TidyRow[],
  options: ScoreOptions,
  format: TableFormat,
  out: string | undefined,
): { content: string | Uint8Array; companions: OutputFile[] } {
  const metadata = { [OPTIONS_METADATA_KEY]: JSON.stringify(options) };
  const content =
    format === 'json'
      ? toJSON(rows, options)
      : format === 'jsonl'
        ? toJSONL(rows, options)
        : format === 'arrow'
          ? toArrowIPC(rows, { metadata, format: out ? 'file' : 'stream' })
          : format === 'parquet'
            ? toParquet(rows, { metadata })
            : toCSV(rows);
  const sidecar = optionsSidecarPath(format, out);
  const companions = sidecar !== undefined ? [{ path: sidecar, text: `${JSON.stringify({ options }, null, 2)}\n` }] : [];
  return { content, companions };
}

/** The `<out>.options.json` a table written to `out` comes with, if its format has one. */
export function optionsSidecarPath(format: TableFormat, out: string | undefined): string | undefined {
  // arrow keeps the sidecar it always had with --out; json, jsonl and parquet need none
  return (format === 'csv' || format === 'arrow') && out !== undefined ? `${out}.options.json` : undefined;
}
