import { openCapture } from '@mtl-fd/capture';
import { scoreCapture } from '@mtl-fd/metrics';
import type { ScoreOptions } from '@mtl-fd/metrics';
import type { CaptureResult } from './captureResult.js';

/** Scores one capture file in this thread (what each sweep worker runs). */
export async function scoreFile(file: string, options: ScoreOptions): Promise<CaptureResult> {
  const reader = await openCapture(file);
  try {
    const s = await scoreCapture(reader, options);
    const { meta, losses } = s.info;
    const result: CaptureResult = {
      file,
      run: s.run,
      step: meta.step,
      tasks: [...meta.tasks],
      losses: { ...losses },
      rows: s.rows,
      warnings: s.warnings,
    };
    if (meta.run !== undefined) result.metaRun = meta.run;
    return result;
  } finally {
    await reader.close();
  }
}
