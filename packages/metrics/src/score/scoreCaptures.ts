import { openCapture } from '../capture/openCapture.js';
import { lossIdentifiers } from '../loss/identifiers.js';
import { sortRows } from '../table/order.js';
import type { TidyRow } from '../table/types.js';
import { resolveScoreOptions } from './options.js';
import { lossIdentifierRows } from './rows.js';
import { scoreCapture } from './scoreCapture.js';
import type { ScoreOptions } from './types.js';

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

interface Scored {
  file: string;
  run: string;
  step: number;
  tasks: readonly string[];
  losses: Readonly<Record<string, number>>;
}

/**
 * Scores capture files one after another (memory stays that of one capture's
 * chunks), groups them by run (`runNameOf`) and adds the loss identifiers of
 * each run over its captures in step order (metrics.md section 6).
 */
export async function scoreCaptures(
  files: readonly string[],
  options: Partial<ScoreOptions> = {},
  onProgress?: (progress: ScoreProgress) => void,
): Promise<ScoredCaptures> {
  const opts = resolveScoreOptions(options);
  const rows: TidyRow[] = [];
  const warnings: string[] = [];
  const scored: Scored[] = [];
  for (const [i, file] of files.entries()) {
    const reader = await openCapture(file);
    try {
      const s = await scoreCapture(reader, opts);
      rows.push(...s.rows);
      warnings.push(...s.warnings);
      scored.push({ file, run: s.run, step: s.info.meta.step, tasks: s.info.meta.tasks, losses: s.info.losses });
    } finally {
      await reader.close();
    }
    onProgress?.({ done: i + 1, total: files.length, file });
  }
  const runs = new Map<string, Scored[]>();
  for (const s of scored) {
    const list = runs.get(s.run);
    if (list) list.push(s);
    else runs.set(s.run, [s]);
  }
  for (const [run, list] of runs) {
    list.sort((a, b) => a.step - b.step);
    for (let k = 1; k < list.length; k++) {
      if (list[k]!.step === list[k - 1]!.step) {
        warnings.push(`${list[k]!.file}: run '${run}' already has a capture at step ${list[k]!.step} (${list[k - 1]!.file})`);
      }
    }
    const tasks = list[0]!.tasks;
    if (list.some((s) => s.tasks.join('\n') !== tasks.join('\n'))) {
      warnings.push(`run '${run}': captures disagree on the tasks; loss identifiers use those of ${list[0]!.file}`);
    }
    if (!list.some((s) => tasks.some((t) => Object.hasOwn(s.losses, t)))) continue;
    const L = list.map((s) => tasks.map((t) => (Object.hasOwn(s.losses, t) ? s.losses[t]! : NaN)));
    rows.push(...lossIdentifierRows(run, list.map((s) => s.step), tasks, lossIdentifiers(L)));
  }
  return { options: opts, rows: sortRows(rows), warnings };
}
