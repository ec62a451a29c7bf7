import * as api from '../src/index.js';
import { describeExports } from '../../../test/support/exportsContract.js';

// The public surface of @mtl-fd/hooks, named one by one (as ml-matrix's exports test does):
// a name added or removed here is a decision, made together with its README entry.
const VALUES = [
  'BACKEND_CHOICES',
  'BACKEND_ENV',
  'CHECKPOINTS_DIR',
  'FdCallback',
  'HOOKS_VERSION',
  'MODEL_JSON',
  'PROBE_FORMAT',
  'RUN_FORMAT',
  'RUN_JSON',
  'WASM_KERNEL_FIXES',
  'WEIGHTS_BIN',
  'applyHead',
  'captureFromCheckpoints',
  'checkpointDirName',
  'checkpointStepOf',
  'createProbe',
  'errorKey',
  'fdCallback',
  'fileLoadHandler',
  'fileSaveHandler',
  'findCheckpoints',
  'installKernelFixes',
  'layoutOfRank',
  'loadModelFile',
  'probeFileBatch',
  'readProbeFile',
  'readSafetensors',
  'saveModelDir',
  'selectBackend',
  'splitAtSharedLayer',
  'writeProbeFile',
  'writeSafetensors',
];

describeExports('hooks', api, VALUES);
