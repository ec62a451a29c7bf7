import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeCapture, type Layout } from '@mtl-fd/capture';
export { bufferIO } from '../../../test/support/bufferIO.js';


/** Deterministic values with a seed (a small LCG), some exact zeros. */
export function values(n: number, seed: number, zeros = 0.1): Float64Array {
  let s = seed * 2654435761 + 1;
  const next = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296);
  return Float64Array.from({ length: n }, () => (next() < zeros ? 0 : next() * 2 - 1));
}

export interface RunSpec {
  run?: string;
  steps: number[];
  tasks?: string[];
  layout?: Layout;
  shape?: number[];
  seed: number;
  /** scales task i's gradients by skew^i: a bigger skew makes one task dominate (higher fd) */
  skew?: number;
}

/** Writes `<dir>/<name>/captures/step-XXXXXXXX.safetensors`, one per step; returns the run directory. */
export async function writeRun(dir: string, name: string, spec: RunSpec): Promise<string> {
  const runDir = join(dir, name);
  await mkdir(join(runDir, 'captures'), { recursive: true });
  const tasks = spec.tasks ?? ['seg', 'depth'];
  const shape = spec.shape ?? [2, 3, 4];
  const layout = spec.layout ?? 'NLC';
  const n = shape.reduce((a, b) => a * b, 1);
  for (const [k, step] of spec.steps.entries()) {
    await writeCapture(join(runDir, 'captures', `step-${String(step).padStart(8, '0')}.safetensors`), {
      meta: { step, tasks, layout, ...(spec.run ? { run: spec.run } : {}) },
      shape,
      features: values(n, spec.seed * 100 + k),
      grads: Object.fromEntries(tasks.map((t, i) => [t, values(n, spec.seed * 100 + k + 17 * (i + 1)).map((v) => v * (spec.skew ?? 1) ** i)])),
      losses: Object.fromEntries(tasks.map((t, i) => [t, (1 + i) / (1 + k)])),
    });
  }
  return runDir;
}

/**
 * Writes a run of two tasks, `heavy` and `light`, trained 100:1 (`weight.<task>` in
 * each capture), with gradients of similar norms: starved only in the weighted view.
 * One capture per step into `<runDir>/captures/`.
 */
export async function writeWeightedRun(runDir: string, run: string, steps: number[]): Promise<void> {
  await mkdir(join(runDir, 'captures'), { recursive: true });
  const wave = (phase: number) => Array.from({ length: 4 * 6 }, (_, i) => Math.sin(i + phase) + 1.5);
  for (const step of steps) {
    await writeCapture(join(runDir, 'captures', `step-${String(step).padStart(8, '0')}.safetensors`), {
      meta: { step, tasks: ['heavy', 'light'], layout: 'NC', run },
      shape: [4, 6],
      features: wave(0),
      grads: { heavy: wave(1 + step), light: wave(2 + step) },
      weights: { heavy: 100, light: 1 },
    });
  }
}
