// Run directories for the diagnose tests (the CLI's included): real captures written with the
// capture writer (scored by the real scoring path), and tidy tables written with the
// table I/O (metrics.json, metrics.csv).
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { captureFileName, writeCapture } from '@mtl-fd/capture';
import type { DType } from '@mtl-fd/capture';
import { toCSV, toJSON } from '@mtl-fd/metrics';
import type { TidyRow } from '@mtl-fd/metrics';
import { noise } from './syntheticRun.js';

export interface CaptureRunOptions {
  tasks?: string[];
  steps?: number[];
  dtype?: DType;
  /** gradient scale per task (default 1e-2 for every task) */
  scale?: (task: string, step: number) => number;
  /** run metadata; default none (the directory's name is the run) */
  run?: string;
}

/**
 * A run directory of captures [8, 32] (NC): each task's gradient is a shared direction
 * plus its own noise (cosines ~0.3-0.6, balanced norms), losses fall at similar rates.
 */
export async function writeCaptureRun(dir: string, options: CaptureRunOptions = {}): Promise<string> {
  const tasks = options.tasks ?? ['seg', 'depth', 'normal'];
  const steps = options.steps ?? [0, 100, 200, 300, 400, 500, 600, 700];
  const n = 8 * 32;
  await mkdir(join(dir, 'captures'), { recursive: true });
  const rand = noise(11);
  for (const [k, step] of steps.entries()) {
    const common = Float64Array.from({ length: n }, () => rand());
    const features = Float64Array.from({ length: n }, () => rand());
    const grads: Record<string, Float64Array> = {};
    const losses: Record<string, number> = {};
    for (const [i, t] of tasks.entries()) {
      const scale = options.scale?.(t, step) ?? 1e-2;
      grads[t] = Float64Array.from(common, (c) => scale * (c + 0.8 * rand()));
      losses[t] = (1 + i) * Math.exp(-0.1 * k) * (1 + 0.01 * rand());
    }
    await writeCapture(join(dir, 'captures', captureFileName(step)), {
      meta: { step, tasks, layout: 'NC', ...(options.run !== undefined && { run: options.run }) },
      shape: [8, 32],
      features,
      grads,
      losses,
      dtype: options.dtype ?? 'F32',
    });
  }
  return dir;
}

/** A run directory holding only a metrics table, written with the table I/O (metrics.json or metrics.csv). */
export async function writeTableRun(dir: string, rows: TidyRow[], format: 'json' | 'csv' = 'json'): Promise<string> {
  await mkdir(dir, { recursive: true });
  const options = { saliency: 'grad', granularity: 'element', temperature: 0 };
  await writeFile(join(dir, `metrics.${format}`), format === 'json' ? toJSON(rows, options) : toCSV(rows));
  return dir;
}
