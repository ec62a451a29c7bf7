import { badLossWarnings } from '../loss/badLosses.js';
import { lossIdentifiers } from '../loss/identifiers.js';
import { lossIdentifierRows } from './rows.js';
import type { TidyRow } from '../table/types.js';

/** What the run-level rows need of one scored capture. */
export interface ScoredCaptureSummary {
  file: string;
  /** the run its rows carry (runNameOf) */
  run: string;
  step: number;
  tasks: readonly string[];
  losses: Readonly<Record<string, number>>;
}

/**
 * The run-level rows of a sweep (loss_ratio, rel_rate, loss_share, dwa:
 * docs/metrics.md §6) from its per-capture results: grouped by run, each run's captures in
 * step order (ties keep input order), with warnings for a step seen twice and for
 * captures that disagree on the tasks. scoreCaptures and scoreSweep both use it.
 */
export function runLevelRows(results: readonly ScoredCaptureSummary[]): { rows: TidyRow[]; warnings: string[] } {
  const rows: TidyRow[] = [];
  const warnings: string[] = [];
  const runs = new Map<string, ScoredCaptureSummary[]>();
  for (const r of results) {
    const list = runs.get(r.run);
    if (list) list.push(r);
    else runs.set(r.run, [r]);
  }
  for (const [run, unsorted] of runs) {
    const list = [...unsorted].sort((a, b) => a.step - b.step);
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
    const present = list.flatMap((s) => tasks.filter((t) => Object.hasOwn(s.losses, t)).map((t) => ({ task: t, step: s.step, value: s.losses[t]! })));
    for (const w of badLossWarnings(run, present)) warnings.push(w);
    for (const item of lossIdentifierRows(run, list.map((s) => s.step), tasks, lossIdentifiers(L))) rows.push(item);
  }
  return { rows, warnings };
}
