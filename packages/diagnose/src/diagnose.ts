import type { TidyRow } from '@mtl-fd/metrics';
import { TABLE_DETECTORS, deadCaptures } from './detectors/index.js';
import { resolveDiagnoseOptions, type DiagnoseOptions } from './options.js';
import { RunSeries } from './runSeries.js';
import { sortFindings } from './sortFindings.js';
import type { Finding } from './types.js';

export { DEFAULT_DIAGNOSE_OPTIONS, type DiagnoseOptions } from './options.js';

/**
 * Runs every table-based detector on each run of a tidy table and returns the
 * findings in their stable order (sortFindings). Rows may come in any order and mix
 * runs; null values (a dead task's fd_task and cosines, an infinite cond) are
 * evidence, never an error. Bad options throw a UserError. The numerical-hazard kind
 * needs the capture files: see scanRunUnderflow / detectNumericalHazards.
 */
export function diagnose(rows: readonly TidyRow[], options: Partial<DiagnoseOptions> = {}): Finding[] {
  const resolved = resolveDiagnoseOptions(options);
  const findings: Finding[] = [];
  for (const run of RunSeries.byRun(rows)) {
    const context = { options: resolved, dead: deadCaptures(run, resolved) };
    for (const detect of TABLE_DETECTORS) for (const item of detect(run, context)) findings.push(item);
  }
  return sortFindings(findings);
}
