import { openCapture } from '@mtl-fd/capture';
import { sortRows } from '../table/order.js';
import type { TidyRow } from '../table/types.js';
import { resolveScoreOptions } from '../options/scoreOptions.js';
import { runLevelRows, type ScoredCaptureSummary } from './runLevelRows.js';
import { scoreCapture } from './scoreCapture.js';
import type { ScoreOptions } from '../options/scoreOptions.js';

export interface ScoreProgress {
  /** captures finished so far */
  done: number;
  total: number;
  /** the capture just finished */
  file: string;
}

export interface ScoredCaptures {
  options: ScoreOptions;
  /** the tidy table, in `sortRows` order */
  rows: TidyRow[];
  warnings: string[];
}

/**
 * Scores capture files one after another (memory stays that of one capture's
 * chunks), groups them by run (`runNameOf`) and adds the loss identifiers of
 * each run over its captures in step order (docs/metrics.md §6).
 */
export async function scoreCaptures(
  files: readonly string[],
  options: Partial<ScoreOptions> = {},
  onProgress?: (progress: ScoreProgress) => void,
): Promise<ScoredCaptures> {
  const opts = resolveScoreOptions(options);
  const rows: TidyRow[] = [];
  const warnings: string[] = [];
  const scored: ScoredCaptureSummary[] = [];
  for (const [i, file] of files.entries()) {
    const reader = await openCapture(file);
    try {
      const s = await scoreCapture(reader, opts);
      for (const item of s.rows) rows.push(item);
      for (const item of s.warnings) warnings.push(item);
      scored.push({ file, run: s.run, step: s.info.meta.step, tasks: s.info.meta.tasks, losses: s.info.losses });
    } finally {
      await reader.close();
    }
    onProgress?.({ done: i + 1, total: files.length, file });
  }
  const runLevel = runLevelRows(scored);
  for (const item of runLevel.rows) rows.push(item);
  for (const item of runLevel.warnings) warnings.push(item);
  return { options: opts, rows: sortRows(rows), warnings };
}
