// @mtl-fd/capture: the mtl-fd/capture@1 file format (read, validate, stream, write),
// the run directory, its lock and atomic writes. No tfjs, no maths, no threads.
export { createAtomicFile, parseTempFileName, tempPathFor } from './atomicFile.js';
export type { AtomicFile, AtomicFileOptions } from './atomicFile.js';
export { CaptureError } from './captureError.js';
export { displayLines, displayName } from './displayName.js';
export { createCaptureWriter, writeCapture } from './captureWriter.js';
export { UserError } from './errors.js';
export { isProcessAlive } from './liveness.js';
export { RUN_LOCK_FILE, RunLockedError, acquireRunLock, forceRemoveRunLock, removeStaleRunLock, runLockStatus } from './lock.js';
export type { ReleaseRunLock, RunLockInfo } from './lock.js';
export { openCapture } from './openCapture.js';
export { openRegularFile } from './openRegularFile.js';
export type { OpenRegularFileOptions } from './openRegularFile.js';
export { readCapture } from './readCapture.js';
export { removeDeadTempDirectories, replaceDirectory } from './replaceDirectory.js';
export { CAPTURES_DIR, RUN_JSON, captureFileName, captureStepOf, listCaptures, runFinishedAt, runNameOf } from './runDirectory.js';
export { parseSafetensorsHeader, readHeaderLength } from './safetensorsHeader.js';
export { safetensorsPrefix } from './safetensorsPrefix.js';
export type { TensorLayout } from './safetensorsPrefix.js';
export { isTaskName } from './taskNames.js';
export { decodeTensorBytes } from './tensorCodec.js';
export type { CaptureData, CaptureInfo, DType, FloatArray, Layout, RowChunk } from './types.js';
export { writeFileAtomic } from './writeFileAtomic.js';

// the format's constants (docs/capture-format.md)
export { LAYOUT_RANK } from './captureHeader.js';
export { MAX_METADATA_CHARS, MAX_TASKS, OPTIONAL_METADATA_KEYS, REQUIRED_METADATA_KEYS } from './captureMetadata.js';
export { CAPTURE_DTYPES, SAFETENSORS_DTYPE_SIZES } from './dtypes.js';
export { MAX_HEADER_BYTES } from './safetensorsHeader.js';
export { TASK_NAME_PATTERN } from './taskNames.js';
