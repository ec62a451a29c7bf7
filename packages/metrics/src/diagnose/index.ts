export { diagnose } from './diagnose.js';
export { diagnoseWithCaptures } from './diagnoseWithCaptures.js';
export {
  DEFAULT_DIAGNOSE_OPTIONS,
  DIAGNOSE_OPTION_SPECS,
  resolveDiagnoseOptions,
  type DiagnoseOptions,
  type DiagnoseOptionName,
  type DiagnoseOptionSpec,
} from './options.js';
export { compareFindings, sortFindings } from './sortFindings.js';
export { formatNumber, formatEvidence } from './evidence.js';
export {
  DIAGNOSE_JSON_VERSION,
  diagnoseReport,
  findingsExitCode,
  formatFindingsText,
  stableFinding,
  type DiagnoseReport,
} from './output.js';
export { detectNumericalHazards } from './hazard/numericalHazard.js';
export {
  MIN_NORMAL,
  countUnderflow,
  isNarrowDType,
  type CaptureUnderflowScan,
  type NarrowDType,
  type TaskUnderflowCount,
} from './hazard/underflowCount.js';
export { scanCaptureUnderflow, scanRunUnderflow } from './hazard/scanCaptures.js';
