import * as api from '../src/index.js';
import { describeExports } from '../../../test/support/exportsContract.js';

// The public surface of @mtl-fd/capture, named one by one (as ml-matrix's exports test does):
// a name added or removed here is a decision, made together with its README entry.
const VALUES = [
  'CAPTURES_DIR',
  'CAPTURE_DTYPES',
  'CaptureError',
  'LAYOUT_RANK',
  'MAX_HEADER_BYTES',
  'MAX_METADATA_CHARS',
  'MAX_TASKS',
  'OPTIONAL_METADATA_KEYS',
  'REQUIRED_METADATA_KEYS',
  'RUN_LOCK_FILE',
  'RunLockedError',
  'SAFETENSORS_DTYPE_SIZES',
  'TASK_NAME_PATTERN',
  'UserError',
  'acquireRunLock',
  'captureFileName',
  'captureStepOf',
  'createAtomicFile',
  'createCaptureWriter',
  'decodeTensorBytes',
  'forceRemoveRunLock',
  'isProcessAlive',
  'isTaskName',
  'listCaptures',
  'openCapture',
  'openRegularFile',
  'parseSafetensorsHeader',
  'parseTempFileName',
  'readCapture',
  'readHeaderLength',
  'removeStaleRunLock',
  'runLockStatus',
  'runNameOf',
  'safetensorsPrefix',
  'tempPathFor',
  'writeCapture',
  'writeFileAtomic',
];

describeExports('capture', api, VALUES);
