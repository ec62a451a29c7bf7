import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeCapture, captureFileName, CAPTURES_DIR } from '@mtl-fd/capture';
import { rng } from '../../../test/support/random.js';
import { useTempDirs as useSharedTempDirs } from '../../../test/support/tempDirs.js';
import type { CaptureData } from '@mtl-fd/capture';

/** Fresh directories under the OS temp dir, removed after each test. */
export const useTempDirs = (): (() => Promise<string>) => useSharedTempDirs('mtl-fd-sweep-');

export { rng } from '../../../test/support/random.js';

export interface SyntheticCapture {
  step: number;
  seed: number;
  tasks?: string[];
  run?: string;
  /** probe losses on (default) or off */
  losses?: boolean;
  shape?: number[];
}

/** A capture with values drawn from `seed`: NCHW [4, 3, 2, 2] by default, losses included. */
export function syntheticCapture(c: SyntheticCapture): CaptureData {
  const tasks = c.tasks ?? ['seg', 'depth', 'normal'];
  const shape = c.shape ?? [4, 3, 2, 2];
  const n = shape.reduce((a, b) => a * b, 1);
  const r = rng(c.seed);
  const draw = (scale: number) => Float64Array.from({ length: n }, () => (r() - 0.5) * scale);
  const data: CaptureData = {
    meta: { step: c.step, tasks, layout: shape.length === 4 ? 'NCHW' : 'NC', ...(c.run !== undefined ? { run: c.run } : {}) },
    shape,
    features: draw(2),
    grads: Object.fromEntries(tasks.map((t, i) => [t, draw(i + 1)])),
  };
  if (c.losses ?? true) data.losses = Object.fromEntries(tasks.map((t) => [t, 0.5 + r()]));
  return data;
}

/** Writes `<root>/<name>/captures/step-*.safetensors` for `steps`; returns the run directory. */
export async function writeRun(root: string, name: string, steps: number[], extra: Partial<SyntheticCapture> = {}): Promise<string> {
  const runDir = join(root, name);
  await mkdir(join(runDir, CAPTURES_DIR), { recursive: true });
  for (const step of steps) {
    const seed = step * 7919 + [...name].reduce((h, ch) => h * 31 + ch.charCodeAt(0), 0);
    await writeCapture(join(runDir, CAPTURES_DIR, captureFileName(step)), syntheticCapture({ step, seed, ...extra }));
  }
  return runDir;
}
