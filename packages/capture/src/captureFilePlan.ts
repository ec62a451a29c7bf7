import { CaptureError, quote } from './captureError.js';
import { validateCaptureHeader, type CaptureHeader } from './captureHeader.js';
import { captureMetadataStrings, parseCaptureMetadata } from './captureMetadata.js';
import { CAPTURE_DTYPES, DTYPE_BYTES, isCaptureDType } from './dtypes.js';
import { parseSafetensorsHeader } from './safetensorsHeader.js';
import { safetensorsPrefix, type TensorLayout } from './safetensorsPrefix.js';
import { encodeTensorValues } from './tensorCodec.js';
import { FEATURES_TENSOR, PARAM_GRAM_TENSOR, gradTensorName, lossTensorName, weightTensorName } from './tensorNames.js';
import type { CaptureData, DType } from './types.js';

/** What a writer needs to know before any bulk data: everything but the features and gradients. */
export interface CaptureSpec {
  meta: CaptureData['meta'];
  /** `[B, ...]`, the shape of the features and of every gradient */
  shape: number[];
  /** storage dtype of the features and gradients; default F32 */
  dtype?: DType;
  /** probe loss per task (a subset of `meta.tasks`); stored as F64, shape [] */
  losses?: Record<string, number>;
  /** T x T row-major, `meta.tasks` order; stored as F64 */
  paramGram?: ArrayLike<number>;
  /** loss weight per task, for every task in `meta.tasks` or absent; stored as F64, shape [] */
  weights?: Record<string, number>;
}

/** The file a writer will produce, minus the bulk data. */
export interface CaptureFilePlan {
  /** the header as a reader will see it (already validated by the reader's own rules) */
  header: CaptureHeader;
  /** the 8-byte length, then the JSON header padded with spaces to a multiple of 8 */
  prefix: Uint8Array;
  /** encoded `loss.*` and `param_gram` tensors at their absolute offsets */
  small: { offset: number; bytes: Uint8Array }[];
  fileSize: number;
}

/**
 * Lays out a capture file. Tensor order in the data section: `features`, then
 * `grad.<task>` in `tasks` order, then `loss.<task>` in `tasks` order, then
 * `param_gram`, then `weight.<task>` in `tasks` order. The header is then checked with the reader's rules, so a writer can
 * never produce a file the reader would refuse; errors name `file`.
 */
export function planCaptureFile(file: string, spec: CaptureSpec): CaptureFilePlan {
  const { meta, shape, losses = {}, paramGram, weights } = spec;
  const dtype = spec.dtype ?? 'F32';
  if (!isCaptureDType(dtype)) throw new CaptureError(file, `dtype ${quote(dtype)} is not one of ${CAPTURE_DTYPES.join(', ')}`);
  if (!Array.isArray(shape) || shape.length === 0 || !shape.every((d) => Number.isSafeInteger(d) && d >= 1)) {
    throw new CaptureError(file, `shape ${JSON.stringify(shape)} is not a non-empty array of positive integers`);
  }
  const elements = shape.reduce((a, b) => a * b, 1);
  if (!Number.isSafeInteger(elements * DTYPE_BYTES.F64)) throw new CaptureError(file, `shape [${shape.join(', ')}] is too large`);

  const metadata = captureMetadataStrings(meta);
  const { tasks } = parseCaptureMetadata(file, metadata); // task names checked before they become tensor names
  for (const [task, value] of Object.entries(losses)) {
    if (!tasks.includes(task)) throw new CaptureError(file, `losses has ${quote(task)}, which is not in meta.tasks`);
    if (typeof value !== 'number') throw new CaptureError(file, `losses.${task} is ${typeof value}, not a number`);
  }
  if (weights !== undefined) {
    for (const task of Object.keys(weights)) {
      if (!tasks.includes(task)) throw new CaptureError(file, `weights has ${quote(task)}, which is not in meta.tasks`);
    }
    for (const task of tasks) {
      if (typeof weights[task] !== 'number') throw new CaptureError(file, `weights.${task} is missing or not a number; give a weight for every task or none`);
    }
  }
  const T = tasks.length;
  if (paramGram !== undefined && paramGram.length !== T * T) {
    throw new CaptureError(file, `paramGram has ${paramGram.length} values; ${T} tasks need ${T * T} (T x T)`);
  }

  const layout: TensorLayout[] = [];
  const small: { name: string; values: number[] }[] = [];
  const add = (name: string, tensorDType: DType, tensorShape: number[]) => {
    layout.push({ name, dtype: tensorDType, shape: tensorShape, byteLength: tensorShape.reduce((a, b) => a * b, 1) * DTYPE_BYTES[tensorDType] });
  };
  add(FEATURES_TENSOR, dtype, shape);
  for (const task of tasks) add(gradTensorName(task), dtype, shape);
  for (const task of tasks) {
    if (!Object.hasOwn(losses, task)) continue;
    add(lossTensorName(task), 'F64', []);
    small.push({ name: lossTensorName(task), values: [losses[task]!] });
  }
  if (paramGram !== undefined) {
    add(PARAM_GRAM_TENSOR, 'F64', [T, T]);
    small.push({ name: PARAM_GRAM_TENSOR, values: Array.from(paramGram) });
  }
  if (weights !== undefined) {
    for (const task of tasks) {
      add(weightTensorName(task), 'F64', []);
      small.push({ name: weightTensorName(task), values: [weights[task]!] });
    }
  }
  const { prefix, dataBytes } = safetensorsPrefix(layout, metadata);
  const fileSize = prefix.byteLength + dataBytes;
  const header = validateCaptureHeader(file, parseSafetensorsHeader(file, prefix.subarray(8), fileSize));

  const spans = new Map(
    [...header.losses.map((l) => l.span), ...(header.paramGram ? [header.paramGram] : []), ...(header.weights ?? [])].map((s) => [s.name, s]),
  );
  return {
    header,
    prefix,
    small: small.map(({ name, values }) => ({ offset: spans.get(name)!.offset, bytes: encodeTensorValues('F64', values) })),
    fileSize,
  };
}
