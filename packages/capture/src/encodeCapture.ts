import { CaptureError } from './captureError.js';
import { planCaptureFile } from './captureFilePlan.js';
import { checkRowData, gradsInTaskOrder } from './rowData.js';
import { encodeTensorValues } from './tensorCodec.js';
import type { CaptureData } from './types.js';

/** How errors from `encodeCapture` name the capture, which has no file yet. */
export const IN_MEMORY_CAPTURE = '(capture in memory)';

/**
 * A whole capture as safetensors bytes (the layout of `planCaptureFile`). Values are
 * rounded to the storage dtype (nearest, ties to even); problems throw CaptureError.
 */
export function encodeCapture(data: CaptureData): Uint8Array {
  const file = IN_MEMORY_CAPTURE;
  const plan = planCaptureFile(file, data);
  const { header } = plan;
  const grads = gradsInTaskOrder(file, header.meta.tasks, data.grads);
  const rows = checkRowData(file, header.rowSize, header.meta.tasks, data.features, grads);
  if (rows !== header.shape[0]) throw new CaptureError(file, `features hold ${rows} rows but shape says ${header.shape[0]}`);
  const out = new Uint8Array(plan.fileSize);
  out.set(plan.prefix, 0);
  out.set(encodeTensorValues(header.dtype, data.features), header.features.offset);
  grads.forEach((g, i) => out.set(encodeTensorValues(header.dtype, g), header.grads[i]!.offset));
  for (const { offset, bytes } of plan.small) out.set(bytes, offset);
  return out;
}
