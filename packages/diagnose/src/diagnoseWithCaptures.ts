import type { TidyRow } from '@mtl-fd/metrics';
import { diagnose } from './diagnose.js';
import { detectNumericalHazards } from './hazard/numericalHazard.js';
import { scanRunUnderflow } from './hazard/scanCaptures.js';
import { resolveDiagnoseOptions, type DiagnoseOptions } from './options.js';
import { sortFindings } from './sortFindings.js';
import type { Finding } from './types.js';

/**
 * Every kind at once: `diagnose(rows)` plus the numerical-hazard scan of the capture
 * files (float16/bfloat16 ones are streamed; others are skipped unread), sorted.
 * Pass the captures of each run; an empty list skips the scan.
 */
export async function diagnoseWithCaptures(
  rows: readonly TidyRow[],
  captureFiles: readonly string[],
  options: Partial<DiagnoseOptions> = {},
): Promise<Finding[]> {
  const resolved = resolveDiagnoseOptions(options);
  const findings = diagnose(rows, resolved);
  if (captureFiles.length) for (const item of detectNumericalHazards(await scanRunUnderflow(captureFiles), resolved)) findings.push(item);
  return sortFindings(findings);
}
