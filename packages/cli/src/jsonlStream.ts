import { jsonlHeader, jsonlRow, runLevelRows, sortRows, type ScoreOptions } from '@mtl-fd/metrics';
import type { CaptureResult } from '@mtl-fd/sweep';
import type { CliIO } from './io.js';

/**
 * Rows on stdout as JSON lines while a sweep runs: the options line at once, each
 * capture's rows as soon as it is scored (in finishing order), and the run-level
 * loss identifiers, which need every capture of a run, at the end.
 */
export function startJsonlStream(io: CliIO, options: ScoreOptions): { capture: (r: CaptureResult) => void; finish: (all: readonly CaptureResult[]) => void } {
  io.stdout(jsonlHeader(options));
  return {
    capture: (r) => io.stdout(r.rows.map(jsonlRow).join('')),
    finish: (all) => {
      const rows = sortRows(runLevelRows(all).rows);
      if (rows.length > 0) io.stdout(rows.map(jsonlRow).join(''));
    },
  };
}
