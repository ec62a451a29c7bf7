import { openCapture, runNameOf } from '@mtl-fd/capture';
import { MIN_NORMAL, countUnderflow, isNarrowDType, type CaptureUnderflowScan } from './underflowCount.js';

/**
 * Counts exact zeros and subnormals in each task's gradient of one capture, reading
 * it in batch-row chunks (memory bounded by a chunk, not the file). Returns undefined
 * without reading any bulk data when the capture is stored in F32 or F64: only
 * float16/bfloat16 storage can underflow where float32 would not. The run is named
 * as the tidy table names it (runNameOf).
 */
export async function scanCaptureUnderflow(file: string): Promise<CaptureUnderflowScan | undefined> {
  const reader = await openCapture(file);
  try {
    const { info } = reader;
    if (!isNarrowDType(info.dtype)) return undefined;
    const minNormal = MIN_NORMAL[info.dtype];
    const tasks = info.meta.tasks.map((task) => ({ task, values: 0, zeros: 0, subnormals: 0 }));
    for await (const chunk of reader.chunks()) {
      chunk.grads.forEach((grad, t) => countUnderflow(grad, minNormal, tasks[t]!));
    }
    return { file, run: runNameOf(info, file), step: info.meta.step, dtype: info.dtype, tasks };
  } finally {
    await reader.close();
  }
}

/** scanCaptureUnderflow over capture files one at a time; F32/F64 captures are left out. */
export async function scanRunUnderflow(files: readonly string[]): Promise<CaptureUnderflowScan[]> {
  const scans: CaptureUnderflowScan[] = [];
  for (const file of files) {
    const scan = await scanCaptureUnderflow(file);
    if (scan) scans.push(scan);
  }
  return scans;
}
