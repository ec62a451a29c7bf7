// Capture I/O: reading, validating and writing `mtl-fd/capture@1` safetensors files.
// Little-endian hosts only (all platforms Node ships for); a big-endian host is refused.
export { CaptureError } from './captureError.js';
export { float16Bits, float16Value, decodeFloat16, encodeFloat16 } from './float16.js';
export { bfloat16Bits, bfloat16Value, decodeBfloat16, encodeBfloat16 } from './bfloat16.js';
export { DTYPE_BYTES, CAPTURE_DTYPES, SAFETENSORS_DTYPE_SIZES, isCaptureDType } from './dtypes.js';
export { decodeTensorBytes, encodeTensorValues } from './tensorCodec.js';
export { TASK_NAME_PATTERN, isTaskName } from './taskNames.js';
export { FEATURES_TENSOR, PARAM_GRAM_TENSOR, GRAD_PREFIX, LOSS_PREFIX, gradTensorName, lossTensorName } from './tensorNames.js';
export { REQUIRED_METADATA_KEYS, OPTIONAL_METADATA_KEYS, parseCaptureMetadata, captureMetadataStrings } from './captureMetadata.js';
export { MAX_HEADER_BYTES, readHeaderLength, parseSafetensorsHeader } from './safetensorsHeader.js';
export type { TensorEntry, SafetensorsHeader } from './safetensorsHeader.js';
export { LAYOUT_RANK, validateCaptureHeader } from './captureHeader.js';
export type { CaptureHeader, TensorSpan } from './captureHeader.js';
export { DEFAULT_CHUNK_BYTES, openCapture } from './openCapture.js';
export type { CaptureReader, ChunkOptions } from './openCapture.js';
export { readCapture } from './readCapture.js';
export type { LoadedCapture } from './readCapture.js';
export { planCaptureFile } from './captureFilePlan.js';
export type { CaptureSpec, CaptureFilePlan } from './captureFilePlan.js';
export { IN_MEMORY_CAPTURE, encodeCapture } from './encodeCapture.js';
export { createCaptureWriter, writeCapture } from './captureWriter.js';
export type { CaptureWriter, CaptureWriterOptions } from './captureWriter.js';
export { createAtomicFile } from './atomicFile.js';
export type { AtomicFile } from './atomicFile.js';
export { writeFileAtomic } from './writeFileAtomic.js';
export { CAPTURES_DIR, captureFileName, captureStepOf, listCaptures, runNameOf } from './runDirectory.js';
