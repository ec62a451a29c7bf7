import * as api from '../src/index.js';
import { describeExports } from '../../../test/support/exportsContract.js';

// The public surface of @mtl-fd/diagnose, named one by one (as ml-matrix's exports test does):
// a name added or removed here is a decision, made together with its README entry.
const VALUES = [
  'DEFAULT_DIAGNOSE_OPTIONS',
  'DIAGNOSE_OPTION_SPECS',
  'FINDING_KINDS',
  'diagnose',
  'diagnoseReport',
  'diagnoseWithCaptures',
  'findingsExitCode',
  'formatFindingsText',
  'formatNumber',
  'resolveDiagnoseOptions',
  'tableLossWarnings',
];

describeExports('diagnose', api, VALUES);
