// @mtl-fd/diagnose: findings from tidy tables (and the capture scan for underflow).
export { diagnose } from './diagnose.js';
export { diagnoseWithCaptures } from './diagnoseWithCaptures.js';
export { formatNumber } from './evidence.js';
export { DEFAULT_DIAGNOSE_OPTIONS, DIAGNOSE_OPTION_SPECS, resolveDiagnoseOptions } from './options.js';
export type { DiagnoseOptions } from './options.js';
export { diagnoseReport, findingsExitCode, formatFindingsText } from './output.js';
export type { DiagnoseReport, DiagnoseView } from './output.js';
export { tableLossWarnings } from './lossWarnings.js';
export { FINDING_KINDS } from './types.js';
export type { Finding, FindingKind, Severity } from './types.js';
